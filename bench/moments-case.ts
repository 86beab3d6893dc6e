// The statistics kernel alone at high d (kernels-d256, kernels-d1024): wasmBackend().momentStats
// on each rowsPerBlock(d)-row block, as the default fit's statistics pass calls it (without the
// exact merge of the block partials), beside two floors on the same rows: one copy of the data
// into Wasm memory, and the upper triangle of X^T X by the register-tiled kernel of
// bench/wasm/floors.as. Alternating within each repetition (A B C A B C ...).
import { forEachBlock, rowsPerBlock } from '../src/backend/blocks.js';
import { wasmBackend } from '../src/backend/wasm/backend.js';
import type { Samples } from '../src/types.js';
import type { BenchArgs } from './args.js';
import { type MomentsCase, repeatsOf } from './cases.js';
import { SAMPLE_SEED, dataset, head, modelCall } from './data.js';
import { FLOOR_WHAT, floorMs } from './floor.js';
import { loadavg } from './machine.js';
import { progress, type Section } from './section.js';
import { ms, ofRuns, ratio, type Table } from './table.js';
import { median } from './timing.js';
import { FLOOR_BUILD, xtxFloor, xtxFlops } from './wasm/floors.js';

export async function runMoments(c: MomentsCase, a: BenchArgs): Promise<Section> {
  const t0 = performance.now();
  const start = loadavg();
  progress(`${c.id}: generating data (${c.title})`);
  const data = dataset(c.n, c.d);
  const wasm = wasmBackend();
  const d = c.d;
  const R = repeatsOf(c, a);
  const xtx = await xtxFloor(d);
  let sink = 0; // results feed a checksum, reported, so no call is dead code
  const kernels: { name: string; what: string; run: (x: Samples) => number }[] = [
    { name: 'floor: copy into Wasm memory', what: FLOOR_WHAT, run: (x) => floorMs(x) },
    {
      name: 'X^T X floor',
      what: 'upper triangle of X^T X, each block copied into Wasm memory (bench/wasm/floors.as)',
      run: (x) => {
        const r = xtx(x);
        sink += r.checksum;
        return r.ms;
      },
    },
    {
      name: 'statistics: momentStats pass',
      what: "wasmBackend().momentStats on each block: N11, A1, A2, G ('mle' statistics, without the exact merge)",
      run: (x) => {
        const t = performance.now();
        forEachBlock(x, (block, rows) => {
          sink += wasm.momentStats(block, rows, d)[0];
        });
        return performance.now() - t;
      },
    },
  ];
  progress(`${c.id}: warm-up on ${Math.ceil(c.n / 10)} rows`);
  for (const k of kernels) k.run(head(data.x, Math.ceil(c.n / 10)));
  const runs = kernels.map(() => [] as number[]);
  for (let r = 0; r < R; r++) {
    progress(`${c.id}: repetition ${r + 1}/${R} of ${kernels.length} kernels`);
    kernels.forEach((k, i) => {
      runs[i].push(k.run(data.x));
    });
  }
  const med = runs.map(median);
  const [copy, floor, stats] = med;
  const flops = xtxFlops(c.n, d);
  const bytes = c.n * d * 8;
  const table: Table = {
    headers: ['kernel (whole data)', ofRuns('ms', R), 'GB/s', 'GFLOP/s (X^T X-equivalent)', 'x copy floor', 'x X^T X floor', 'what'],
    rows: kernels.map((k, i) => [
      k.name,
      ms(med[i]),
      (bytes / 1e9 / (med[i] / 1000)).toFixed(2),
      i === 0 ? '—' : (flops / med[i] / 1e6).toFixed(1),
      ratio(med[i], copy),
      i === 0 ? '—' : ratio(med[i], floor),
      k.what,
    ]),
  };
  const end = loadavg();
  const notes = [
    `data: sample(${modelCall(d)}, ${c.n}, { seed: ${SAMPLE_SEED} }) (${(bytes / 2 ** 20).toFixed(0)} MiB), the fit cases' data; ` +
      `blocks of rowsPerBlock(${d}) = ${rowsPerBlock(d)} rows, as the statistics pass cuts them`,
    `${R} repetition${R === 1 ? '' : 's'} after a warm-up on n/10 rows${c.highD && a.repeat === undefined ? ' (the high-d default; --repeat R for more)' : ''}, ` +
      `kernels alternating; all runs (ms): ${kernels.map((k, i) => `${k.name} ${runs[i].map(ms).join(', ')}`).join('; ')}`,
    `**statistics / X^T X floor = ${ratio(stats, floor)}** (one thread); the statistics pass computes N11, A1 and A2 besides G (four d x d ` +
      'matrices a block, copied out fresh each block), the floor G alone with every block copied in and one d x d result copied out at the end',
    `X^T X floor (${FLOOR_BUILD}; 256-row transposed panels, 4 x 2 tiles of f64x2 sums, no FMA): ${(flops / floor / 1e6).toFixed(1)} GFLOP/s ` +
      "(n d (d + 1) flops: the upper triangle's multiply-adds, 2 flops each)",
    `checksum ${sink.toExponential(3)}`,
    `load average (1, 5, 15 min): ${start.join(' ')} at start, ${end.join(' ')} at end`,
  ];
  return {
    id: c.id,
    title: c.title,
    table,
    notes,
    loadavg: { start, end },
    seconds: (performance.now() - t0) / 1000,
    details: {
      n: c.n,
      d,
      highD: c.highD,
      repeat: R,
      flops,
      kernels: kernels.map((k, i) => ({ name: k.name, what: k.what, runsMs: runs[i], medianMs: med[i] })),
      floor: { runsMs: runs[0], medianMs: copy },
      computeFloor: { what: 'xtx', runsMs: runs[1], medianMs: floor, flops, gflops: flops / floor / 1e6 },
      statistics: { runsMs: runs[2], medianMs: stats, perComputeFloor: stats / floor },
    },
  };
}
