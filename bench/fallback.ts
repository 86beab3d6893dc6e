// How much slower the TypeScript fallback (backend 'js') is than the WebAssembly kernels
// (backend 'wasm'), through the public API: fit (both methods), sample, and the kernel API.
// Each case: a warm-up of each backend on a tenth of the rows, then R runs of each,
// alternating, and the median of each. Prints a markdown table with js/Wasm ratios.
//
//   npx tsx bench/fallback.ts            # R = 3
//   npx tsx bench/fallback.ts --runs 5
import { fitSync, randomModel, sample, type Samples } from '../src/index.js';
import { kernelsSync } from '../src/kernels/index.js';
import type { BackendName } from '../src/types.js';
import { describeMachine, loadavg, machine } from './machine.js';
import { median, timed } from './timing.js';

const runsArg = process.argv.indexOf('--runs');
const R = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;

interface Case {
  name: string;
  /** Runs the job on a backend, on all rows (part = 1) or a fraction of them (warm-up). */
  run: (backend: BackendName, part: number) => void;
}

const data = new Map<string, Samples>();
function dataOf(d: number, n: number): Samples {
  const key = `${d}x${n}`;
  if (!data.has(key)) data.set(key, sample(randomModel({ d, seed: 1 }), n, { seed: 2, backend: 'wasm' }));
  return data.get(key)!;
}
const rows = (x: Samples, part: number): Samples => {
  const n = Math.max(2, Math.floor(x.n * part));
  return { data: x.data.subarray(0, n * x.d), n, d: x.d };
};

const cases: Case[] = [
  { name: "fit, method 'mle' (default), n = 2e5, d = 20", run: (b, p) => fitSync(rows(dataOf(20, 200_000), p), { backend: b }) },
  { name: "fit, method 'mle', n = 1e5, d = 100", run: (b, p) => fitSync(rows(dataOf(100, 100_000), p), { backend: b }) },
  { name: "fit, method 'paper', n = 2e5, d = 20", run: (b, p) => fitSync(rows(dataOf(20, 200_000), p), { method: 'paper', backend: b }) },
  { name: "fit, method 'paper', n = 1e5, d = 100", run: (b, p) => fitSync(rows(dataOf(100, 100_000), p), { method: 'paper', backend: b }) },
  { name: 'sample, n = 2e5, d = k = 20', run: (b, p) => sample(randomModel({ d: 20, seed: 1 }), Math.floor(200_000 * p), { seed: 3, backend: b }) },
  { name: 'sample, n = 5e4, d = k = 100', run: (b, p) => sample(randomModel({ d: 100, seed: 1 }), Math.floor(50_000 * p), { seed: 3, backend: b }) },
  { name: 'kernels: normals, 1e6', run: (b, p) => kernelsSync({ backend: b }).normals(Math.floor(1e6 * p), { seed: 4 }) },
  { name: 'kernels: truncNormals at alpha = 1, 1e6', run: (b, p) => kernelsSync({ backend: b }).truncNormals(Math.floor(1e6 * p), 1, { seed: 4 }) },
  {
    name: 'kernels: pairCounts, n = 1e5, d = 100',
    run: (b, p) => kernelsSync({ backend: b }).pairCounts(rows(dataOf(100, 100_000), p).data, 100, new Float64Array(100).fill(0.3)),
  },
  {
    name: 'kernels: accumulator push, n = 1e5, d = 100',
    run: (b, p) =>
      kernelsSync({ backend: b })
        .accumulator(100)
        .push(rows(dataOf(100, 100_000), p).data),
  },
];

const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
const m = machine();
const lines: string[] = [
  '# TypeScript fallback vs WebAssembly',
  '',
  `- machine: ${describeMachine(m)}`,
  `- load average at start: ${m.loadavg.join(' ')}`,
  `- each case: a warm-up of each backend on a tenth of the rows, then ${R} runs of each, alternating; medians`,
  '',
  '| case | Wasm ms | js ms | js / Wasm |',
  '|---|---:|---:|---:|',
];
console.log(lines.join('\n'));
for (const c of cases) {
  const times: Record<BackendName, number[]> = { wasm: [], js: [] };
  c.run('wasm', 0.1);
  c.run('js', 0.1);
  for (let r = 0; r < R; r++) {
    for (const b of ['wasm', 'js'] as const) times[b].push(timed(() => c.run(b, 1)).ms);
  }
  const w = median(times.wasm);
  const j = median(times.js);
  console.log(`| ${c.name} | ${fmt(w)} | ${fmt(j)} | ${(j / w).toFixed(1)}x |`);
}
console.log(`\n- load average at end: ${loadavg().join(' ')}`);
