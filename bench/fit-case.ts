// An end-to-end fit case: fitWith on the Wasm kernels (R runs), the same pipeline on the
// TypeScript twins (one run), the numpy peer (R processes), alternating Wasm / peer.
import type { Backend } from '../src/backend/contract.js';
import { fit, fitWith } from '../src/fit.js';
import { errB, errSigma } from '../src/model/metrics.js';
import type { FitResult, Method, Samples } from '../src/types.js';
import { wasmBackend } from '../src/backend/wasm/backend.js';
import { jsBackend } from '../src/backend/js/backend.js';
import type { BenchArgs } from './args.js';
import { poolNote, workersFor } from './pools.js';
import { FLOOR_WHAT, floorMs } from './floor.js';
import { PEER_SEED, type FitCase, repeatsOf, workersOf } from './cases.js';
import { SAMPLE_SEED, dataset, head, modelCall } from './data.js';
import { loadavg } from './machine.js';
import { PeerRuns } from './peer.js';
import { progress, type Section } from './section.js';
import { ms, ofRuns, ratio, small, type Table } from './table.js';
import { median, medians, timed } from './timing.js';

/** Stage timings of one run, plus 'other' (total - stages: input validation) and 'total'. */
function stageRun(fit: FitResult, total: number): Record<string, number> {
  const t = fit.diagnostics.timings;
  const staged = Object.values(t).reduce((a, b) => a + b, 0);
  return { ...t, other: total - staged, total };
}

function fitRun(x: Samples, method: Method, backend: Backend): { fit: FitResult; run: Record<string, number> } {
  const { value: fit, ms: total } = timed(() => fitWith(x, { method }, backend));
  return { fit, run: stageRun(fit, total) };
}

function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** The peer's time for one of our rows: the sum of the medians of the peer stages it maps to. */
function peerStage(med: Record<string, number>, stages: string[]): number | undefined {
  if (stages.length === 0 || !stages.every((s) => s in med)) return undefined;
  return stages.reduce((a, s) => a + med[s], 0);
}

/** Wall time of the public fit(x, { method, workers }) (a pool per call, or kept: see --kept-pool). */
async function workerRun(x: Samples, method: Method, workers: number, a: BenchArgs): Promise<number> {
  const w = await workersFor(a, workers);
  const t = performance.now();
  await fit(x, { method, workers: w });
  return performance.now() - t;
}

/** Past this d the warm-up fit has only the first WARM_MAX_D coordinates. */
const WARM_MAX_D = 1024;

/**
 * The warm-up's data: the first n/10 rows, and past d = WARM_MAX_D only their first WARM_MAX_D
 * coordinates (copied): Step 2 and the PSD projection cost minutes at d = 4096 whatever n is,
 * and the code they warm up is the same at any d.
 */
function warmUpData(x: Samples): Samples {
  const n = Math.ceil(x.n / 10);
  if (x.d <= WARM_MAX_D) return head(x, n);
  const d = WARM_MAX_D;
  const data = new Float64Array(n * d);
  for (let r = 0; r < n; r++) data.set(x.data.subarray(r * x.d, r * x.d + d), r * d);
  return { data, n, d };
}

