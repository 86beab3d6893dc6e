/// <reference types="node" />
// `relu-density fit FILE`: streams a data file through fit(source) (one pass for 'mle', three
// for 'paper'; memory stays at a few blocks whatever the file's size) and writes the model
// JSON (fitToJSON: b, sigma, the factor W, method, n, d, diagnostics, format and version) to
// --out, atomically, or to stdout.
import { fit } from '../fit.js';
import { openSource } from '../io/formats.js';
import { FORMATS } from '../io/types.js';
import { METHODS } from '../input/fit-options.js';
import { MAX_WORKERS } from '../parallel/options.js';
import { fitToJSONViews } from '../model/json.js';
import { MAX_FIT_D } from '../input/arrays.js';
import { choiceFlag, integerFlag, onePositional, parseCommand } from './args.js';
import { jsonOutput } from './output.js';
import { progressLine } from './progress.js';

export const HELP = `usage: relu-density fit FILE [options]

Learns b and Sigma = W W^T of x = ReLU(W z + b) from the rows of FILE, streamed from disk
(a file of any size; memory stays bounded), and prints the model as JSON.

FILE formats (from the extension unless --format is given):
  .npy   NumPy array, float64 or float32, little-endian, C order, shape (n, d) or (n,)
  .f64   raw little-endian float64, n x d row-major, no header: needs --d
  .csv   one row per line, d numbers, an optional header row of names

options:
  --format F      npy, f64 or csv                      (default: from the extension)
  --d D           columns per row (required for .f64; checked for the others)
  --method M      mle (censored likelihood, one pass) or paper (Wu, Dimakis & Sanghavi
                  2019, three passes over the file)      (default mle)
  --seed S        seed of the estimator's own draws (the paper method's SGD), an integer
                  in [0, 2^32)                           (default 0)
  --workers N     worker threads, 0 = this thread only; the result is the same bits for
                  every N                                (default 0)
  --out FILE      write the model JSON to FILE (atomically) instead of stdout
  -h, --help      this text

The model JSON ('relu-density/fit', version 1) holds b, sigma (the raw estimate), norms,
model { W, b } (W a d x d factor of the PSD projection of sigma: the model to sample from),
standard errors, n, d, diagnostics and warnings. A progress line goes to stderr when it is
a terminal. Exit codes: 0 ok, 1 failure (bad data, unreadable file), 2 usage.`;

export async function run(argv: string[]): Promise<number> {
  const { values: v, positionals } = parseCommand(
    argv,
    {
      format: { type: 'string' },
      d: { type: 'string' },
      method: { type: 'string' },
      seed: { type: 'string' },
      workers: { type: 'string' },
      out: { type: 'string' },
    },
    HELP,
  );
  if (v.help) {
    console.log(HELP);
    return 0;
  }
  const file = onePositional(positionals, 'the data FILE', HELP);
  const format = choiceFlag('format', v.format as string | undefined, FORMATS);
  const d = integerFlag('d', v.d as string | undefined, 1, MAX_FIT_D);
  const method = choiceFlag('method', v.method as string | undefined, METHODS) ?? 'mle';
  const seed = integerFlag('seed', v.seed as string | undefined, 0, 2 ** 32 - 1) ?? 0;
  const workers = integerFlag('workers', v.workers as string | undefined, 0, MAX_WORKERS) ?? 0;

  // The output first: an unwritable --out fails before the fit, not after it.
  const out = await jsonOutput(v.out as string | undefined);
  const bar = progressLine(process.stderr);
  try {
    const source = await openSource(file, { format, d });
    const result = await fit(source, {
      method,
      seed,
      workers,
      onProgress: (p) =>
        bar.update({
          label: `fit ${file}`,
          pass: p.pass,
          passes: p.passes,
          rows: p.rows,
          totalRows: p.totalRows ?? source.n,
          bytes: source.bytesRead,
          totalBytes: source.bytes,
        }),
    });
    bar.done();
    // Diagnostics for a person at a terminal; the warnings are in the JSON in any case.
    if (process.stderr.isTTY) for (const w of result.warnings) process.stderr.write(`relu-density: warning: ${w}\n`);
    await out.write(fitToJSONViews(result)); // the same text as fitToJSON, without copying sigma and W
    return 0;
  } catch (err) {
    bar.done();
    await out.abort();
    throw err;
  }
}
