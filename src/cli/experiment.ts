/// <reference types="node" />
// `relu-density experiment figure1 ...`: runs the experiments (src/experiments/figure1.ts)
// and writes runs.jsonl, summary.md, figure1.svg and figure1.png into --out.
//
// The figure needs the optional packages vega, vega-lite and @resvg/resvg-js. They are loaded
// before the first run, not after the last: a full run takes hours, and finding them missing
// at the end would throw that away (and --no-figure is the way to run without them).
//
// Everything is written into a staging directory inside --out first (runs.jsonl line by line
// as runs finish), and moved into place only after the last run: the old summary.md goes
// first and the new one comes last, so an interrupted or failed run never leaves a summary
// that claims a complete run (its partial records stay in the staging directory).
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { figure1Checks, figure1Spec, runFigure1, summarize, summaryMarkdown, type Figure1Options, type SweepId } from '../experiments/index.js';
import { duration } from '../experiments/format.js';
import { progressBar } from '../experiments/progress.js';
import { loadRenderer, MissingRenderPackagesError, type Renderer } from '../experiments/render.js';
import { SWEEP_IDS } from '../experiments/sweeps.js';
import type { Method } from '../types.js';
import { UsageError } from './usage.js';

const EXPERIMENTS = ['figure1'];
const DEFAULT_OUT = 'figure1';

export const HELP = `usage: relu-density experiment figure1 [options]

Re-runs the three sweeps of Figure 1 of Wu, Dimakis & Sanghavi (NeurIPS 2019) as the
authors' script does (n = 2e4..2e5 at d = 5; d = 5..25 at n = 5e5; kappa = 1..25 at
n = 5e5, d = 5), fits every instance with each method, and writes to --out:
  runs.jsonl   one JSON record per fit (errors, KL bound, Monte Carlo TV with standard errors)
  summary.md   mean and standard deviation per point, the paper's values beside them
  figure1.svg, figure1.png   the three panels (error bars: one standard deviation), drawn
               with the optional packages vega, vega-lite and @resvg/resvg-js
               (npm install vega vega-lite @resvg/resvg-js; or --no-figure)

options:
  --runs N         runs (fresh instances) per point          (default 10; 3 with --quick)
  --quick          n / 10, d <= 13, 3 runs, 2000 TV draws: a smoke test (~15 s)
  --seed S         seed of everything, an integer in [0, 2^32) (default 0)
  --methods LIST   comma-separated, from paper,mle            (default paper,mle)
  --sweeps LIST    comma-separated, from a,b,c                (default a,b,c)
  --tv-draws M     Monte Carlo draws of each TV estimate      (default 10000; 2000 with --quick)
  --tv-points P    GHK lattice points per orthant probability (default 64)
  --out DIR        output directory, created if missing       (default ./${DEFAULT_OUT})
  --no-figure      write runs.jsonl and summary.md only (no vega, vega-lite or resvg needed)
  -h, --help       this text

A progress bar goes to stderr when it is a terminal. Ctrl-C stops after the current run and
leaves the records so far in DIR/.figure1-partial-*/runs.jsonl, with no summary.`;

function integer(flag: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const v = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(v >= min && v <= max)) throw new UsageError(`--${flag} must be an integer in [${min}, ${max}], got '${text}'`);
  return v;
}

function list<T extends string>(flag: string, text: string | undefined, choices: readonly T[], what: string): T[] | undefined {
  if (text === undefined) return undefined;
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0) throw new UsageError(`--${flag} must list at least one ${what}`);
  for (const item of items) {
    if (!choices.includes(item as T)) {
      throw new UsageError(`unknown ${what} '${item}' in --${flag}; choose from ${choices.join(', ')}`);
    }
  }
  return items as T[];
}

interface Parsed {
  help: boolean;
  options: Figure1Options;
  out: string;
  figure: boolean;
}

function parse(argv: string[]): Parsed {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        runs: { type: 'string' },
        quick: { type: 'boolean' },
        seed: { type: 'string' },
        methods: { type: 'string' },
        sweeps: { type: 'string' },
        'tv-draws': { type: 'string' },
        'tv-points': { type: 'string' },
        out: { type: 'string' },
        'no-figure': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new UsageError(`${err instanceof Error ? err.message : String(err)}\n\n${HELP}`);
  }
  const { values: v, positionals } = parsed;
  if (v.help) return { help: true, options: {}, out: '', figure: false };
  if (positionals.length === 0) throw new UsageError(`which experiment? (${EXPERIMENTS.join(', ')})\n\n${HELP}`);
  if (!EXPERIMENTS.includes(positionals[0])) {
    throw new UsageError(`unknown experiment '${positionals[0]}'; the experiments are: ${EXPERIMENTS.join(', ')}`);
  }
  if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'`);
  if (v.out === '') throw new UsageError('--out must name a directory');
  return {
    help: false,
    out: resolve(v.out ?? DEFAULT_OUT),
    figure: !(v['no-figure'] ?? false),
    options: {
      runs: integer('runs', v.runs, 1, 10_000),
      quick: v.quick ?? false,
      seed: integer('seed', v.seed, 0, 2 ** 32 - 1),
      methods: list<Method>('methods', v.methods, ['paper', 'mle'], 'method'),
      sweeps: list<SweepId>('sweeps', v.sweeps, SWEEP_IDS, 'sweep'),
      tvDraws: integer('tv-draws', v['tv-draws'], 4, 1e8),
      tvPoints: integer('tv-points', v['tv-points'], 1, 1e6),
    },
  };
}

