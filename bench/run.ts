// `npm run bench`: the end-to-end cases and the kernels alone, Wasm against the TypeScript
// twins and the numpy peers in one run; tables (Markdown) on stdout, progress on stderr,
// everything as JSON in bench/results/latest.json. Flags: see args.ts or --help.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from './args.js';
import { allCases, type Case } from './cases.js';
import { runFitCase } from './fit-case.js';
import { runKernels } from './kernels.js';
import { describeMachine, loadavg, machine } from './machine.js';
import { pythonStatus } from './peer.js';
import { runSampleCase } from './sample-case.js';
import { progress, type Section } from './section.js';
import { markdown } from './table.js';

function runCase(c: Case, args: ReturnType<typeof parseArgs>): Section {
  if (c.kind === 'fit') return runFitCase(c, args);
  if (c.kind === 'sample') return runSampleCase(c, args);
  return runKernels(c, args);
}

function render(s: Section): string {
  return [`## ${s.title}`, '', markdown(s.table), '', ...s.notes.map((n) => `- ${n}`), `- section time: ${s.seconds.toFixed(0)} s`, ''].join('\n');
}

function main(): void {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  const startedAt = new Date().toISOString();
  const m = machine();
  const py = args.peers ? pythonStatus() : { ok: false, reason: 'not run (--no-peers)' };
  const header = [
    '# relu-density benchmark',
    '',
    `- machine: ${describeMachine(m)}`,
    `- load average (1, 5, 15 min) at start: ${m.loadavg.join(' ')} (shared machine: read ratios, not absolute times)`,
    `- run: ${startedAt}; flags: ${process.argv.slice(2).join(' ') || '(none)'}${args.quick ? ' (n divided by 10)' : ''}`,
    `- Wasm: the release build inlined in src/wasm/bytes.ts, one thread; median of ${args.repeat} runs after a warm-up`,
    `- TS twins (src/js/, jsBackend): ${args.twins ? 'run ONCE per case (they are slow)' : 'not run (--no-twins)'}`,
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
      startedAt, finishedAt: finished ? new Date().toISOString() : null, seconds: (performance.now() - t0) / 1000,
      args, machine: m, loadavgEnd: loadavg(), python: py, sections, markdown: markdownText,
    };
    writeFileSync(out, JSON.stringify(json, null, 1) + '\n');
  };
  for (const c of allCases(args.quick).filter((c) => args.only.includes(c.id))) {
    const s = runCase(c, args);
    sections.push(s);
    console.log(render(s));
    save(false); // a partial file survives an interrupted run
  }
  save(true);
  const secs = (performance.now() - t0) / 1000;
  console.log(`- total time ${secs.toFixed(0)} s; load average at end: ${loadavg().join(' ')}`);
  progress(`results written to ${out}`);
}

main();
