// `npm run scale-check`: the bounded-memory claim of issue 5, measured. Writes a large .f64
// with `relu-density sample` (default n = 7.5e6, d = 100: 6 GB), fits it with
// `relu-density fit` in a child process while measuring the child's peak RSS, checks
// peak RSS < --max-rss-mb (default 512), and checks that the model equals, bit for bit, the
// fit of the same rows regenerated here in streaming fashion (sampleChunks as a RowSource,
// never in memory at once). Prints one JSON report and deletes the big file.
//
// Usage: npm run build && npm run scale-check -- [--n 7.5e6] [--d 100] [--workers 0]
//        [--method mle] [--dir DIR] [--max-rss-mb 512] [--keep]
//        npm run scale-check -- --sample-only --n 1e8 --d 5   (the RSS of sample alone)
//        npm run scale-check -- --n 25000 --d 4096 --max-rss-mb 1331   (wide rows: 64 d^2 B + 256 MB)
// The children run the built dist/cli.js (as users run it). Peak RSS is the kernel's
// ru_maxrss through /usr/bin/time when present, else VmHWM of /proc/PID/status polled every
// 20 ms. The page cache is not RSS: the file is read through it, as any reader would.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { jsonPieces } from '../src/cli/json-pieces.js';
import { existsSync, readFileSync, rmSync, statfsSync, statSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fit, fitToJSON, randomModel, sampleChunks, type RowSource } from '../src/index.js';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const TIME = '/usr/bin/time';

const { values: v } = parseArgs({
  options: {
    n: { type: 'string', default: '7.5e6' },
    d: { type: 'string', default: '100' },
    seed: { type: 'string', default: '1' },
    workers: { type: 'string', default: '0' },
    method: { type: 'string', default: 'mle' },
    dir: { type: 'string', default: tmpdir() },
    'max-rss-mb': { type: 'string', default: '512' },
    'sample-only': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const n = Number(v.n);
const d = Number(v.d);
const seed = Number(v.seed);
const workers = Number(v.workers);
const method = v.method as 'mle' | 'paper';
const maxRssMB = Number(v['max-rss-mb']);
for (const [k, x] of Object.entries({ n, d, seed, workers, maxRssMB })) {
  if (!Number.isInteger(x) || x < 0) throw new Error(`--${k} must be a non-negative integer, got ${x}`);
}
if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);

const bytes = n * d * 8;
const free = (() => {
  const s = statfsSync(v.dir!);
  return s.bavail * s.bsize;
})();
if (free < bytes + 1e9) throw new Error(`${v.dir}: ${(free / 1e9).toFixed(1)} GB free, need ${((bytes + 1e9) / 1e9).toFixed(1)} GB (the file plus 1 GB)`);

interface Measured {
  code: number | null;
  seconds: number;
  peakRssMB: number;
  rssFrom: string;
  stdout: string;
  stderr: string;
}

/** Runs `node dist/cli.js ...args`, measuring wall time and peak RSS. */
async function measure(args: string[]): Promise<Measured> {
  const useTime = existsSync(TIME);
  const timeFile = join(work, `time-${Math.random().toString(36).slice(2)}.txt`);
  const cmd = useTime ? TIME : process.execPath;
  const argv = useTime ? ['-f', '%M', '-o', timeFile, process.execPath, CLI, ...args] : [CLI, ...args];
  const start = performance.now();
  const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b) => (stdout += b));
  child.stderr.on('data', (b) => (stderr += b));
  let hwmKB = 0;
  const poll = useTime
    ? undefined
    : setInterval(() => {
        try {
          const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
          if (m) hwmKB = Math.max(hwmKB, Number(m[1]));
        } catch {
          // exited between polls
        }
      }, 20);
  const code = await new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
  const seconds = (performance.now() - start) / 1000;
  if (poll) clearInterval(poll);
  if (useTime) hwmKB = Number((await readFile(timeFile, 'utf8')).trim().split('\n').pop());
  return { code, seconds, peakRssMB: hwmKB / 1024, rssFrom: useTime ? 'ru_maxrss (/usr/bin/time %M)' : 'VmHWM polled', stdout, stderr };
}

