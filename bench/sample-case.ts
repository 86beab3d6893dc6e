// The sampling case: sampleWith on the Wasm kernels (R runs), on the TypeScript twins (one
// run, checked bit for bit against Wasm), and the numpy peer, alternating Wasm / peer.
import { randomModel, sampleAsync } from '../src/index.js';
import { sampleWith } from '../src/sample.js';
import { wasmBackend } from '../src/backend/wasm/backend.js';
import { jsBackend } from '../src/backend/js/backend.js';
import type { BenchArgs } from './args.js';
import { poolNote, workersFor } from './pools.js';
import { FLOOR_WHAT, floorMs } from './floor.js';
import { PEER_SEED, type SampleCase } from './cases.js';
import { MODEL_SEED, SAMPLE_SEED, releaseData } from './data.js';
import { loadavg } from './machine.js';
import { PeerRuns } from './peer.js';
import { progress, type Section } from './section.js';
import { ms, ratio, small, type Table } from './table.js';
import { median, medians, timed } from './timing.js';

export async function runSampleCase(c: SampleCase, a: BenchArgs): Promise<Section> {
  const t0 = performance.now();
  const start = loadavg();
  releaseData(); // only the model is needed here
  const model = randomModel({ d: c.d, seed: MODEL_SEED });
  const wasm = wasmBackend();
  const R = a.repeat;
  const opts = { seed: SAMPLE_SEED };

  progress(`${c.id}: warm-up on ${Math.ceil(c.n / 10)} rows`);
  sampleWith(model, Math.ceil(c.n / 10), opts, wasm);

  const wasmMs: number[] = [];
  const floorRuns: number[] = [];
  const workerMs: Record<number, number[]> = {};
  for (const w of a.workers) workerMs[w] = [];
  if (a.workers.length > 0) await sampleAsync(model, Math.ceil(c.n / 10), { ...opts, workers: await workersFor(a, Math.max(...a.workers)) });
  const peer = new PeerRuns(c.peer, c.n, c.d, PEER_SEED, a.peerThreads, a.peers);
  let last: Float64Array | undefined;
  for (let r = 0; r < R; r++) {
    last = undefined; // let the previous run's output go first
    progress(`${c.id}: Wasm run ${r + 1}/${R}`);
    const w = timed(() => sampleWith(model, c.n, opts, wasm));
    wasmMs.push(w.ms);
    last = w.value.data;
    floorRuns.push(floorMs(w.value));
    for (const w of a.workers) {
      progress(`${c.id}: sampleAsync(model, n, { workers: ${w} }) run ${r + 1}/${R}`);
      const workers = await workersFor(a, w);
      const t = performance.now();
      await sampleAsync(model, c.n, { ...opts, workers });
      workerMs[w].push(performance.now() - t);
    }
    if (peer.skip === undefined) progress(`${c.id}: numpy peer run ${r + 1}/${R} (${c.peer}; its check fits the samples, untimed)`);
    peer.runOnce();
  }
  if (peer.skip !== undefined) progress(`${c.id}: numpy peer skipped: ${peer.skip}`);

  let twin: { ms: number; maxAbsDiff: number; differing: number; zeroPatternEqual: boolean } | undefined;
  if (a.twins && last !== undefined) {
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
  const headers = ['stage', `Wasm ms (median of ${R})`];
  if (twin) headers.push('TS twin ms (1 run)', 'twin/Wasm');
  if (peerMed) headers.push(`numpy ms (median of ${peer.reports.length})`, 'numpy/Wasm');
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
  for (const wk of a.workers) {
    const v = median(workerMs[wk]);
    const cells = [`**total, sampleAsync(model, n, { workers: ${wk} })**`, ms(v)];
    if (twin) cells.push('—', '—');
    if (peerMed) cells.push(ms(peerTotal), ratio(peerTotal, v));
    rows.push(cells);
  }
  const table: Table = { headers, rows };

  const gb = (c.n * c.d * 8) / 1e9;
  const notes = [
    `model: randomModel({ d: ${c.d}, seed: ${MODEL_SEED} }) (k = d); Wasm: sampleWith(model, ${c.n}, { seed: ${SAMPLE_SEED} }, ` +
      `wasmBackend()), ${R} runs after a warm-up on n/10 rows, output allocated by each run; ` +
      `all runs: ${wasmMs.map(ms).join(', ')} ms; ${(gb / (w / 1000)).toFixed(2)} GB/s of output`,
    twin
      ? `TS twins: sampleWith(model, n, same seed, jsBackend) run once (slow); vs Wasm: ${(100 * twin.differing).toFixed(0)}% of ` +
        `values differ in the last bits, by at most ${small(twin.maxAbsDiff)}; zeros ${twin.zeroPatternEqual ? 'in the same places' : 'NOT in the same places'}`
      : 'TS twins: not run (--no-twins)',
  ];
  if (peerMed) {
    const p = peer.reports[0];
    notes.push(
      `numpy: python3 bench/peers/${c.peer} --n ${c.n} --d ${c.d} --seed ${PEER_SEED} --repeat 1${a.peerThreads === undefined ? '' : ` (BLAS threads limited to ${a.peerThreads})`}, ${peer.reports.length} processes ` +
        `alternating with the Wasm runs: X = max(rng.standard_normal((n, k)) @ W.T + b, 0) (PCG64 + ziggurat, GEMM); ` +
        `BLAS ${p.blas?.name ?? '?'} with ${p.blas?.num_threads ?? '?'} thread(s) (Wasm: 1 thread); ` +
        `its check (censored MLE on its samples): err_b = ${small(p.err_b)}, err_Sigma = ${small(p.err_sigma)}; ` +
        `process wall incl. startup and that check: ${peer.wallMs.map(ms).join(', ')} ms`,
    );
  } else notes.push(`numpy peer: ${peer.skip ?? 'not run'}`);
  const floor = median(floorRuns);
  notes.push(
    `floor (${FLOOR_WHAT}, here of the n x d output), after each Wasm run: ${floorRuns.map(ms).join(', ')} ms; ` +
      `total / floor: calling thread ${ratio(w, floor)}` +
      a.workers.map((wk) => `, ${wk} worker(s) ${ratio(median(workerMs[wk]), floor)}`).join(''),
  );
  if (a.workers.length > 0) {
    notes.push(
      `workers: sampleAsync(model, n, { seed: ${SAMPLE_SEED}, workers: W }) on the engine's worker_threads (dist/worker.js), ${poolNote(a)}, the same bits as sample(); ` +
        `all runs: ${a.workers.map((wk) => `W = ${wk}: ${workerMs[wk].map(ms).join(', ')} ms`).join('; ')}; ` +
        `speed-up over the calling thread: ${a.workers.map((wk) => `W = ${wk}: ${ratio(w, median(workerMs[wk]))}`).join(', ')}`,
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
      wasm: { runsMs: wasmMs, medianMs: w },
      floor: { runsMs: floorRuns, medianMs: floor },
      workers: Object.fromEntries(a.workers.map((wk) => [wk, { runsMs: workerMs[wk], medianMs: median(workerMs[wk]) }])),
      twin: twin ?? { skipped: 'not run (--no-twins)' },
      peer: peerMed ? { script: c.peer, reports: peer.reports, processWallMs: peer.wallMs, median: peerMed, totalMs: peerTotal } : { skipped: peer.skip },
    },
  };
}
