// The Wasm SGD kernel (paper Step 1) against pinned bits: hashes of its sums of iterates and
// batch counts, made with the kernel as it was before its draw loop was rewritten for speed
// (sgd.ts's drawSums). Results already published (docs/figure1) were made with these
// streams, so any change to a draw, an accept/reject decision or an operation's order on the
// sums has to show up here; the twin comparison in kernels.test.ts allows a few ulp and
// would not see it.
//
// The two cases cover every path of the draws: Gaussian biases (b = -1.94 and -1.32 give
// alpha > 1, Robert's exponential proposal; b near 0 gives alpha near 0, where about half the
// normal candidates are rejected) and ReLU biases (four coordinates at b = 0, where alpha
// crosses 0 back and forth: normal and half-normal rejection). 20000 rows of d = 9 give about
// 1e5 draws a case, so the ziggurat's wedge and tail (about 1.2% of candidates) are hit too.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../../src/backend/contract.js';
import { forEachBlock } from '../../../src/backend/blocks.js';
import { coordinateStats, paperSgdSetup } from '../../../src/estimators/paper.js';
import { randomModelWith } from '../../../src/model/random.js';
import { sampleWith } from '../../../src/sample.js';
import { createWasmBackend, wasmBackend } from '../../../src/backend/wasm/backend.js';
import { instantiateKernels } from '../../../src/backend/wasm/instance.js';

const builds: [string, Backend][] = [
  ['release', wasmBackend()],
  ['debug', createWasmBackend(instantiateKernels(readFileSync(new URL('../../../build/debug.wasm', import.meta.url))))],
];

const cases = [
  { bias: 'gaussian', seed: 5, sha256: '53030405c6eb78b6a888866eac5709f6a023d0ebc3227c52727017b911fe833e' },
  { bias: 'relu', seed: 7, sha256: 'f336a64f18d476afeaa87e5b674dc491210bdd08417bc55907e26f07ecb0d42c' },
] as const;

/** SHA-256 of the bytes of sumV1, sumV2 and batches after Step 1 on n rows of a random model. */
function sgdHash(backend: Backend, bias: 'gaussian' | 'relu', seed: number): string {
  const d = 9;
  const model = randomModelWith({ d, bias, seed }, backend);
  const x = sampleWith(model, 20_000, { seed: seed + 1 }, backend);
  const setup = paperSgdSetup(coordinateStats(x, backend), seed + 2);
  const run = backend.sgd(d, setup);
  forEachBlock(x, (block, rows) => run.push(block, rows));
  const totals = run.finish();
  const hash = createHash('sha256');
  for (const a of [totals.sumV1, totals.sumV2, totals.batches]) hash.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return hash.digest('hex');
}

describe.each(builds)('SGD kernel (%s build): pinned bits', (_, backend) => {
  it.each(cases)('$bias biases, seed $seed', ({ bias, seed, sha256 }) => {
    expect(sgdHash(backend, bias, seed)).toBe(sha256);
  });
});
