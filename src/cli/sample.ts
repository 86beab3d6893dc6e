/// <reference types="node" />
// `relu-density sample MODEL.json --n N --out FILE`: streams sampleChunks (the same rows as
// sample(model, n, { seed }), for any number of workers) to an atomic writer, chunk by
// chunk, so n can be far larger than memory. The file appears only when complete.
import { openWriter } from '../io/writers.js';
import { formatOf } from '../io/formats.js';
import { FORMATS } from '../io/types.js';
import { MAX_WORKERS } from '../parallel/options.js';
import { sampleChunks } from '../stream/sample-tasks.js';
import { choiceFlag, integerFlag, onePositional, parseCommand } from './args.js';
import { readModelFile } from './model-file.js';
import { jsonText, writeStdout } from './output.js';
import { progressLine } from './progress.js';
import { UsageError } from './usage.js';

export const HELP = `usage: relu-density sample MODEL.json --n N --out FILE [options]

Draws N rows of x = ReLU(W z + b) from MODEL.json (the JSON of relu-density fit, or a
bare model {"W": [[...], ...], "b": [...]}) and writes them to FILE chunk by chunk, with
bounded memory. The rows are those of sample(model, N, { seed }) in the library, the same
bits for any --workers.

options:
  --n N           rows to draw, an integer (1e6 style accepted)   (required)
  --out FILE      output file: .npy (float64, C order), .f64 (raw little-endian float64)
                  or .csv (no header, shortest round-trip decimals) (required)
  --format F      npy, f64 or csv                    (default: from --out's extension)
  --seed S        seed, an integer in [0, 2^32)      (default 0)
  --workers N     worker threads, 0 = this thread    (default 0)
  -h, --help      this text

FILE is written to a temporary file beside it and renamed when complete: an error or
Ctrl-C leaves no partial FILE. A summary (JSON) goes to stdout; a progress line to stderr
when it is a terminal. Exit codes: 0 ok, 1 failure, 2 usage.`;

export async function run(argv: string[]): Promise<number> {
  const { values: v, positionals } = parseCommand(
    argv,
    { n: { type: 'string' }, out: { type: 'string' }, format: { type: 'string' }, seed: { type: 'string' }, workers: { type: 'string' } },
    HELP,
  );
  if (v.help) {
    console.log(HELP);
    return 0;
  }
  const modelPath = onePositional(positionals, 'the MODEL.json file', HELP);
  const n = integerFlag('n', v.n as string | undefined, 0, Number.MAX_SAFE_INTEGER);
  if (n === undefined) throw new UsageError(`--n is required\n\n${HELP}`);
  const out = v.out as string | undefined;
  if (!out) throw new UsageError(`--out is required\n\n${HELP}`);
  const format = choiceFlag('format', v.format as string | undefined, FORMATS) ?? formatOf(out);
  if (format === undefined) throw new UsageError(`cannot tell the format of --out ${out} from its extension; give --format (${FORMATS.join(', ')})`);
  const seed = integerFlag('seed', v.seed as string | undefined, 0, 2 ** 32 - 1) ?? 0;
  const workers = integerFlag('workers', v.workers as string | undefined, 0, MAX_WORKERS) ?? 0;

  const { model } = await readModelFile(modelPath);
  const bar = progressLine(process.stderr);
  // Checks the arguments now (n x d limits, the model) before the output file exists.
  const chunks = sampleChunks(model, n, {
    seed,
    workers,
    onProgress: (p) => bar.update({ label: `sample ${out}`, pass: 1, passes: 1, rows: p.rows, totalRows: n }),
  });
  const start = performance.now();
  const writer = await openWriter(out, format, n, model.d);
  try {
    for await (const chunk of chunks) await writer.write(chunk);
    await writer.commit();
  } catch (err) {
    await writer.abort();
    throw err;
  } finally {
    bar.done();
  }
  const seconds = (performance.now() - start) / 1000;
  await writeStdout(jsonText({ out, format, n, d: model.d, seed, workers, seconds: Number(seconds.toFixed(3)) }));
  return 0;
}