/**
 * mkdir -p, one level at a time. Node's own recursive mkdir spins forever where mkdir answers
 * ENOENT under an existing parent (any path under /proc on Linux; nodejs/node#27198 is the
 * Windows cousin): it reads ENOENT as "parent missing", recreates the parent (EEXIST) and
 * retries.
 */
function ensureDir(dir: string): void {
  const parent = dirname(dir);
  if (parent !== dir && !existsSync(parent)) ensureDir(parent);
  try {
    mkdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  if (!statSync(dir).isDirectory()) throw new Error(`${dir} is not a directory`);
}

/** The staging directory inside out (created), or a UsageError saying why out is unusable. */
function stagingDir(out: string): string {
  try {
    ensureDir(out);
    return mkdtempSync(join(out, '.figure1-partial-'));
  } catch (err) {
    throw new UsageError(`cannot write to --out ${out}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

const FIGURES = ['figure1.svg', 'figure1.png'];

/** The files a run writes, summary.md last. */
function files(figure: boolean): string[] {
  return ['runs.jsonl', ...(figure ? FIGURES : []), 'summary.md'];
}

/** Moves the finished files into out: the old summary out first, the new summary in last. */
function publish(stage: string, out: string, figure: boolean): void {
  rmSync(join(out, 'summary.md'), { force: true });
  for (const f of files(figure)) renameSync(join(stage, f), join(out, f));
  rmSync(stage, { recursive: true, force: true });
}

/** The renderer, or an error (exit code 1: the command line is fine, the installation is not). */
async function renderingPackages(): Promise<Renderer> {
  try {
    return await loadRenderer();
  } catch (err) {
    if (!(err instanceof MissingRenderPackagesError)) throw err;
    // -g: a global relu-density resolves packages from the global node_modules only.
    throw new Error(`${err.message} (-g too if relu-density is installed globally), or pass --no-figure to write runs.jsonl and summary.md only`, {
      cause: err,
    });
  }
}

export async function run(argv: string[]): Promise<number> {
  const { help, options, out, figure } = parse(argv);
  if (help) {
    console.log(HELP);
    return 0;
  }
  // Before the staging directory, so a missing package leaves nothing behind in --out.
  const renderer = figure ? await renderingPackages() : null;
  const stage = stagingDir(out);
  const records = join(stage, 'runs.jsonl');
  writeFileSync(records, '');

  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    process.stderr.write(`\n${signal}: stopping after the current run (again to stop at once)\n`);
    controller.abort(new Error(`interrupted by ${signal}`));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const bar = progressBar(process.stderr);
  const start = performance.now();
  let result;
  try {
    result = await runFigure1({ ...options, signal: controller.signal }, (p) => {
      appendFileSync(records, p.records.map((r) => JSON.stringify(r)).join('\n') + '\n');
      bar.update(p);
    });
  } catch (err) {
    bar.done();
    console.error(`relu-density: no summary written; the records so far are in ${records}`);
    if (controller.signal.aborted) {
      console.error(`relu-density: ${(controller.signal.reason as Error).message}`);
      return 130;
    }
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  bar.done();

  const summaries = summarize(result.runs);
  const checks = figure1Checks(result.runs, summaries);
  if (renderer !== null) {
    const svg = await renderer.svg(figure1Spec(summaries));
    writeFileSync(join(stage, 'figure1.svg'), svg);
    writeFileSync(join(stage, 'figure1.png'), renderer.png(svg));
  }
  const wallMs = performance.now() - start;
  const command = ['relu-density experiment', ...argv].join(' ');
  writeFileSync(join(stage, 'summary.md'), summaryMarkdown({ settings: result.settings, runs: result.runs, summaries, checks, wallMs, command }));
  publish(stage, out, figure);

  console.log(
    `wrote ${files(figure)
      .map((f) => join(out, f))
      .join(', ')} (${result.runs.length} fits, ${duration(wallMs)})`,
  );
  for (const c of checks) console.log(`${c.holds === null ? '-' : c.holds ? 'ok  ' : 'FAIL'} ${c.claim}: ${c.detail}`);
  return 0;
}