export async function runFitCase(c: FitCase, a: BenchArgs): Promise<Section> {
  const t0 = performance.now();
  const start = loadavg();
  progress(`${c.id}: generating data (${c.title})`);
  const data = dataset(c.n, c.d);
  const wasm = wasmBackend();
  const R = repeatsOf(c, a);
  const workers = workersOf(c, a);
  const runTwins = a.twins && !c.highD;

  const warm = warmUpData(data.x);
  progress(`${c.id}: warm-up on ${warm.n} rows${warm.d < c.d ? ` of the first ${warm.d} coordinates` : ''}`);
  fitWith(warm, { method: c.method }, wasm);
  if (c.alt !== undefined) fitWith(warm, { method: c.alt }, wasm);

  const wasmRuns: Record<string, number>[] = [];
  const altRuns: Record<string, number>[] = [];
  const floorRuns: number[] = [];
  const workerMs: Record<number, number[]> = {};
  for (const w of workers) workerMs[w] = [];
  if (workers.length > 0) await workerRun(warm, c.method, Math.max(...workers), a);
  const peer = new PeerRuns(c.peer, c.n, c.d, PEER_SEED, a.peerThreads, a.peers, c.peerArgs);
  if (a.peers && c.peerSkip !== undefined) peer.skip = c.peerSkip;
  let fitted: FitResult | undefined;
  for (let r = 0; r < R; r++) {
    floorRuns.push(floorMs(data.x));
    progress(`${c.id}: Wasm run ${r + 1}/${R}`);
    const w = fitRun(data.x, c.method, wasm);
    wasmRuns.push(w.run);
    fitted = w.fit;
    if (c.alt !== undefined) {
      progress(`${c.id}: Wasm run ${r + 1}/${R}, method '${c.alt}'`);
      altRuns.push(fitRun(data.x, c.alt, wasm).run);
    }
    for (const w of workers) {
      progress(`${c.id}: fit(x, { workers: ${w} }) run ${r + 1}/${R}`);
      workerMs[w].push(await workerRun(data.x, c.method, w, a));
    }
    if (peer.skip === undefined) progress(`${c.id}: numpy peer run ${r + 1}/${R} (${c.peer})`);
    peer.runOnce();
  }
  if (peer.skip !== undefined) progress(`${c.id}: numpy peer skipped: ${peer.skip}`);
  if (fitted === undefined) throw new Error('no Wasm run');

  let twin: { run: Record<string, number>; dB: number; dSigma: number } | undefined;
  if (runTwins) {
    progress(`${c.id}: TypeScript twins, one run (slow)`);
    const t = fitRun(data.x, c.method, jsBackend);
    twin = { run: t.run, dB: maxAbsDiff(t.fit.b, fitted.b), dSigma: maxAbsDiff(t.fit.sigma, fitted.sigma) };
  }

  const wMed = medians(wasmRuns);
  const aMed = medians(altRuns);
  const peerMed = peer.reports.length > 0 ? medians(peer.reports.map((p) => p.stages_ms)) : undefined;
  const peerTotal = peer.reports.length > 0 ? median(peer.reports.map((p) => p.total_ms)) : undefined;
  const hasPeer = peerMed !== undefined;
  const hasAlt = c.alt !== undefined;

  const headers = ['stage', ofRuns('Wasm ms', R)];
  if (twin) headers.push('TS twin ms (1 run)', 'twin/Wasm');
  if (hasPeer) headers.push(ofRuns('numpy ms', peer.reports.length), 'numpy/Wasm');
  if (hasAlt) headers.push(ofRuns(`'${c.alt}' ms`, R), `'${c.alt}'/'${c.method}'`);
  const known = new Set(c.rows.map((s) => s.key));
  const rows = [
    ...c.rows,
    // stages the fit reported that the case does not list, if the pipeline grows one
    ...Object.keys(wMed)
      .filter((k) => !known.has(k) && k !== 'other' && k !== 'total')
      .map((key) => ({ key, label: key, peer: [] })),
    { key: 'other', label: 'other (input validation: one JS pass)', peer: [] },
    { key: 'total', label: 'total', peer: [] },
  ];
  const table: Table = {
    headers,
    rows: rows.map((s) => {
      const w = wMed[s.key];
      const cells = [s.key === 'total' ? '**total** (calling thread)' : s.label, ms(w)];
      if (twin) cells.push(ms(twin.run[s.key]), ratio(twin.run[s.key], w));
      if (hasPeer) {
        const p = s.key === 'total' ? peerTotal : peerStage(peerMed, s.peer);
        cells.push(ms(p), ratio(p, w));
      }
      if (hasAlt) {
        const v = s.key === 'total' ? aMed.total : undefined;
        cells.push(ms(v), ratio(v, w));
      }
      return cells;
    }),
  };

  for (const w of workers) {
    const v = median(workerMs[w]);
    const cells = [`**total, fit(x, { workers: ${w} })**`, ms(v)];
    if (twin) cells.push('—', '—');
    if (hasPeer) cells.push(ms(peerTotal), ratio(peerTotal, v));
    if (hasAlt) cells.push('—', '—');
    table.rows.push(cells);
  }

  // once: errSigma forms W W^T, d^3 multiply-adds in TypeScript (a minute or two at d = 4096)
  const accuracy = { errB: errB(fitted, data.model), errSigma: errSigma(fitted, data.model) };
  const notes = [
    `data: sample(${modelCall(c.d)}, ${c.n}, { seed: ${SAMPLE_SEED} }) = ` +
      `${((c.n * c.d * 8) / 2 ** 20).toFixed(0)} MiB of float64, made once (${ms(data.generateMs)} ms), not timed`,
    `Wasm: fitWith(x, { method: '${c.method}' }, wasmBackend()), ${R} run${R === 1 ? '' : 's'} after a warm-up on n/10 rows${c.d > WARM_MAX_D ? ` (their first ${WARM_MAX_D} coordinates)` : ''}${c.highD && a.repeat === undefined ? ' (the high-d default; --repeat R for more)' : ''}; ` +
      `all runs (total ms): ${wasmRuns.map((r) => ms(r.total)).join(', ')}`,
    `accuracy of the Wasm fit: err_b = ${small(accuracy.errB)}, err_Sigma = ${small(accuracy.errSigma)}`,
  ];
  if (twin) {
    notes.push(
      `TS twins: fitWith(x, same options, jsBackend) run once (slow); vs Wasm: max |b diff| = ${small(twin.dB)}, ` + `max |Sigma diff| = ${small(twin.dSigma)}`,
    );
  } else
    notes.push(
      a.twins
        ? 'TS twins: not run at high d (scalar TypeScript: far too slow at this size; the d <= 100 cases cross-check them)'
        : 'TS twins: not run (--no-twins)',
    );
  if (hasPeer) {
    const p = peer.reports[0];
    notes.push(
      `numpy: ${peer.command}${a.peerThreads === undefined ? '' : ` (BLAS threads limited to ${a.peerThreads})`}, ${peer.reports.length} processes ` +
        `alternating with the Wasm runs; numpy ${p.numpy ?? '?'}, scipy ${p.scipy ?? '?'}, BLAS ${p.blas?.name ?? '?'} ` +
        `${p.blas?.version ?? ''} with ${p.blas?.num_threads ?? '?'} thread(s) (Wasm: 1 thread); ` +
        `its own model and data (numpy RNG), err_b = ${small(p.err_b)}, err_Sigma = ${small(p.err_sigma)}; ` +
        `process wall incl. startup and data generation: ${peer.wallMs.map(ms).join(', ')} ms`,
    );
  } else notes.push(`numpy peer: ${peer.skip ?? 'not run'}`);
  const floor = median(floorRuns);
  notes.push(
    `floor (${FLOOR_WHAT}), alternating with the runs: ${floorRuns.map(ms).join(', ')} ms; ` +
      `total / floor: calling thread ${ratio(wMed.total, floor)}` +
      workers.map((w) => `, ${w} worker(s) ${ratio(median(workerMs[w]), floor)}`).join(''),
  );
  if (workers.length > 0) {
    const w1 = wMed.total;
    notes.push(
      `workers: fit(x, { method: '${c.method}', workers: W }) on the engine's worker_threads (dist/worker.js), ${poolNote(a)}, ` +
        `alternating with the other runs${workers.length < a.workers.length ? ` (high d: W = ${workers.join(', ')} only without --workers)` : ''}; all runs: ${workers.map((w) => `W = ${w}: ${workerMs[w].map(ms).join(', ')} ms`).join('; ')}; ` +
        `speed-up over the calling thread: ${workers.map((w) => `W = ${w}: ${ratio(w1, median(workerMs[w]))}`).join(', ')}`,
    );
  }
  if (hasAlt) {
    const parts = Object.entries(aMed)
      .filter(([k]) => k !== 'total')
      .map(([k, v]) => `${k} ${ms(v)}`);
    notes.push(`method '${c.alt}' on the same data (Wasm, alternating): ${parts.join(', ')}, total ${ms(aMed.total)} ms`);
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
      method: c.method,
      highD: c.highD,
      repeat: R,
      dataGenerateMs: data.generateMs,
      floor: { runsMs: floorRuns, medianMs: floor },
      wasm: { runs: wasmRuns, median: wMed, ...accuracy },
      workers: Object.fromEntries(workers.map((w) => [w, { runsMs: workerMs[w], medianMs: median(workerMs[w]) }])),
      ...(hasAlt ? { alt: { method: c.alt, runs: altRuns, median: aMed } } : {}),
      twin: twin ?? { skipped: a.twins ? 'not run at high d' : 'not run (--no-twins)' },
      peer: hasPeer ? { script: c.peer, reports: peer.reports, processWallMs: peer.wallMs, median: peerMed, totalMs: peerTotal } : { skipped: peer.skip },
    },
  };
}
