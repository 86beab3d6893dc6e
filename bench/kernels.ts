// Each Wasm kernel alone over the whole data (through the backend, so each call includes
// its copy of the block into Wasm memory), against a one-read-pass floor: that copy alone.
// Kernels alternate within each repetition (A B C ... A B C ...). Two compute floors of
// bench/wasm/floors.as ride along: X^T X (for the statistics pass) and the product Z W^T + b
// with ReLU (for generation).
import { rowsPerBlock } from '../src/backend/blocks.js';
import { forEachBlock } from '../src/backend/blocks.js';
import { coordinateStats, paperMarginals, paperSgdSetup } from '../src/estimators/paper.js';
import { memoryPass } from '../src/stream/passes.js';
import { packModel } from '../src/backend/contract.js';
import type { Samples } from '../src/types.js';
import { toModel, toSamples } from '../src/input/arrays.js';
import { wasmBackend } from '../src/backend/wasm/backend.js';
import type { BenchArgs } from './args.js';
import { floorMs } from './floor.js';
import { type KernelCase, repeatsOf } from './cases.js';
import { MODEL_SEED, SAMPLE_SEED, dataset, head } from './data.js';
import { loadavg } from './machine.js';
import { progress, type Section } from './section.js';
import { ms, ofRuns, ratio, type Table } from './table.js';
import { productFloor, productFlops, xtxFloor, xtxFlops } from './wasm/floors.js';
import { median } from './timing.js';

interface Kernel {
  name: string;
  what: string;
  /** Bytes the kernel streams (read, or written for generation), for GB/s. */
  bytes: number;
  run(x: Samples): void;
}

async function kernels(c: KernelCase): Promise<{ list: Kernel[]; checksum: () => number; positives: number }> {
  const wasm = wasmBackend();
  const { model, x } = dataset(c.n, c.d);
  const d = c.d;
  const bytes = c.n * d * 8;
  const stats = coordinateStats(x, wasm); // the SGD's fixed inputs, as the 'paper' fit gets them
  const packed = packModel(toModel('model', model));
  const out = new Float64Array(c.n * d);
  const xtx = await xtxFloor(d);
  const checked = toModel('model', model);
  const product = await productFloor(checked.W.data, checked.b, d, checked.k);
  let sink = 0; // results feed a checksum, reported, so no call is dead code
  const list: Kernel[] = [
    {
      name: 'floor: copy into Wasm memory',
      what: `Float64Array.set of each ${rowsPerBlock(d)}-row (8 MiB) block`,
      bytes,
      run(x) {
        sink += floorMs(x) > 0 ? 1 : 0;
      },
    },
    {
      name: 'input validation (JS)',
      what: 'toSamples: every value finite, >= 0, <= 1e70 (before every fit)',
      bytes,
      run(x) {
        sink += toSamples('x', x).n;
      },
    },
    {
      name: 'coordStats pass',
      what: "counts, sums, sums of squares per coordinate ('paper' stats)",
      bytes,
      run(x) {
        forEachBlock(x, (block, rows) => {
          sink += wasm.coordStats(block, rows, d).count[0];
        });
      },
    },
    {
      name: 'pairCounts pass',
      what: "#{x_i > b_i, x_j > b_j}, bit-packed ('paper' step2)",
      bytes,
      run(x) {
        forEachBlock(x, (block, rows) => {
          sink += wasm.pairCounts(block, rows, d, model.b)[0];
        });
      },
    },
    {
      name: 'momentStats pass',
      what: "N11, A1, A2, G per block ('mle' statistics, without the exact merge)",
      bytes,
      run(x) {
        forEachBlock(x, (block, rows) => {
          sink += wasm.momentStats(block, rows, d)[0];
        });
      },
    },
    {
      name: 'momentStats pass + exact merge',
      what: "the 'mle' statistics stage (block partials added exactly in JS, rounded once)",
      bytes,
      run(x) {
        sink += memoryPass({ kind: 'moments' }, x, wasm).totals().n;
      },
    },
    {
      name: 'SGD pass',
      what: "projected SGD, batch 10, all coordinates ('paper' step1)",
      bytes,
      run(x) {
        const setup = paperSgdSetup(stats, 0);
        sink += paperMarginals(setup, memoryPass({ kind: 'sgd', setup, positives: stats.count }, x, wasm), stats, true).b[0];
      },
    },
    {
      name: 'generation',
      what: `n rows of ReLU(W z + b), k = ${d}, into a preallocated array (bytes written)`,
      bytes,
      run(x) {
        wasm.sample(packed, SAMPLE_SEED, 0, x.n, out.subarray(0, x.n * d));
        sink += out[0];
      },
    },
    {
      name: 'X^T X floor',
      what: 'upper triangle of X^T X, block by block (bench/wasm/floors.as: 4 x 2 tiles of f64x2 sums, no FMA); G of the momentStats pass alone',
      bytes,
      run(x) {
        sink += xtx(x).checksum;
      },
    },
    {
      name: 'product floor',
      what: `max(Z W^T + b, 0) for n rows, k = ${d}, Z given (bench/wasm/floors.as); generation without its normals (bytes written)`,
      bytes,
      run(x) {
        product(out.subarray(0, x.n * d));
        sink += out[0];
      },
    },
  ];
  let positives = 0;
  for (const m of stats.count) positives += m;
  return { list, checksum: () => sink, positives };
}

