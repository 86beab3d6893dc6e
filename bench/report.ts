// Prints the performance table of the README from a saved run of `npm run bench`, so the
// figures in the docs come from a committed results file that anyone can regenerate (rerun
// the benchmark with `--out bench/reference/<date>.json`, then this), not from hand-copied
// prose. Usage: npx tsx bench/report.ts [FILE] (default: the newest file in bench/reference/).
// Prints the summary of the cases up to d = 100, then that of the high-d cases (d >= 128) and
// the compute floors' GFLOP/s, when the run has them.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describeMachine, type Machine } from './machine.js';
import type { Section } from './section.js';
import { HIGH_D_IDS } from './args.js';
import { floorsTable, summaryTable } from './summary.js';
import { markdown } from './table.js';

const DIR = join(import.meta.dirname, 'reference');

function newest(): string {
  const files = readdirSync(DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();
  if (files.length === 0) throw new Error(`no results in ${DIR}: run npm run bench -- --out bench/reference/<date>.json`);
  return join(DIR, files[files.length - 1]);
}

const file = process.argv[2] ?? newest();
const run = JSON.parse(readFileSync(file, 'utf8')) as {
  startedAt: string;
  machine: Machine;
  args: { workers: number[] };
  sections: Section[];
};
const sections = run.sections.filter((s) => s.id !== 'summary');
console.log(`From ${relative(process.cwd(), file)} (npm run bench, ${run.startedAt.slice(0, 10)}); ${describeMachine(run.machine)}.\n`);
const isHighD = (s: Section): boolean => (HIGH_D_IDS as readonly string[]).includes(s.id);
const low = summaryTable(
  sections.filter((s) => !isHighD(s)),
  run.args.workers,
);
if (low.rows.length > 0) console.log(markdown(low));
const high = summaryTable(sections.filter(isHighD), run.args.workers);
if (high.rows.length > 0) console.log(`\nHigh d (one timed run each unless the run had --repeat):\n\n${markdown(high)}`);
const floors = floorsTable(sections);
if (floors.rows.length > 0) console.log(`\nCompute floors (one thread):\n\n${markdown(floors)}`);
