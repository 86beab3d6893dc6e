// The command line: fit / sample / eval through main() in-process (stdout and stderr
// captured), plus real processes for exit codes and Ctrl-C. Round trips sample -> file -> fit
// in every format equal the in-memory fitSync of the same rows bit for bit; every bad input
// of issue 5 exits 1 or 2 with the file, row and column named and leaves no output behind.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { goodnessOfFit } from '../../../src/cli/goodness-of-fit.js';
import { progressLine, progressText } from '../../../src/cli/progress.js';
import { errB, errSigma, fitSync, fitFromJSON, fitToJSON, klBound, randomModel, sample, type FitResult } from '../../../src/index.js';
import { npyHeaderBytes } from '../../../src/io/npy-header.js';
import { accumulate } from '../../../src/fit.js';
import { totals } from '../../../src/backend/statistics.js';
import { toModel } from '../../../src/input/arrays.js';

const dir = mkdtempSync(join(tmpdir(), 'relu-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const at = (name: string) => join(dir, name);
const CLI = ['--import', 'tsx', join(__dirname, '../../../src/cli.ts')];

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** main(argv) with stdout and stderr captured. */
async function cli(...argv: string[]): Promise<Ran> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(((s: string, cb?: () => void) => {
    stdout += s;
    cb?.();
    return true;
  }) as typeof process.stdout.write);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(((s: string) => ((stderr += s), true)) as typeof process.stderr.write);
  const log = vi.spyOn(console, 'log').mockImplementation((s: string) => void (stdout += s + '\n'));
  const error = vi.spyOn(console, 'error').mockImplementation((s: string) => void (stderr += s + '\n'));
  try {
    return { code: await main(argv), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    log.mockRestore();
    error.mockRestore();
  }
}

/** A fit without its wall times (the only part that is not deterministic). */
const strip = (r: FitResult) => ({ ...fitToJSON(r), diagnostics: { ...fitToJSON(r).diagnostics, timings: {} } });
const readFit = (path: string) => fitFromJSON(JSON.parse(readFileSync(path, 'utf8')));

/** Files in the temp dir now, temporary files included. */
const files = () => readdirSync(dir).sort();

// d = 4 with negative and positive biases; n = 3000 rows.
const truth = randomModel({ d: 4, seed: 7, bias: 'gaussian' });
const N = 3000;
const SEED = 11;
const x = sample(truth, N, { seed: SEED });
const truthPath = at('truth.json');
writeFileSync(truthPath, JSON.stringify({ W: { data: Array.from(truth.W.data), rows: 4, cols: truth.W.cols }, b: Array.from(truth.b) }));

function f64File(name: string, data: Float64Array): string {
  writeFileSync(at(name), new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return at(name);
}

describe('sample -> file -> fit round trips', () => {
  const inMemory = fitSync(x);

  it.each(['npy', 'f64', 'csv'] as const)("%s: the file holds sample()'s rows, and its fit is fitSync's bit for bit", async (format) => {
    const file = at(`x.${format}`);
    const s = await cli('sample', truthPath, '--n', String(N), '--seed', String(SEED), '--out', file);
    expect(s.code).toBe(0);
    expect(JSON.parse(s.stdout)).toMatchObject({ out: file, format, n: N, d: 4, seed: SEED });
    const model = at(`model-${format}.json`);
    const f = await cli('fit', file, '--out', model, ...(format === 'f64' ? ['--d', '4'] : []));
    expect(f.code, f.stderr).toBe(0);
    expect(f.stdout).toBe('');
    expect(strip(readFit(model))).toEqual(strip(inMemory));
    expect(JSON.parse(readFileSync(model, 'utf8'))).toMatchObject({ format: 'relu-density/fit', version: 1, n: N, d: 4 });
  });

  it("method 'paper' streams the file three times and equals fitSync's", async () => {
    const r = await cli('fit', at('x.npy'), '--method', 'paper', '--seed', '5');
    expect(r.code, r.stderr).toBe(0);
    expect(strip(fitFromJSON(JSON.parse(r.stdout)))).toEqual(strip(fitSync(x, { method: 'paper', seed: 5 })));
  });

  it('a model file from fit samples like its model (JSON round trip is exact)', async () => {
    const r = await cli('sample', at('model-npy.json'), '--n', '500', '--seed', '3', '--out', at('again.f64'));
    expect(r.code).toBe(0);
    const bytes = readFileSync(at('again.f64'));
    const got = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    expect(Array.from(got)).toEqual(Array.from(sample(inMemory.model, 500, { seed: 3 }).data));
  });

  it('--n 0 writes an empty but valid file; 1e3 notation is accepted', async () => {
    expect((await cli('sample', truthPath, '--n', '0', '--out', at('empty.npy'))).code).toBe(0);
    expect(readFileSync(at('empty.npy')).equals(Buffer.from(npyHeaderBytes(0, 4)))).toBe(true);
    expect((await cli('sample', truthPath, '--n', '1e3', '--out', at('k.csv'))).code).toBe(0);
    expect(readFileSync(at('k.csv'), 'utf8').trim().split('\n').length).toBe(1000);
  });
});

describe('eval', () => {
  beforeAll(async () => {
    expect((await cli('fit', at('x.npy'), '--out', at('m.json'))).code).toBe(0);
  });

  it('--truth: err_b, err_Sigma and the KL bound of the library, and a TV estimate', async () => {
    const r = await cli('eval', at('m.json'), '--truth', truthPath, '--tv-draws', '400');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    const est = readFit(at('m.json'));
    expect(j.err_b).toBe(errB(est, truth));
    expect(j.err_Sigma).toBe(errSigma(est, truth));
    expect(j.kl_bound).toBe(klBound(est, truth));
    expect(j.tv.draws).toBe(400);
    expect(j.tv.rectified.value).toBeGreaterThan(0);
    expect(j.tv.rectified.value).toBeLessThan(j.tv.gaussian.value + 3 * j.tv.gaussian.se);
    const self = JSON.parse((await cli('eval', truthPath, '--truth', truthPath, '--tv-draws', '0')).stdout);
    expect([self.err_b, self.err_Sigma, self.kl_bound, self.tv]).toEqual([0, 0, 0, null]);
  });

  it('--data: observed frequencies and means of the file; the true model fits fresh data, a wrong one does not', async () => {
    const fresh = sample(truth, 20_000, { seed: 99 });
    const path = f64File('fresh.f64', fresh.data);
    const good = JSON.parse((await cli('eval', truthPath, '--data', path, '--pairs', '100')).stdout); // .f64: d from the model
    const st = totals(accumulate(fresh));
    expect(good.n).toBe(20_000);
    for (let i = 0; i < 4; i++) {
      expect(good.coordinates[i].zeros.observed).toBe(1 - st.n11[i * 5] / 20_000);
      expect(good.coordinates[i].mean.observed).toBe(st.a1[i * 5] / 20_000);
    }
    expect(good.pairs.length).toBe(6);
    expect(good.pairs[0].observed).toBe(st.n11[good.pairs[0].i * 4 + good.pairs[0].j] / 20_000);
    // The true model on fresh data: 14 z-scores of about N(0, 1).
    expect(good.summary.all.maxAbsZ).toBeLessThan(4);
    expect(good.summary.all.p).toBeGreaterThan(0.001);
    // b_2 shifted by half a standard deviation: its zero frequency is far off, p ~ 0.
    const wrong = { W: truth.W, b: truth.b.map((v, i) => (i === 2 ? v + 0.5 * Math.hypot(...rowOf(i)) : v)) };
    writeFileSync(at('wrong.json'), JSON.stringify({ W: { ...truth.W, data: Array.from(truth.W.data) }, b: Array.from(wrong.b) }));
    const bad = JSON.parse((await cli('eval', at('wrong.json'), '--data', path, '--d', '4')).stdout);
    expect(bad.summary.zeros.at).toEqual([2]);
    expect(bad.summary.zeros.maxAbsZ).toBeGreaterThan(20);
    expect(bad.summary.all.p).toBeLessThan(1e-20);
  });

  function rowOf(i: number): number[] {
    const k = truth.W.cols;
    return Array.from(truth.W.data.subarray(i * k, (i + 1) * k));
  }

  it('model probabilities match a large Monte Carlo sample (the formulas, not just self-consistency)', () => {
    const big = sample(truth, 400_000, { seed: 5 });
    const r = goodnessOfFit(totals(accumulate(big)), toModel('truth', truth), Infinity);
    for (const c of r.coordinates) {
      expect(Math.abs(c.zeros.z)).toBeLessThan(4.5);
      expect(Math.abs(c.mean.z)).toBeLessThan(4.5);
    }
    for (const p of r.pairs) expect(Math.abs(p.z)).toBeLessThan(4.5);
    expect(r.summary.pairs.meanZ2).toBeLessThan(3);
  });
});

describe('bad input: exit code 1 or 2, a message naming the file (row, column), no output left', () => {
  const out = () => at('out.json');
  const noOutput = () => expect(files().filter((f) => f === 'out.json' || f.includes('.partial'))).toEqual([]);

  const cases: [string, () => string[], RegExp][] = [
    [
      'truncated .npy',
      () => {
        const whole = readFileSync(at('x.npy'));
        writeFileSync(at('trunc.npy'), whole.subarray(0, whole.length - 13));
        return ['fit', at('trunc.npy')];
      },
      /trunc\.npy: truncated: shape \(3000, 4\) needs 96128 bytes, the file has 96115 \(2999 whole rows\)/,
    ],
    [
      '.npy of the wrong dtype',
      () => {
        const h = Buffer.from(npyHeaderBytes(2, 2)).toString('latin1').replace("'<f8'", "'<i8'");
        writeFileSync(at('int.npy'), Buffer.concat([Buffer.from(h, 'latin1'), Buffer.alloc(32)]));
        return ['fit', at('int.npy')];
      },
      /int\.npy: dtype '<i8' is not float64 or float32/,
    ],
    [
      '.npy in Fortran order',
      () => {
        const h = Buffer.from(npyHeaderBytes(2, 2)).toString('latin1').replace('False', 'True ');
        writeFileSync(at('fortran.npy'), Buffer.concat([Buffer.from(h, 'latin1'), Buffer.alloc(32)]));
        return ['fit', at('fortran.npy')];
      },
      /fortran\.npy: the array is in Fortran \(column-major\) order/,
    ],
    [
      '.npy of 3 dimensions',
      () => {
        const h = Buffer.from(npyHeaderBytes(2, 2)).toString('latin1').replace('(2, 2)', '(2,2,1)');
        writeFileSync(at('cube.npy'), Buffer.concat([Buffer.from(h, 'latin1'), Buffer.alloc(32)]));
        return ['fit', at('cube.npy')];
      },
      /cube\.npy: shape \(2, 2, 1\) is not \(n,\) or \(n, d\)/,
    ],
    ['ragged CSV', () => (writeFileSync(at('ragged.csv'), 'a,b,c\n1,2,3\n4,5\n'), ['fit', at('ragged.csv')]), /ragged\.csv: line 3 has 2 columns, expected 3/],
    [
      'non-numeric CSV',
      () => (writeFileSync(at('text.csv'), '1,2\n3,4\n5,x7\n'), ['fit', at('text.csv')]),
      /text\.csv: line 3, column 2: 'x7' is not a number/,
    ],
    ['NaN in a CSV', () => (writeFileSync(at('nan.csv'), '1,2\nNaN,4\n'), ['fit', at('nan.csv')]), /nan\.csv: line 2, column 1: value NaN is NaN/],
    [
      'a negative value in a .f64',
      () => {
        const data = x.data.slice();
        data[1234 * 4 + 3] = -0.5;
        return ['fit', f64File('neg.f64', data), '--d', '4'];
      },
      /neg\.f64: row 1234, column 3 is -0\.5; samples of ReLU\(Wz \+ b\) cannot be negative/,
    ],
    [
      'Infinity in a .f64',
      () => {
        const data = x.data.slice();
        data[2999 * 4] = Infinity;
        return ['fit', f64File('inf.f64', data), '--d', '4'];
      },
      /inf\.f64: row 2999, column 0 is Infinity; every value must be finite/,
    ],
    [
      '--d not dividing the .f64 size',
      () => ['fit', at('x.f64'), '--d', '7'],
      /x\.f64: 96000 bytes is not a multiple of 8 x d = 56 bytes: 12000 values are not a whole number of rows of d = 7; is --d right\?/,
    ],
    ['a .f64 without --d', () => ['fit', at('x.f64')], /x\.f64: a raw \.f64 file does not record d; give it with --d/],
    ['a missing data file', () => ['fit', at('nowhere.npy')], /nowhere\.npy: cannot read: no such file/],
    ['a missing model file', () => ['eval', at('nomodel.json'), '--truth', truthPath], /nomodel\.json: cannot read: no such file/],
    [
      'a model file that is not JSON',
      () => (writeFileSync(at('garbage.json'), '{"W": [[1'), ['eval', at('garbage.json'), '--truth', truthPath]),
      /garbage\.json: not valid JSON/,
    ],
    [
      'a model of the wrong shape',
      () => (writeFileSync(at('shape.json'), '{"W": [[1, 0], [0, 1]], "b": [0, 0, 1]}'), ['eval', at('shape.json'), '--truth', truthPath]),
      /shape\.json: model\.b has length 3, but model\.W has 2 rows/,
    ],
    ['one row only', () => (writeFileSync(at('one.csv'), '1,2\n'), ['fit', at('one.csv')]), /one\.csv must have n >= 2 rows, got n = 1/],
    ['data of another d than the model', () => ['eval', truthPath, '--data', at('one.csv')], /one\.csv has d = 2 columns, .*truth\.json has d = 4/],
  ];

  it.each(cases)('%s: exit 1', async (_, args, message) => {
    const r = await cli(...args(), '--out', out());
    expect(r.stderr, JSON.stringify(r)).toMatch(message);
    expect(r.stderr).toMatch(/^relu-density: /);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    noOutput();
  });

  it('an unwritable --out fails before any work, for fit, sample and eval', async () => {
    for (const [args, bad] of [
      [['fit', at('x.npy')], at('no/such/dir/out.json')],
      [['sample', truthPath, '--n', '10'], at('no/such/dir/out.npy')],
      [['eval', truthPath, '--truth', truthPath], at('no/such/dir/out.json')],
    ] as const) {
      const r = await cli(...args, '--out', bad);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`relu-density: cannot write ${bad}: no such directory ${at('no/such/dir')}\n`);
    }
    noOutput();
  });

  it('a failure after the output was opened removes it (sample of a bad model to .npy)', async () => {
    writeFileSync(at('nanmodel.json'), '{"W": [[1, 0], [0, 1]], "b": [0, null]}');
    const r = await cli('sample', at('nanmodel.json'), '--n', '10', '--out', at('s.npy'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/nanmodel\.json: model\.b\[1\] must be a number, got null/);
    expect(files().filter((f) => f.startsWith('s.npy') || f.includes('.partial'))).toEqual([]);
  });

  const usage: [string, string[], RegExp][] = [
    ['an unknown flag', ['fit', 'x.npy', '--bogus'], /Unknown option '--bogus'/],
    ['an unknown command', ['frobnicate'], /unknown command 'frobnicate'/],
    ['no FILE', ['fit'], /missing the data FILE/],
    ['two FILEs', ['fit', 'a.npy', 'b.npy'], /unexpected argument 'b\.npy'/],
    ['a bad --format', ['fit', 'x.npy', '--format', 'xls'], /--format must be one of npy, f64, csv, got 'xls'/],
    ['a bad --method', ['fit', 'x.npy', '--method', 'em'], /--method must be one of mle, paper, got 'em'/],
    ['a fractional --d', ['fit', 'x.f64', '--d', '2.5'], /--d must be an integer in \[1, 4096\], got '2\.5'/],
    ['too many workers', ['fit', 'x.npy', '--workers', '65'], /--workers must be an integer in \[0, 64\], got '65'/],
    [
      'a bad --seed',
      ['sample', 'm.json', '--n', '5', '--out', 'o.npy', '--seed', '4294967296'],
      /--seed must be an integer in \[0, 4294967295\], got '4294967296'/,
    ],
    ['sample without --n', ['sample', 'm.json', '--out', 'o.npy'], /--n is required/],
    ['sample without --out', ['sample', 'm.json', '--n', '5'], /--out is required/],
    ['sample to an unknown extension', ['sample', 'm.json', '--n', '5', '--out', 'o.txt'], /cannot tell the format of --out o\.txt/],
    ['eval with both --truth and --data', ['eval', 'm.json', '--truth', 't.json', '--data', 'x.npy'], /give exactly one of --truth and --data/],
    ['eval with neither', ['eval', 'm.json'], /give exactly one of --truth and --data/],
    ['a flag without its value', ['sample', 'm.json', '--n'], /Option '--n <value>' argument missing/],
  ];

  it.each(usage)('%s: exit 2 with the usage', async (_, args, message) => {
    const r = await cli(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('--help on every command exits 0', async () => {
    for (const command of ['fit', 'sample', 'eval', 'experiment']) {
      const r = await cli(command, ...(command === 'experiment' ? ['figure1'] : []), '--help');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^usage: relu-density ${command}`));
    }
    const top = await cli('--help');
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/fit .*\n.*sample .*\n.*eval /);
    expect((await cli()).code).toBe(2);
  });
});

describe('real processes', () => {
  it('exit codes 0, 1 and 2, messages on stderr, JSON on stdout', () => {
    const ok = spawnSync(process.execPath, [...CLI, 'fit', at('x.csv')], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout).n).toBe(N);
    expect(ok.stderr).toBe(''); // stderr is a pipe here, not a terminal: no progress line
    const fail = spawnSync(process.execPath, [...CLI, 'fit', at('ragged.csv')], { encoding: 'utf8' });
    expect(fail.status).toBe(1);
    expect(fail.stderr).toMatch(/^relu-density: .*ragged\.csv: line 3 has 2 columns/);
    const usage = spawnSync(process.execPath, [...CLI, 'sample', truthPath, '--n', '5', '--out', at('u.npy'), '--verbose'], { encoding: 'utf8' });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/Unknown option '--verbose'/);
    expect(files()).not.toContain('u.npy');
  }, 60_000);

  it('Ctrl-C during sample removes the unfinished file: nothing at --out, no temporary file, exit 130', async () => {
    const target = at('interrupted.csv');
    const child = spawn(process.execPath, [...CLI, 'sample', truthPath, '--n', '20000000', '--out', target], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b) => (stderr += b));
    const partial = () => files().find((f) => f.startsWith('.interrupted.csv.') && f.endsWith('.partial'));
    const deadline = Date.now() + 30_000;
    while (partial() === undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect(partial()).toBeDefined();
    await new Promise((r) => setTimeout(r, 200)); // some chunks written
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(130);
    expect(stderr).toContain('SIGINT: removed the unfinished output');
    expect(partial()).toBeUndefined();
    expect(files()).not.toContain('interrupted.csv');
  }, 60_000);
});

describe('progress line', () => {
  it('rows, bytes, rate and ETA, counting finished passes', () => {
    const s = { label: 'fit x.f64', pass: 2, passes: 3, rows: 500_000, totalRows: 1_000_000, bytes: 400e6, totalBytes: 800e6 };
    // Pass 2 half done: 1.5 of 3 passes in 30 s, so 30 s to go.
    expect(progressText(s, 30_000, { rows: 50_000, bytes: 40e6 })).toBe(
      'fit x.f64  pass 2/3  500k/1.00M rows  381.47 MiB/762.94 MiB  50.0k rows/s  38.15 MiB/s  ETA 0:30',
    );
    expect(progressText({ label: 'fit x.csv', pass: 1, passes: 1, rows: 1234 }, 1000)).toBe('fit x.csv  1.23k rows');
  });

  it('draws on a terminal only, at most every 100 ms, with the rate of the current pass', () => {
    const written: string[] = [];
    let t = 0;
    const quiet = progressLine({ write: (s: string) => written.push(s) }, () => t);
    quiet.update({ label: 'x', pass: 1, passes: 1, rows: 5 });
    quiet.done();
    expect(written).toEqual([]);
    const line = progressLine({ write: (s: string) => written.push(s), isTTY: true }, () => t);
    const at = (ms: number, pass: number, rows: number) => ((t = ms), line.update({ label: 'fit', pass, passes: 2, rows, totalRows: 1000 }));
    at(1000, 1, 500); // 500 rows in 1 s
    at(1050, 1, 600); // too soon: not drawn
    at(2000, 2, 100); // pass 2 starts here: its rate counts from this report (none yet)
    at(3000, 2, 300); // 200 rows in 1 s; 1.3 of 2 passes in 3 s
    line.done();
    expect(written).toEqual([
      '\rfit  pass 1/2  500/1.00k rows  500 rows/s  ETA 0:03\x1b[K',
      '\rfit  pass 2/2  100/1.00k rows  ETA 0:02\x1b[K',
      '\rfit  pass 2/2  300/1.00k rows  200 rows/s  ETA 0:02\x1b[K',
      '\n',
    ]);
  });
});