export async function runKernels(c: KernelCase, a: BenchArgs): Promise<Section> {
  const t0 = performance.now();
  const start = loadavg();
  progress(`${c.id}: generating data (${c.title})`);
  const { list: ks, checksum, positives } = await kernels(c);
  const R = repeatsOf(c, a);
  const { x } = dataset(c.n, c.d);
  progress(`${c.id}: warm-up on ${Math.ceil(c.n / 10)} rows`);
  for (const k of ks) k.run(head(x, Math.ceil(c.n / 10)));
  const runs = ks.map(() => [] as number[]);
  for (let r = 0; r < R; r++) {
    progress(`${c.id}: repetition ${r + 1}/${R} of ${ks.length} kernels`);
    ks.forEach((k, i) => {
      const t = performance.now();
      k.run(x);
      runs[i].push(performance.now() - t);
    });
  }
  const med = runs.map(median);
  const at = (name: string): number => med[ks.findIndex((k) => k.name === name)];
  const floor = med[0];
  const table: Table = {
    headers: ['kernel (whole data)', ofRuns('ms', R), 'GB/s', 'x floor', 'what'],
    rows: ks.map((k, i) => [k.name, ms(med[i]), (k.bytes / 1e9 / (med[i] / 1000)).toFixed(2), ratio(med[i], floor), k.what]),
  };
  const end = loadavg();
  const notes = [
    `data: the n x d = ${c.n} x ${c.d} sample of the fit cases (${((c.n * c.d * 8) / 2 ** 20).toFixed(0)} MiB); ` +
      `thresholds of pairCounts: the true b of randomModel({ d: ${c.d}, seed: ${MODEL_SEED} })`,
    `SGD pass: ${positives} positive values (each one SGD sample; one truncated-normal draw each), ` +
      `${(positives / (med[ks.findIndex((k) => k.name === 'SGD pass')] / 1000) / 1e6).toFixed(1)} M positives/s on one thread`,
    "each kernel runs through wasmBackend() block by block (forEachBlock, 8 MiB blocks), so each includes the floor's copy; one thread",
    `compute floors: X^T X ${(xtxFlops(c.n, c.d) / at('X^T X floor') / 1e6).toFixed(1)} GFLOP/s, product ${(productFlops(c.n, c.d, c.d) / at('product floor') / 1e6).toFixed(1)} GFLOP/s; ` +
      `momentStats pass / X^T X floor = ${ratio(at('momentStats pass'), at('X^T X floor'))}, generation / product floor = ${ratio(at('generation'), at('product floor'))}`,
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
      d: c.d,
      checksum: checksum(),
      sgdPositives: positives,
      kernels: ks.map((k, i) => ({ name: k.name, what: k.what, bytes: k.bytes, runsMs: runs[i], medianMs: med[i], perFloor: med[i] / floor })),
      computeFloors: [
        { what: 'xtx', medianMs: at('X^T X floor'), flops: xtxFlops(c.n, c.d), gflops: xtxFlops(c.n, c.d) / at('X^T X floor') / 1e6 },
        { what: 'product', medianMs: at('product floor'), flops: productFlops(c.n, c.d, c.d), gflops: productFlops(c.n, c.d, c.d) / at('product floor') / 1e6 },
      ],
    },
  };
}