/**
 * SHA-256 of a fit's JSON text (the CLI's: two-space indented) without its timings object,
 * the one part that differs between runs, read line by line: at d = 4096 the text is
 * ~0.85 GB, more than one string holds.
 */
async function hashWithoutTimings(lines: AsyncIterable<string>): Promise<string> {
  const h = createHash('sha256');
  let skipping = '';
  for await (const line of lines) {
    if (skipping !== '') {
      if (line.startsWith(skipping) && line.trimStart().startsWith('}')) skipping = '';
      continue;
    }
    const m = /^(\s*)"timings": \{$/.exec(line);
    if (m) {
      skipping = m[1];
      continue;
    }
    h.update(line);
    h.update('\n');
  }
  return h.digest('hex');
}

async function* linesOfPieces(pieces: Iterable<string>): AsyncGenerator<string> {
  let rest = '';
  for (const piece of pieces) {
    const parts = (rest + piece).split('\n');
    rest = parts.pop()!;
    yield* parts;
  }
  if (rest !== '') yield rest;
}
const round = (x: number, digits = 1) => Number(x.toFixed(digits));

const work = await mkdtemp(join(v.dir!, 'relu-scale-'));
const dataPath = join(work, 'x.f64');
const modelPath = join(work, 'model.json');
// Orthogonal rows (the default) need an SVD of a d x d matrix: minutes at d = 4096.
const truth = randomModel({ d, seed, rows: d > 1024 ? 'gaussian' : 'orthogonal' });
await writeFile(modelPath, JSON.stringify({ W: { data: Array.from(truth.W.data), rows: truth.W.rows, cols: truth.W.cols }, b: Array.from(truth.b) }));

try {
  const report: Record<string, unknown> = { n, d, bytes, gigabytes: round(bytes / 1e9, 2), seed, method, workers, dir: work, freeGB: round(free / 1e9) };

  const s = await measure(['sample', modelPath, '--n', String(n), '--seed', String(seed), '--workers', String(workers), '--out', dataPath]);
  if (s.code !== 0) throw new Error(`sample failed (${s.code}): ${s.stderr}`);
  if (statSync(dataPath).size !== bytes) throw new Error(`${dataPath} has ${statSync(dataPath).size} bytes, expected ${bytes}`);
  report.sample = { seconds: round(s.seconds), peakRssMB: round(s.peakRssMB), MBps: round(bytes / 1e6 / s.seconds), rssFrom: s.rssFrom };

  if (!v['sample-only']) {
    const fitPath = join(work, 'fit.json');
    const f = await measure(['fit', dataPath, '--d', String(d), '--method', method, '--workers', String(workers), '--out', fitPath]);
    if (f.code !== 0) throw new Error(`fit failed (${f.code}): ${f.stderr}`);
    report.fit = {
      seconds: round(f.seconds),
      peakRssMB: round(f.peakRssMB),
      MBps: round(bytes / 1e6 / f.seconds),
      rowsPerSecond: Math.round(n / f.seconds),
      jsonMB: round(statSync(fitPath).size / 1e6),
      rssFrom: f.rssFrom,
    };
    report.rssUnderLimit = f.peakRssMB < maxRssMB;
    report.maxRssMB = maxRssMB;

    // The same rows, regenerated chunk by chunk (never all in memory), fitted here.
    const source: RowSource = { d, name: 'regenerated', n, rows: () => sampleChunks(truth, n, { seed }) };
    const t0 = performance.now();
    const streamed = await fit(source, { method });
    report.inMemoryStreamFitSeconds = round((performance.now() - t0) / 1000);
    report.stages = streamed.diagnostics.timings;
    const fromFile = await hashWithoutTimings(createInterface({ input: createReadStream(fitPath), crlfDelay: Infinity }));
    report.bitIdentical = fromFile === (await hashWithoutTimings(linesOfPieces(jsonPieces(fitToJSON(streamed)))));
  }
  report.ok = report.sample !== undefined && (v['sample-only'] || (report.rssUnderLimit === true && report.bitIdentical === true));
  console.log(JSON.stringify(report, null, 2));
  process.exitCode = report.ok ? 0 : 1;
} finally {
  if (!v.keep) rmSync(work, { recursive: true, force: true });
}
