// `relu-density experiment figure1`: the quick run through the CLI's run(), the inequalities
// between the distances on every run, determinism, --no-figure, bad arguments and an
// interrupted run; and which names relu-density/experiments and the root export. (Without the
// optional rendering packages, which this repository installs as dev dependencies, the command
// is tested on the packed tarball in ship.test.ts.)
//
// The quick run (n / 10 at every point of the three sweeps, sweep b up to d = 13, 3 runs, both
// methods, 2000 TV draws; 102 fits) takes about 10 s under tsx and 20-25 s under vitest, whose
// module runner slows the special functions' cross-module calls about 2.5x.
// Rectified TV <= Gaussian TV <= KL bound is checked on every run to 3 standard errors: the
// first through the common-draw difference (tvGap, whose SE is small), the second against the
// exact bound (Pinsker).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../../src/cli/experiment.js';
import { UsageError } from '../../../src/cli/usage.js';
import * as experiments from '../../../src/experiments/index.js';
import { runFigure1, SWEEPS, type RunRecord } from '../../../src/experiments/index.js';
import { progressBar, progressLine } from '../../../src/experiments/progress.js';
import * as root from '../../../src/index.js';

const tmp = mkdtempSync(join(tmpdir(), 'relu-density-experiment-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const CLI = ['--import', 'tsx', join(__dirname, '../../../src/cli.ts')];

describe('experiment figure1 --quick', () => {
  const out = join(tmp, 'quick');
  let code: number;
  let runs: RunRecord[];

  beforeAll(async () => {
    code = await run(['figure1', '--quick', '--out', out]);
    runs = readFileSync(join(out, 'runs.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as RunRecord);
  }, 180_000);

  it('writes the records, the summary and the figure, and nothing else', () => {
    expect(code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['figure1.png', 'figure1.svg', 'runs.jsonl', 'summary.md']);
    const points = SWEEPS.a.points.length + SWEEPS.b.points.filter((p) => p.d <= 13).length + SWEEPS.c.points.length;
    expect(runs.length).toBe(points * 3 * 2);
    expect(readFileSync(join(out, 'figure1.svg'), 'utf8')).toMatch(/^<svg[^>]*>/);
    expect([...readFileSync(join(out, 'figure1.png')).subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const summary = readFileSync(join(out, 'summary.md'), 'utf8');
    expect(summary).toContain('## (a) samples: n = 2k … 20k');
    expect(summary).toContain('**Quick run**');
    expect(summary).not.toContain('**fails**');
  });

  it("uses n / 10 of the paper's at every point and the same samples for both methods", () => {
    for (const r of runs) {
      expect(r.n).toBe(SWEEPS[r.sweep].points[r.point].n / 10);
      const twin = runs.find((s) => s.sweep === r.sweep && s.point === r.point && s.run === r.run && s.method !== r.method)!;
      expect(twin.sampleSeed).toBe(r.sampleSeed);
      expect(twin.tvSeed).toBe(r.tvSeed);
    }
  });

  it('rectified TV <= Gaussian TV <= KL bound on every run (to 3 SE)', () => {
    for (const r of runs) {
      const where = `${r.sweep}/${r.point}/${r.run}/${r.method}`;
      expect(r.tvRectified, where).toBeGreaterThanOrEqual(0);
      expect(r.tvGaussian, where).toBeLessThanOrEqual(1);
      expect(r.tvGapSe, where).toBeGreaterThan(0);
      expect(r.tvGap, where).toBeCloseTo(r.tvGaussian - r.tvRectified, 12);
      expect(r.tvGap, where).toBeGreaterThanOrEqual(-3 * r.tvGapSe);
      expect(r.tvGaussian, where).toBeLessThanOrEqual(r.klBound + 3 * r.tvGaussianSe);
    }
  });

  it("method 'mle' has at most 0.15 x the err_Sigma of method 'paper' at every point", () => {
    for (const sweep of ['a', 'b', 'c'] as const) {
      SWEEPS[sweep].points.forEach(({ d }, point) => {
        if (d > 13) return;
        const mean = (method: string) => {
          const v = runs.filter((r) => r.sweep === sweep && r.point === point && r.method === method).map((r) => r.errSigma);
          return v.reduce((a, b) => a + b, 0) / v.length;
        };
        expect(mean('mle') / mean('paper'), `${sweep}/${point}`).toBeLessThanOrEqual(0.15);
      });
    }
  });
});

describe('experiment figure1 --no-figure', () => {
  it('writes the records and the summary only, and says so', async () => {
    const out = join(tmp, 'no-figure');
    const lines: string[] = [];
    const log = console.log;
    console.log = (s: string) => lines.push(s);
    try {
      expect(await run(['figure1', '--quick', '--sweeps', 'c', '--runs', '1', '--methods', 'mle', '--tv-draws', '200', '--out', out, '--no-figure'])).toBe(0);
    } finally {
      console.log = log;
    }
    expect(readdirSync(out).sort()).toEqual(['runs.jsonl', 'summary.md']);
    expect(lines[0]).toMatch(new RegExp(`^wrote ${join(out, 'runs.jsonl')}, ${join(out, 'summary.md')} \\(7 fits, `));
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain('## (c)');
  });
});

describe('the entries', () => {
  const FIGURE1 = ['SWEEPS', 'figure1Checks', 'figure1Settings', 'figure1Spec', 'runFigure1', 'summarize', 'summaryMarkdown'];

  it('relu-density/experiments exports the Figure-1 machinery and tvDistances; the root only tvDistances of it', () => {
    expect(Object.keys(experiments).sort()).toEqual([...FIGURE1, 'tvDistances']);
    expect(Object.keys(root).filter((k) => FIGURE1.includes(k))).toEqual([]);
    expect(experiments.tvDistances).toBe(root.tvDistances);
  });

  it('figure1Spec is plain JSON (its type names no vega-lite type)', () => {
    const spec = experiments.figure1Spec([]);
    expect(spec.$schema).toBe('https://vega.github.io/schema/vega-lite/v6.json');
    expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
  });
});

describe('runFigure1', () => {
  const options = { quick: true, runs: 1, sweeps: ['c' as const], methods: ['mle' as const], tvDraws: 200 };
  const strip = (rs: RunRecord[]) => rs.map(({ sampleMs: _s, fitMs: _f, tvMs: _t, ...rest }) => rest);

  it('is deterministic for a seed, and the seed matters', async () => {
    const a = await runFigure1(options);
    const b = await runFigure1(options);
    expect(strip(b.runs)).toEqual(strip(a.runs));
    const c = await runFigure1({ ...options, seed: 1 });
    expect(c.runs[0].errB).not.toBe(a.runs[0].errB);
  });

  it('reports progress after every run and stops on an aborted signal', async () => {
    const seen: number[] = [];
    const controller = new AbortController();
    const p = runFigure1({ ...options, signal: controller.signal }, (e) => {
      seen.push(e.runsDone);
      expect(e.runsTotal).toBe(7);
      if (e.runsDone === 2) controller.abort(new Error('stop'));
    });
    await expect(p).rejects.toThrow('stop');
    expect(seen).toEqual([1, 2]);
  });

  it('validates its options', async () => {
    await expect(runFigure1({ runs: 0 })).rejects.toThrow(RangeError);
    await expect(runFigure1({ sweeps: ['d' as never] })).rejects.toThrow(RangeError);
    await expect(runFigure1({ methods: [] })).rejects.toThrow(RangeError);
  });
});

describe('experiment figure1: bad arguments', () => {
  const bad: [string, string[], RegExp][] = [
    ['an unknown experiment', ['figure2'], /unknown experiment 'figure2'/],
    ['an unknown sweep', ['figure1', '--sweeps', 'a,x'], /unknown sweep 'x'/],
    ['an unknown method', ['figure1', '--methods', 'gan'], /unknown method 'gan'/],
    ['runs < 1', ['figure1', '--runs', '0'], /--runs must be an integer in \[1, 10000\], got '0'/],
    ['runs not an integer', ['figure1', '--runs', '2.5'], /--runs must be an integer/],
    ['an unknown option', ['figure1', '--bogus'], /Unknown option '--bogus'/],
    ['no experiment', [], /which experiment/],
  ];
  for (const [what, argv, message] of bad) {
    it(`${what} is a UsageError`, async () => {
      await expect(run(argv)).rejects.toThrow(UsageError);
      await expect(run(argv)).rejects.toThrow(message);
    });
  }

  it('an unwritable --out is a UsageError and writes nothing', async () => {
    const file = join(tmp, 'a-file');
    writeFileSync(file, 'not a directory');
    await expect(run(['figure1', '--quick', '--out', join(file, 'out')])).rejects.toThrow(/cannot write to --out/);
  });

  it.runIf(existsSync('/proc/self'))("an --out under /proc is a UsageError (Node's recursive mkdir would spin there)", async () => {
    await expect(run(['figure1', '--quick', '--out', '/proc/relu-density/out'])).rejects.toThrow(/cannot write to --out/);
  });

  it('the command exits with code 2 and a clear message', () => {
    const r = spawnSync(process.execPath, [...CLI, 'experiment', 'figure1', '--runs', '0'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("relu-density: --runs must be an integer in [1, 10000], got '0'");
    expect(r.stdout).toBe('');
  }, 30_000);

  it('--help prints the options and exits 0', async () => {
    const lines: string[] = [];
    const log = console.log;
    console.log = (s: string) => lines.push(s);
    try {
      expect(await run(['figure1', '--help'])).toBe(0);
    } finally {
      console.log = log;
    }
    expect(lines.join('\n')).toContain('--tv-draws M');
    expect(lines.join('\n')).toContain('npm install vega vega-lite @resvg/resvg-js; or --no-figure');
  });
});

describe('experiment figure1: interrupted', () => {
  it('SIGINT stops after the current run, exits 130 and leaves no summary', async () => {
    const out = join(tmp, 'interrupted');
    const child = spawn(process.execPath, [...CLI, 'experiment', 'figure1', '--quick', '--sweeps', 'b', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b) => (stderr += b));
    const partial = () => {
      if (!existsSync(out)) return null;
      const stage = readdirSync(out).find((f) => f.startsWith('.figure1-partial-'));
      const file = stage && join(out, stage, 'runs.jsonl');
      return file && existsSync(file) && readFileSync(file, 'utf8').length > 0 ? file : null;
    };
    const deadline = Date.now() + 30_000;
    while (partial() === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const file = partial();
    expect(file).not.toBeNull();
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(130);
    expect(stderr).toContain('no summary written');
    expect(readdirSync(out).filter((f) => !f.startsWith('.'))).toEqual([]);
    const lines = readFileSync(file!, 'utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBeLessThan(3 * 3 * 2); // sweep b of --quick: 3 points x 3 runs x 2 methods
    for (const l of lines) expect(JSON.parse(l).sweep).toBe('b');
  }, 60_000);
});

describe('progress bar', () => {
  const p = { pointsDone: 3, pointsTotal: 20, runsDone: 35, runsTotal: 200, elapsedMs: 65_000, etaMs: 3_725_000, records: [] };

  it('shows points, runs, elapsed and ETA', () => {
    expect(progressLine(p, 100)).toMatch(/^\[#+-+\] 3\/20 points {2}35\/200 runs {2}elapsed 1:05 {2}ETA 1:02:05$/);
  });

  it('writes only to a terminal', () => {
    const written: string[] = [];
    const sink = { write: (s: string) => written.push(s) };
    const quiet = progressBar(sink);
    quiet.update(p);
    quiet.done();
    expect(written).toEqual([]);
    const tty = progressBar({ ...sink, isTTY: true, columns: 100 });
    tty.update(p);
    tty.done();
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the bar ends with the terminal's clear-line escape
    expect(written.join('')).toMatch(/^\r\[#+-+\] 3\/20 points.*\x1b\[K\n$/);
  });
});
