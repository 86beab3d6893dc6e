// The sampling case: sampleWith on the Wasm kernels (R runs), on the TypeScript twins (one
// run, checked bit for bit against Wasm), the numpy peer, and the product floor (the n x k by
// k x d product Z W^T + b with ReLU alone, bench/wasm/floors.as), alternating.
import { sampleAsync } from '../src/index.js';
import { toModel } from '../src/input/arrays.js';
import { sampleWith } from '../src/sample.js';
import { wasmBackend } from '../src/backend/wasm/backend.js';
import { jsBackend } from '../src/backend/js/backend.js';
import type { BenchArgs } from './args.js';
import { poolNote, workersFor } from './pools.js';
import { FLOOR_WHAT, floorMs } from './floor.js';
import { PEER_SEED, type SampleCase, repeatsOf, workersOf } from './cases.js';
import { SAMPLE_SEED, modelCall, modelOf, releaseData } from './data.js';
import { loadavg } from './machine.js';
import { PeerRuns } from './peer.js';
import { progress, type Section } from './section.js';
import { ms, ofRuns, ratio, small, type Table } from './table.js';
import { FLOOR_BUILD, PRODUCT_ROWS, productFloor, productFlops } from './wasm/floors.js';
import { median, medians, timed } from './timing.js';

export async function runSampleCase(c: SampleCase, a: BenchArgs): Promise<Section> {
  const t0 = performance.now();
  const start = loadavg();
  releaseData(); // only the model is needed here
  const model = modelOf(c.d);
  const wasm = wasmBackend();
  const R = repeatsOf(c, a);
  const workers = workersOf(c, a);
  const runTwins = a.twins && !c.highD;
  const checked = toModel('model', model);
  const product = await productFloor(checked.W.data, checked.b, c.d, checked.k);
  const productOut = new Float64Array(c.n * c.d); // the floor's output, allocated once (ours allocates its own each run)
  const opts = { seed: SAMPLE_SEED };

  progress(`${c.id}: warm-up on ${Math.ceil(c.n / 10)} rows`);
  sampleWith(model, Math.ceil(c.n / 10), opts, wasm);
  product(productOut.subarray(0, Math.ceil(c.n / 10) * c.d));

  const wasmMs: number[] = [];
  const floorRuns: number[] = [];
  const productRuns: number[] = [];
  const workerMs: Record<number, number[]> = {};
  for (const w of workers) workerMs[w] = [];
  if (workers.length > 0) await sampleAsync(model, Math.ceil(c.n / 10), { ...opts, workers: await workersFor(a, Math.max(...workers)) });
  const peer = new PeerRuns(c.peer, c.n, c.d, PEER_SEED, a.peerThreads, a.peers, c.peerArgs);
  let last: Float64Array | undefined;
  for (let r = 0; r < R; r++) {
    last = undefined; // let the previous run's output go first
    progress(`${c.id}: Wasm run ${r + 1}/${R}`);
    const w = timed(() => sampleWith(model, c.n, opts, wasm));
    wasmMs.push(w.ms);
    last = w.value.data;
    floorRuns.push(floorMs(w.value));
    progress(`${c.id}: product floor run ${r + 1}/${R}`);
    productRuns.push(product(productOut));
    for (const w of workers) {
      progress(`${c.id}: sampleAsync(model, n, { workers: ${w} }) run ${r + 1}/${R}`);
      const workers = await workersFor(a, w);
      const t = performance.now();
      await sampleAsync(model, c.n, { ...opts, workers });
      workerMs[w].push(performance.now() - t);
    }
    if (peer.skip === undefined) progress(`${c.id}: numpy peer run ${r + 1}/${R} (${c.peer}; its check of the samples is untimed)`);
    peer.runOnce();
  }
  if (peer.skip !== undefined) progress(`${c.id}: numpy peer skipped: ${peer.skip}`);

  let twin: { ms: number; maxAbsDiff: number; differing: number; zeroPatternEqual: boolean } | undefined;
  if (runTwins && last !== undefined) {
    progress(`${c.id}: TypeScript twins, one run (slow)`);
    const t = timed(() => sampleWith(model, c.n, opts, jsBackend));
    const y = t.value.data;
    // The Gaussian kernels may differ from the twins in the last bits (test/unit/backend/kernels.test.ts);
    // the zero pattern (the ReLU decisions) must agree exactly.
    let maxAbsDiff = 0;
    let differing = 0;
    let zeroPatternEqual = y.length === last.length;
    for (let i = 0; i < y.length; i++) {
      if (y[i] !== last[i]) differing++;
      maxAbsDiff = Math.max(maxAbsDiff, Math.abs(y[i] - last[i]));
      if ((y[i] === 0) !== (last[i] === 0)) zeroPatternEqual = false;
    }
    twin = { ms: t.ms, maxAbsDiff, differing: differing / y.length, zeroPatternEqual };
  }
  last = undefined;

  const w = median(wasmMs);
  const peerMed = peer.reports.length > 0 ? medians(peer.reports.map((p) => p.stages_ms)) : undefined;
  const peerTotal = peer.reports.length > 0 ? median(peer.reports.map((p) => p.total_ms)) : undefined;
  const headers = ['stage', ofRuns('Wasm ms', R)];
  if (twin) headers.push('TS twin ms (1 run)', 'twin/Wasm');
  if (peerMed) headers.push(ofRuns('numpy ms', peer.reports.length), 'numpy/Wasm');
  const rows: string[][] = [];
  if (peerMed) {
    for (const s of c.peerStages) {
      const cells = [`numpy stage: ${s}`, '—'];
      if (twin) cells.push('—', '—');
      rows.push([...cells, ms(peerMed[s]), '—']);
    }
  }
  const total = ['**total** (n x d draws, as Float64Array / ndarray; calling thread)', ms(w)];
  if (twin) total.push(ms(twin.ms), ratio(twin.ms, w));
  if (peerMed) total.push(ms(peerTotal), ratio(peerTotal, w));
  rows.push(total);
  for (const wk of workers) {
    const v = median(workerMs[wk]);
    const cells = [`**total, sampleAsync(model, n, { workers: ${wk} })**`, ms(v)];
    if (twin) cells.push('—', '—');
    if (peerMed) cells.push(ms(peerTotal), ratio(peerTotal, v));
    rows.push(cells);
  }
  const prodMs = median(productRuns);
  const prodCells = ['product floor: max(Z W^T + b, 0) alone, Z given (bench/wasm/floors.as; no normals)', ms(prodMs)];
  if (twin) prodCells.push('—', '—');
  if (peerMed) prodCells.push('—', '—');
  rows.push(prodCells);
  const table: Table = { headers, rows };

  const gb = (c.n * c.d * 8) / 1e9;
  const notes = [
    `model: ${modelCall(c.d)} (k = d); Wasm: sampleWith(model, ${c.n}, { seed: ${SAMPLE_SEED} }, ` +
      `wasmBackend()), ${R} run${R === 1 ? '' : 's'} after a warm-up on n/10 rows${c.highD && a.repeat === undefined ? ' (the high-d default; --repeat R for more)' : ''}, output allocated by each run; ` +
      `all runs: ${wasmMs.map(ms).join(', ')} ms; ${(gb / (w / 1000)).toFixed(2)} GB/s of output`,
    twin
      ? `TS twins: sampleWith(model, n, same seed, jsBackend) run once (slow); vs Wasm: ${(100 * twin.differing).toFixed(0)}% of ` +
        `values differ in the last bits, by at most ${small(twin.maxAbsDiff)}; zeros ${twin.zeroPatternEqual ? 'in the same places' : 'NOT in the same places'}`
      : a.twins
        ? 'TS twins: not run at high d (scalar TypeScript: far too slow at this size; sample-d100 cross-checks them)'
        : 'TS twins: not run (--no-twins)',
  ];
  if (peerMed) {
    const p = peer.reports[0];
    notes.push(
      `numpy: ${peer.command}${a.peerThreads === undefined ? '' : ` (BLAS threads limited to ${a.peerThreads})`}, ${peer.reports.length} processes ` +
        `alternating with the Wasm runs: X = max(rng.standard_normal((n, k)) @ W.T + b, 0) (PCG64 + ziggurat, GEMM); ` +
        `BLAS ${p.blas?.name ?? '?'} with ${p.blas?.num_threads ?? '?'} thread(s) (Wasm: 1 thread); ` +
        (p.check === 'marginals'
          ? `its check (stats + censored-normal marginals of its samples, --check marginals): err_b = ${small(p.err_b)}, err of ||W_i|| = ${small(p.err_norms as number | undefined)}; `
          : `its check (censored MLE on its samples): err_b = ${small(p.err_b)}, err_Sigma = ${small(p.err_sigma)}; `) +
        `process wall incl. startup and that check: ${peer.wallMs.map(ms).join(', ')} ms`,
    );
  } else notes.push(`numpy peer: ${peer.skip ?? 'not run'}`);
  const floor = median(floorRuns);
  notes.push(
    `floor (${FLOOR_WHAT}, here of the n x d output), after each Wasm run: ${floorRuns.map(ms).join(', ')} ms; ` +
      `total / floor: calling thread ${ratio(w, floor)}` +
      workers.map((wk) => `, ${wk} worker(s) ${ratio(median(workerMs[wk]), floor)}`).join(''),
  );
  const flops = productFlops(c.n, c.d, c.d);
  notes.push(
    `product floor (${FLOOR_BUILD}): C = max(Z W^T + b, 0) for the n rows, ${PRODUCT_ROWS} rows a call into Wasm memory and copied out ` +
      `into one preallocated n x d array, Z one fixed ${PRODUCT_ROWS} x k block (the normals are ours to draw, not the floor's); ` +
      `4 x 2 tiles of f64x2 sums, no FMA; after each Wasm run: ${productRuns.map(ms).join(', ')} ms = ${(flops / prodMs / 1e6).toFixed(1)} GFLOP/s ` +
      `(2 n k d flops); **sample / product floor**: calling thread ${ratio(w, prodMs)}` +
      workers.map((wk) => `, ${wk} worker(s) ${ratio(median(workerMs[wk]), prodMs)}`).join('') +
      ' (the floor on one thread)',
  );
  if (workers.length > 0) {
    notes.push(
      `workers: sampleAsync(model, n, { seed: ${SAMPLE_SEED}, workers: W }) on the engine's worker_threads (dist/worker.js), ${poolNote(a)}, the same bits as sample(); ` +
        `all runs${workers.length < a.workers.length ? ` (high d: W = ${workers.join(', ')} only without --workers)` : ''}: ${workers.map((wk) => `W = ${wk}: ${workerMs[wk].map(ms).join(', ')} ms`).join('; ')}; ` +
        `speed-up over the calling thread: ${workers.map((wk) => `W = ${wk}: ${ratio(w, median(workerMs[wk]))}`).join(', ')}`,
    );
  }
  const end = loadavg();
  notes.push(`load average (1, 5, 15 min): ${start.join(' ')} at start, ${end.join(' ')} at end`);

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
      k: c.d,
      highD: c.highD,
      repeat: R,
      wasm: { runsMs: wasmMs, medianMs: w },
      floor: { runsMs: floorRuns, medianMs: floor },
      computeFloor: { what: 'product', runsMs: productRuns, medianMs: prodMs, flops, gflops: flops / prodMs / 1e6 },
      workers: Object.fromEntries(workers.map((wk) => [wk, { runsMs: workerMs[wk], medianMs: median(workerMs[wk]) }])),
      twin: twin ?? { skipped: a.twins ? 'not run at high d' : 'not run (--no-twins)' },
      peer: peerMed ? { script: c.peer, reports: peer.reports, processWallMs: peer.wallMs, median: peerMed, totalMs: peerTotal } : { skipped: peer.skip },
    },
  };
}
