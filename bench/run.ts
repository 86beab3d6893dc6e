// `npm run bench`: the end-to-end cases and the kernels alone, Wasm against the TypeScript
// twins and the numpy peers in one run; tables (Markdown) on stdout, progress on stderr,
// everything as JSON in bench/results/latest.json. Flags: see args.ts or --help.
import { closePools, poolNote } from './pools.js';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from './args.js';
import { allCases, type Case } from './cases.js';
import { runFitCase } from './fit-case.js';
import { runInstantiation } from './instantiation.js';
import { runKernels } from './kernels.js';
import { runMoments } from './moments-case.js';
import { describeMachine, loadavg, machine } from './machine.js';
import { pythonStatus } from './peer.js';
import { runSampleCase } from './sample-case.js';
import { progress, type Section } from './section.js';
import { floorsTable, summaryTable } from './summary.js';
import { markdown } from './table.js';

async function runCase(c: Case, args: ReturnType<typeof parseArgs>): Promise<Section> {
  if (c.kind === 'fit') return runFitCase(c, args);
  if (c.kind === 'sample') return runSampleCase(c, args);
  if (c.kind === 'instantiation') return runInstantiation(c, args);
  if (c.kind === 'moments') return runMoments(c, args);
  return runKernels(c, args);
}

/** Newest modification time under a path (a file or a folder). */
function newest(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(path).map((f) => newest(`${path}/${f}`)));
}

/**
 * The engine's workers and init() run the built package (dist/), so it must be built from
 * the current sources: `npm run build` first when dist/worker.js is missing or older.
 */
function ensureBuilt(): void {
  const script = 'dist/worker.js';
  if (existsSync(script) && ['src', 'assembly'].every((p) => newest(p) <= statSync(script).mtimeMs)) return;
  progress('dist/ is missing or older than src/ or assembly/: npm run build (the workers and init() run dist/)');
  const r = spawnSync('npm', ['run', 'build', '--silent'], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error('npm run build failed');
}

function render(s: Section): string {
  return [`## ${s.title}`, '', markdown(s.table), '', ...s.notes.map((n) => `- ${n}`), `- section time: ${s.seconds.toFixed(0)} s`, ''].join('\n');
}

async function main(): Promise<void> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  ensureBuilt();
  const startedAt = new Date().toISOString();
  const m = machine();
  const py = args.peers ? pythonStatus() : { ok: false, reason: 'not run (--no-peers)' };
  const header = [
    '# relu-density benchmark',
    '',
    `- machine: ${describeMachine(m)}`,
    `- load average (1, 5, 15 min) at start: ${m.loadavg.join(' ')} (shared machine: read ratios, not absolute times)`,
    `- run: ${startedAt}; flags: ${process.argv.slice(2).join(' ') || '(none)'}${args.quick ? ' (n divided by 10)' : ''}`,
    `- Wasm: the release build inlined in src/backend/wasm/bytes.ts, one thread; ${args.repeat === undefined ? 'median of 3 runs (high-d cases: 1 run)' : `median of ${args.repeat} runs`} after a warm-up on n/10 rows`,
    `- workers: ${args.workers.length > 0 ? `fit(x, { workers: W }) / sampleAsync(..., { workers: W }) for W = ${args.workers.join(', ')} (the engine's worker_threads)${args.workersGiven ? '' : `; high-d cases W = ${Math.max(...args.workers)} only`}` : 'not run (--workers none)'}`,
    `- TS twins (src/backend/js/, jsBackend): ${args.twins ? 'run ONCE per case (they are slow), not at high d' : 'not run (--no-twins)'}`,
    `- numpy peers (bench/peers/): ${py.ok ? py.reason : `skipped: ${py.reason}`}`,
    '- ratios are x/Wasm: above 1 means the Wasm path is faster',
    '',
  ].join('\n');
  console.log(header);

  const out = resolve(args.out);
  const sections: Section[] = [];
  const t0 = performance.now();
  const save = (finished: boolean) => {
    mkdirSync(dirname(out), { recursive: true });
    const markdownText = [header, ...sections.map(render)].join('\n');
    const json = {
      startedAt,
      finishedAt: finished ? new Date().toISOString() : null,
      seconds: (performance.now() - t0) / 1000,
      args,
      machine: m,
      loadavgEnd: loadavg(),
      python: py,
      sections,
      markdown: markdownText,
    };
    writeFileSync(out, JSON.stringify(json, null, 1) + '\n');
  };
  for (const c of allCases(args.quick).filter((c) => args.only.includes(c.id))) {
    const s = await runCase(c, args);
    sections.push(s);
    console.log(render(s));
    save(false); // a partial file survives an interrupted run
  }
  await closePools();
  const summary = summaryTable(sections, args.workers);
  if (summary.rows.length > 0) {
    const text = [
      '## Summary',
      '',
      markdown(summary),
      '',
      `- ours (1 thread): the calling thread (fitWith / sampleWith on wasmBackend()); workers: the public fit / sampleAsync with the engine's worker_threads, ${poolNote(args)}`,
      "- numpy: the peer's own total (median), BLAS threads as noted in its section; floor: one copy of the same data into Wasm memory, measured in the same section",
      ...sections
        .filter((s) => s.id === 'instantiation')
        .map(
          (s) =>
            `- instantiation: ${s.table.rows
              .slice(-2)
              .map((r) => `${r[0].replace(/\*/g, '')} ${r[1]} ms`)
              .join('; ')}`,
        ),
      '',
    ].join('\n');
    console.log(text);
    const floors = floorsTable(sections);
    if (floors.rows.length > 0) console.log(['## Compute floors (bench/wasm/floors.as, one thread)', '', markdown(floors), ''].join('\n'));
    sections.push({ id: 'summary', title: 'Summary', table: summary, notes: [], loadavg: { start: [], end: loadavg() }, seconds: 0, details: {} });
  }
  save(true);
  const secs = (performance.now() - t0) / 1000;
  console.log(`- total time ${secs.toFixed(0)} s; load average at end: ${loadavg().join(' ')}`);
  progress(`results written to ${out}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
