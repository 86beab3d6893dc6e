// Every documented throw of the public API (STYLE.md practice 8), in one file. The contract:
// bad input gets a TypeError (wrong type) or RangeError (bad size or value) whose message
// starts with the argument's name and shows the offending value, and it gets it BEFORE
// anything reaches WebAssembly; never a trap, a hang, a silent NaN or a wrong answer; the
// caller's data is never mutated.
//
// "Before WebAssembly" is checked twice, for every case of the tables below:
//  1. spies on every function the Wasm instance exports (the backend looks each one up per
//     call, so nothing reaches a kernel, alloc included, without a spy seeing it);
//  2. a fresh copy of the package in a process where `WebAssembly` is undefined (as in an
//     engine without it, or a browser main thread refusing to compile synchronously): the
//     validation error must still be ours, not "WebAssembly is not available".
// `fit` is async: it never throws synchronously; every bad input gives a rejected promise.
//
// Cases marked `bug` are known defects outside src/input/arrays.ts; they run as it.fails, so
// they turn red when the defect is fixed: then drop the mark.
import { Matrix } from 'ml-matrix';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as pkg from '../../../src/index.js';
import type { FitResult, MatrixLike, ModelInput, Samples } from '../../../src/index.js';
import { jsBackend } from '../../../src/backend/js/backend.js';
import { MAX_MAGNITUDE } from '../../../src/input/scalars.js';
import { MAX_FIT_D } from '../../../src/input/arrays.js';
import { autoBackend, kernelExports } from '../../../src/backend/wasm/instance.js';

type Api = typeof pkg;
type FitOptionsLike = Parameters<Api['fitSync']>[1];
type ErrorClass = typeof TypeError | typeof RangeError;

interface Case {
  label: string;
  /** Calls the API under test (the package itself, or a fresh copy without WebAssembly). */
  run: (api: Api) => unknown;
  error: ErrorClass;
  /** The message starts with this name (the argument or the entry, e.g. `x[12][3]`). */
  arg: string;
  /** ... and contains this rendering of the offending value. */
  value: string;
  /** `fit`: must return a promise (no synchronous throw) that rejects. */
  async?: boolean;
  /** A known defect outside validate.ts that makes this case fail everywhere. */
  bug?: string;
  /** A known defect that shows only without WebAssembly (Wasm touched before validation). */
  noWasmBug?: string;
}

const f64 = (...v: number[]) => Float64Array.from(v);
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function checkError(e: unknown, c: Pick<Case, 'error' | 'arg' | 'value'>): void {
  expect(e, 'nothing was thrown').toBeDefined();
  expect((e as Error).constructor, `${String(e)}`).toBe(c.error);
  const { message } = e as Error;
  expect(message).toMatch(new RegExp(`^${escapeRegExp(c.arg)}(?![\\w\\[.])`));
  expect(message).toContain(c.value);
}

/** Runs a case: a synchronous throw, or (async) a returned promise that rejects. */
async function expectCase(c: Case, api: Api): Promise<void> {
  let result: unknown;
  let thrown: unknown;
  try {
    result = c.run(api);
  } catch (e) {
    thrown = e;
  }
  if (c.async) {
    expect(thrown, `fit threw synchronously: ${String(thrown)}`).toBeUndefined();
    expect(result).toBeInstanceOf(Promise);
    const rejection = await (result as Promise<unknown>).then(
      () => undefined,
      (e: unknown) => e,
    );
    checkError(rejection, c);
  } else {
    checkError(thrown, c);
  }
}

// ---------------------------------------------------------------------------------------
// Valid inputs; each case below changes one thing.

const truth = {
  W: [
    [1, 0.5],
    [-0.3, 1],
  ],
  b: [0.2, 0],
};
/** d = 3 samples with at least 10 positives per coordinate and spread in each. */
const good: Samples = pkg.sample(pkg.randomModel({ d: 3, seed: 11 }), 400, { seed: 11 });
const goodRows = (): number[][] => Array.from({ length: good.n }, (_, r) => Array.from(good.data.subarray(r * 3, r * 3 + 3)));
let est: FitResult; // a fit of d = 2 data, for the metrics
let est3: FitResult; // a fit of d = 3 data
beforeAll(() => {
  est = pkg.fitSync(pkg.sample(truth, 2000, { seed: 3 }));
  est3 = pkg.fitSync(good);
});

/** good with entry (r, c) replaced, in the { data, n, d } form. */
function withEntry(r: number, c: number, v: number): Samples {
  const data = good.data.slice();
  data[r * good.d + c] = v;
  return { data, n: good.n, d: good.d };
}

// ---------------------------------------------------------------------------------------
// The tables.

/** Bad data x for fit, fitSync and accumulate: [label, x, error, arg, value]. */
const badData: [string, unknown, ErrorClass, string, string][] = [
  // wrong type of x
  ['a string', 'abc', TypeError, 'x', '"abc"'],
  ['null', null, TypeError, 'x', 'null'],
  ['undefined', undefined, TypeError, 'x', 'undefined'],
  ['a number', 5, TypeError, 'x', '5'],
  ['a Float32Array', new Float32Array(6), TypeError, 'x', 'Float32Array'],
  ['a flat Float64Array without n and d', new Float64Array(6), TypeError, 'x', 'Float64Array'],
  ['a { data, rows, cols } MatrixLike (not a data form)', { data: new Float64Array(6), rows: 3, cols: 2 }, TypeError, 'x', 'Object'],
  // { data, n, d }
  ['Float32Array data', { data: new Float32Array(6), n: 3, d: 2 }, TypeError, 'x.data', 'Float32Array'],
  ['number[] data', { data: [1, 2, 3, 4, 5, 6], n: 3, d: 2 }, TypeError, 'x.data', 'array of length 6'],
  ['data shorter than n x d', { data: new Float64Array(5), n: 2, d: 3 }, RangeError, 'x.data', 'length 5, but n x d = 2 x 3 = 6'],
  ['data longer than n x d', { data: new Float64Array(7), n: 2, d: 3 }, RangeError, 'x.data', 'length 7'],
  ['n = 1', { data: new Float64Array(3), n: 1, d: 3 }, RangeError, 'x.n', 'got 1'],
  ['n = 0', { data: new Float64Array(0), n: 0, d: 3 }, RangeError, 'x.n', 'got 0'],
  ['n = 2.5', { data: new Float64Array(6), n: 2.5, d: 3 }, RangeError, 'x.n', 'got 2.5'],
  ['n = NaN', { data: new Float64Array(6), n: NaN, d: 3 }, RangeError, 'x.n', 'got NaN'],
  ['n a string', { data: new Float64Array(6), n: '2', d: 3 }, TypeError, 'x.n', 'got "2"'],
  ['d = 0', { data: new Float64Array(0), n: 2, d: 0 }, RangeError, 'x.d', 'got 0'],
  ['d = -1', { data: new Float64Array(0), n: 2, d: -1 }, RangeError, 'x.d', 'got -1'],
  ['d = 1.5', { data: new Float64Array(3), n: 2, d: 1.5 }, RangeError, 'x.d', 'got 1.5'],
  [`d = ${MAX_FIT_D + 1}`, { data: new Float64Array(2 * (MAX_FIT_D + 1)), n: 2, d: MAX_FIT_D + 1 }, RangeError, 'x.d', `got ${MAX_FIT_D + 1}`],
  // number[][]
  ['no rows', [], RangeError, 'x', 'empty array'],
  ['one row (n < 2)', [[1, 2, 3]], RangeError, 'x', 'n = 1'],
  ['rows without columns (d < 1)', [[], []], RangeError, 'x[0]', 'empty'],
  [`${MAX_FIT_D + 1} columns`, [new Array(MAX_FIT_D + 1).fill(1), new Array(MAX_FIT_D + 1).fill(1)], RangeError, 'x', `d = ${MAX_FIT_D + 1}`],
  ['ragged rows', [[1, 2], [3, 4], [5]], RangeError, 'x', 'row 2 has 1'],
  [
    'a longer later row',
    [
      [1, 2],
      [3, 4, 5],
    ],
    RangeError,
    'x',
    'row 1 has 3',
  ],
  ['a first row that is not an array', [3, [1, 2]], TypeError, 'x[0]', 'got 3'],
  ['a later row that is not an array', [[1, 2], 'ab'], TypeError, 'x[1]', 'got "ab"'],
  ['a Float64Array row', [[1, 2], f64(3, 4)], TypeError, 'x[1]', 'Float64Array'],
  [
    'a string entry',
    [
      [1, 2],
      [3, '4'],
    ],
    TypeError,
    'x[1][1]',
    'got "4"',
  ],
  [
    'a null entry',
    [
      [1, null],
      [3, 4],
    ],
    TypeError,
    'x[0][1]',
    'got null',
  ],
  [
    'a boolean entry',
    [
      [true, 1],
      [3, 4],
    ],
    TypeError,
    'x[0][0]',
    'got true',
  ],
  [
    'a hole',
    [
      [1, 2, 4],
      // biome-ignore lint/suspicious/noSparseArray: the hole is the bad input under test
      [3, , 5],
    ],
    TypeError,
    'x[1][1]',
    'got undefined',
  ],
  [
    'a bigint entry',
    [
      [1, 2],
      [3, 4n],
    ],
    TypeError,
    'x[1][1]',
    'got 4',
  ],
  // values, in every form
  [
    'NaN (rows)',
    [
      [1, 2],
      [NaN, 4],
    ],
    RangeError,
    'x[1][0]',
    'is NaN',
  ],
  [
    'Infinity (rows)',
    [
      [1, Infinity],
      [3, 4],
    ],
    RangeError,
    'x[0][1]',
    'is Infinity',
  ],
  [
    '-Infinity (rows)',
    [
      [1, 2],
      [3, -Infinity],
    ],
    RangeError,
    'x[1][1]',
    'is -Infinity',
  ],
  ['NaN ({ data, n, d })', withEntry(7, 2, NaN), RangeError, 'x[7][2]', 'is NaN'],
  ['Infinity ({ data, n, d })', withEntry(0, 0, Infinity), RangeError, 'x[0][0]', 'is Infinity'],
  ['-Infinity ({ data, n, d })', withEntry(399, 1, -Infinity), RangeError, 'x[399][1]', 'is -Infinity'],
  ['a negative value ({ data, n, d })', withEntry(12, 2, -0.5), RangeError, 'x[12][2]', 'is -0.5; samples of ReLU(Wz + b) cannot be negative'],
  [
    'a tiny negative value (rows)',
    [
      [1, 2],
      [3, -1e-300],
    ],
    RangeError,
    'x[1][1]',
    'is -1e-300',
  ],
  [
    'a huge negative value (rows)',
    [
      [1, 2],
      [-1e300, 4],
    ],
    RangeError,
    'x[1][0]',
    'cannot be negative',
  ],
  [`a value above ${MAX_MAGNITUDE}`, withEntry(3, 1, 1e80), RangeError, 'x[3][1]', 'is 1e+80'],
  // ml-matrix
  ['a Matrix with one row', new Matrix([[1, 2]]), RangeError, 'x', 'n = 1'],
  ['a Matrix without columns', new Matrix(3, 0), RangeError, 'x[0]', 'empty'],
  [
    'a Matrix with NaN',
    new Matrix([
      [1, 2],
      [3, NaN],
    ]),
    RangeError,
    'x[1][1]',
    'is NaN',
  ],
  [
    'a Matrix with a negative value',
    new Matrix([
      [1, -2],
      [3, 4],
    ]),
    RangeError,
    'x[0][1]',
    'is -2',
  ],
];

const bad = (v: unknown) => v as never;

const dataCases: Case[] = badData.flatMap(([label, x, error, arg, value]): Case[] => [
  { label: `fitSync: x ${label}`, run: (api) => api.fitSync(bad(x)), error, arg, value },
  { label: `fit: x ${label}`, run: (api) => api.fit(bad(x)), error, arg, value, async: true },
  { label: `accumulate: x ${label}`, run: (api) => api.accumulate(bad(x)), error, arg, value },
]);

/** Bad options of fit and fitSync (x valid): [label, options, error, arg, value]. */
const badFitOptions: [string, unknown, ErrorClass, string, string][] = [
  ['a string', 'paper', TypeError, 'options', '"paper"'],
  ['null', null, TypeError, 'options', 'null'],
  ['an array', [], TypeError, 'options', 'array'],
  ['a number', 42, TypeError, 'options', '42'],
  ['an unknown method', { method: 'Paper' }, RangeError, 'options.method', `'paper', got "Paper"`],
  ['an unknown method (empty)', { method: '' }, RangeError, 'options.method', 'got ""'],
  ['a method of the wrong type', { method: 1 }, TypeError, 'options.method', 'got 1'],
  ['a null method', { method: null }, TypeError, 'options.method', 'got null'],
  ['an unknown step1', { step1: 'tobit' }, RangeError, 'options.step1', `'censored', 'truncated', 'sgd', got "tobit"`],
  ['a step1 of the wrong type', { step1: 2 }, TypeError, 'options.step1', 'got 2'],
  ['an unknown step2', { step2: 'kendall' }, RangeError, 'options.step2', `got "kendall"`],
  ['a step2 of the wrong type', { step2: ['pairwise'] }, TypeError, 'options.step2', 'array of length 1'],
  ['a non-boolean assumeNonnegativeBias', { assumeNonnegativeBias: 'yes' }, TypeError, 'options.assumeNonnegativeBias', 'got "yes"'],
  ['assumeNonnegativeBias = 1', { assumeNonnegativeBias: 1 }, TypeError, 'options.assumeNonnegativeBias', 'got 1'],
  ["step1 with method 'paper'", { method: 'paper', step1: 'censored' }, RangeError, 'options.step1', 'got "censored"'],
  ["step2 with method 'paper'", { method: 'paper', step2: 'orthant' }, RangeError, 'options.step2', 'got "orthant"'],
  ["assumeNonnegativeBias with method 'paper'", { method: 'paper', assumeNonnegativeBias: true }, RangeError, 'options.assumeNonnegativeBias', 'got true'],
  ...badSeeds(),
];

function badSeeds(): [string, unknown, ErrorClass, string, string][] {
  return [
    ['a negative seed', { seed: -1 }, RangeError, 'options.seed', 'got -1'],
    ['a non-integer seed', { seed: 1.5 }, RangeError, 'options.seed', 'got 1.5'],
    ['a seed of 2^32', { seed: 2 ** 32 }, RangeError, 'options.seed', 'got 4294967296'],
    ['a NaN seed', { seed: NaN }, RangeError, 'options.seed', 'got NaN'],
    ['an infinite seed', { seed: Infinity }, RangeError, 'options.seed', 'got Infinity'],
    ['a string seed', { seed: '1' }, TypeError, 'options.seed', 'got "1"'],
    ['a null seed', { seed: null }, TypeError, 'options.seed', 'got null'],
    ['a bigint seed', { seed: 1n }, TypeError, 'options.seed', 'got 1'],
  ];
}

const fitOptionCases: Case[] = badFitOptions.flatMap(([label, o, error, arg, value]): Case[] => [
  { label: `fitSync: options ${label}`, run: (api) => api.fitSync(good, bad(o)), error, arg, value },
  { label: `fit: options ${label}`, run: (api) => api.fit(good, bad(o)), error, arg, value, async: true },
]);

/** Bad models, as `model` of sample and `truth` of the metrics: [label, model, error, path, value]. */
const badModels: [string, unknown, ErrorClass, string, string][] = [
  ['null', null, TypeError, '', 'null'],
  ['a string', 'model', TypeError, '', '"model"'],
  ['without W', { b: [0, 0] }, TypeError, '.W', 'undefined'],
  ['with a string W', { W: 'W', b: [0] }, TypeError, '.W', '"W"'],
  ['with a Float32Array W', { W: new Float32Array(4), b: [0, 0] }, TypeError, '.W', 'Float32Array'],
  ['with a Float64Array W', { W: new Float64Array(4), b: [0, 0] }, TypeError, '.W', 'Float64Array'],
  ['with W in the { data, n, d } form', { W: { data: new Float64Array(4), n: 2, d: 2 }, b: [0, 0] }, TypeError, '.W', 'Object'],
  ['with Float32Array W.data', { W: { data: new Float32Array(4), rows: 2, cols: 2 }, b: [0, 0] }, TypeError, '.W.data', 'Float32Array'],
  [
    'with W.data of the wrong length',
    { W: { data: new Float64Array(3), rows: 2, cols: 2 }, b: [0, 0] },
    RangeError,
    '.W.data',
    'length 3, but rows x cols = 2 x 2 = 4',
  ],
  ['with W.rows = 0', { W: { data: new Float64Array(0), rows: 0, cols: 2 }, b: [] }, RangeError, '.W.rows', 'got 0'],
  ['with W.cols = 0', { W: { data: new Float64Array(0), rows: 2, cols: 0 }, b: [0, 0] }, RangeError, '.W.cols', 'got 0'],
  ['with W.cols = 1.5', { W: { data: new Float64Array(3), rows: 2, cols: 1.5 }, b: [0, 0] }, RangeError, '.W.cols', 'got 1.5'],
  ['with a string W.rows', { W: { data: new Float64Array(4), rows: '2', cols: 2 }, b: [0, 0] }, TypeError, '.W.rows', 'got "2"'],
  ['with W = []', { W: [], b: [] }, RangeError, '.W', 'empty array'],
  ['with W rows of no columns (k < 1)', { W: [[], []], b: [0, 0] }, RangeError, '.W[0]', 'empty'],
  ['with a Matrix W of no columns', { W: new Matrix(2, 0), b: [0, 0] }, RangeError, '.W[0]', 'empty'],
  ['with a ragged W', { W: [[1, 2], [3]], b: [0, 0] }, RangeError, '.W', 'row 1 has 1'],
  ['with a W row that is not an array', { W: [[1, 2], null], b: [0, 0] }, TypeError, '.W[1]', 'null'],
  [
    'with a string in W',
    {
      W: [
        [1, 2],
        [3, '4'],
      ],
      b: [0, 0],
    },
    TypeError,
    '.W[1][1]',
    '"4"',
  ],
  [
    'with NaN in W',
    {
      W: [
        [1, 2],
        [NaN, 4],
      ],
      b: [0, 0],
    },
    RangeError,
    '.W[1][0]',
    'is NaN',
  ],
  [
    'with Infinity in W',
    {
      W: [
        [1, Infinity],
        [3, 4],
      ],
      b: [0, 0],
    },
    RangeError,
    '.W[0][1]',
    'is Infinity',
  ],
  ['with -Infinity in W', { W: { data: f64(1, 2, 3, -Infinity), rows: 2, cols: 2 }, b: [0, 0] }, RangeError, '.W[1][1]', 'is -Infinity'],
  [
    'with NaN in a Matrix W',
    {
      W: new Matrix([
        [1, NaN],
        [3, 4],
      ]),
      b: [0, 0],
    },
    RangeError,
    '.W[0][1]',
    'is NaN',
  ],
  [
    `with |W| above ${MAX_MAGNITUDE}`,
    {
      W: [
        [1, -1e200],
        [3, 4],
      ],
      b: [0, 0],
    },
    RangeError,
    '.W[0][1]',
    'is -1e+200',
  ],
  [
    'without b',
    {
      W: [
        [1, 0],
        [0, 1],
      ],
    },
    TypeError,
    '.b',
    'undefined',
  ],
  [
    'with a string b',
    {
      W: [
        [1, 0],
        [0, 1],
      ],
      b: 'ab',
    },
    TypeError,
    '.b',
    '"ab"',
  ],
  [
    'with a number b',
    {
      W: [
        [1, 0],
        [0, 1],
      ],
      b: 0,
    },
    TypeError,
    '.b',
    '0',
  ],
  [
    'with b shorter than W has rows',
    {
      W: [
        [1, 0],
        [0, 1],
      ],
      b: [0],
    },
    RangeError,
    '.b',
    'length 1',
  ],
  [
    'with b longer than W has rows',
    {
      W: [
        [1, 0],
        [0, 1],
      ],
      b: f64(0, 0, 0),
    },
    RangeError,
    '.b',
    'length 3',
  ],
  [
    'with a string in b',
    {
      W: [
        [1, 0],
        [0, 1],
      ],
      b: [0, 'x'],
    },
    TypeError,
    '.b[1]',
    '"x"',
  ],
  [
    'with a hole in b',
    {
      W: [
        [1, 0],
        [0, 1],
      ],
      b: [0, undefined],
    },
    TypeError,
    '.b[1]',
    'undefined',
  ],
  [
    'with NaN in b',
    {
      W: [
        [1, 0],
        [0, 1],
      ],
      b: [0, NaN],
    },
    RangeError,
    '.b[1]',
    'is NaN',
  ],
  [
    'with Infinity in b',
    {
      W: [
        [1, 0],
        [0, 1],
      ],
      b: f64(Infinity, 0),
    },
    RangeError,
    '.b[0]',
    'is Infinity',
  ],
  [
    'with -Infinity in b',
    {
      W: [
        [1, 0],
        [0, 1],
      ],
      b: [-Infinity, 0],
    },
    RangeError,
    '.b[0]',
    'is -Infinity',
  ],
  [
    `with |b| above ${MAX_MAGNITUDE}`,
    {
      W: [
        [1, 0],
        [0, 1],
      ],
      b: [0, -1e160],
    },
    RangeError,
    '.b[1]',
    'is -1e+160',
  ],
];

const modelCases: Case[] = badModels.flatMap(([label, m, error, path, value]): Case[] => [
  { label: `sample: model ${label}`, run: (api) => api.sample(bad(m), 10), error, arg: `model${path}`, value },
  ...(['errB', 'errSigma', 'klBound'] as const).map(
    (fn): Case => ({
      label: `${fn}: truth ${label}`,
      run: (api) => api[fn](est, bad(m)),
      error,
      arg: `truth${path}`,
      value,
    }),
  ),
]);

/** Bad n and options of sample (model valid). */
const sampleCases: Case[] = (
  [
    ['n = -1', -1, undefined, RangeError, 'n', 'got -1'],
    ['n = 1.5', 1.5, undefined, RangeError, 'n', 'got 1.5'],
    ['n = NaN', NaN, undefined, RangeError, 'n', 'got NaN'],
    ['n = Infinity', Infinity, undefined, RangeError, 'n', 'got Infinity'],
    ['n a string', '10', undefined, TypeError, 'n', 'got "10"'],
    ['n undefined', undefined, undefined, TypeError, 'n', 'got undefined'],
    ['n a bigint', 10n, undefined, TypeError, 'n', 'got 10'],
    // n x d above 2^32 - 1: refused before any allocation (V8's own error would say
    // "Invalid typed array length" or "Array buffer allocation failed").
    ['n x d = 2^32 (n = 2^31, d = 2)', 2 ** 31, undefined, RangeError, 'n', 'n = 2147483648 rows of d = 2 is more than 4294967295 values'],
    ['n = MAX_SAFE_INTEGER', Number.MAX_SAFE_INTEGER, undefined, RangeError, 'n', `${Number.MAX_SAFE_INTEGER} rows`],
    ['options a string', 10, 'seed', TypeError, 'options', '"seed"'],
    ['options null', 10, null, TypeError, 'options', 'null'],
    ['options an array', 10, [1], TypeError, 'options', 'array'],
    ...badSeeds().map(([label, o, error, arg, value]) => [`options ${label}`, 10, o, error, arg, value]),
  ] as [string, unknown, unknown, ErrorClass, string, string][]
).map(
  ([label, n, o, error, arg, value]): Case => ({
    label: `sample: ${label}`,
    run: (api) => api.sample(truth, bad(n), bad(o)),
    error,
    arg,
    value,
  }),
);

/** Bad options of randomModel: [label, options, error, arg, value, bug?]. */
const randomCases: Case[] = (
  [
    ['a number', 5, TypeError, 'options', '5'],
    ['null', null, TypeError, 'options', 'null'],
    ['a string', 'd', TypeError, 'options', '"d"'],
    ['d = 0', { d: 0 }, RangeError, 'options.d', 'got 0'],
    ['d = 4097', { d: 4097 }, RangeError, 'options.d', 'got 4097'],
    ['d = 1.5', { d: 1.5 }, RangeError, 'options.d', 'got 1.5'],
    ['d = NaN', { d: NaN }, RangeError, 'options.d', 'got NaN'],
    ['d a string', { d: '3' }, TypeError, 'options.d', 'got "3"'],
    ['kappa < 1', { kappa: 0.5 }, RangeError, 'options.kappa', 'got 0.5'],
    ['kappa = -1', { kappa: -1 }, RangeError, 'options.kappa', 'got -1'],
    ['kappa = NaN', { kappa: NaN }, RangeError, 'options.kappa', 'got NaN'],
    ['kappa = Infinity', { kappa: Infinity }, RangeError, 'options.kappa', 'got Infinity'],
    ['kappa a string', { kappa: '2' }, TypeError, 'options.kappa', 'got "2"'],
    ['kappa with gaussian rows', { rows: 'gaussian', kappa: 2 }, RangeError, 'options.kappa', 'got 2'],
    ['unknown rows', { rows: 'svd' }, RangeError, 'options.rows', `got "svd"`],
    ['rows of the wrong type', { rows: 1 }, TypeError, 'options.rows', 'got 1'],
    ['unknown bias', { bias: 'normal' }, RangeError, 'options.bias', `got "normal"`],
    ['bias of the wrong type', { bias: null }, TypeError, 'options.bias', 'got null'],
    ...badSeeds(),
  ] as [string, unknown, ErrorClass, string, string, string?][]
).map(
  ([label, o, error, arg, value, bug]): Case => ({
    label: `randomModel: options ${label}`,
    run: (api) => api.randomModel(bad(o)),
    error,
    arg,
    value,
    ...(bug === undefined ? {} : { bug }),
  }),
);

/** Bad estimates for the metrics (truth valid, d = 2). */
const estCases: Case[] = (['errB', 'errSigma', 'klBound'] as const).flatMap((fn) =>
  (
    [
      ['null', () => null, TypeError, 'est', 'got null'],
      ['a plain object', () => ({}), TypeError, 'est', 'Object'],
      ['of another d', () => est3, RangeError, 'est.d', 'is 3, but the true model has d = 2'],
      ['with b too short', () => ({ ...est, b: est.b.subarray(0, 1) }), RangeError, 'est.b', 'length 1'],
      ['with sigma too short', () => ({ ...est, sigma: est.sigma.subarray(0, 3) }), RangeError, 'est.sigma', 'length 3'],
      ['with NaN in b', () => ({ ...est, b: f64(NaN, 0) }), RangeError, 'est.b[0]', 'NaN'],
      ['without model', () => ({ ...est, model: undefined }), TypeError, 'est.model', 'undefined'],
    ] as [string, () => unknown, ErrorClass, string, string, string?][]
  )
    // errB reads only est.b, errSigma only est.sigma: the others are harmless to them.
    .filter(([label]) => !(fn === 'errB' && /sigma|model/.test(label)) && !(fn === 'errSigma' && /b too|in b|model/.test(label)))
    .map(
      ([label, e, error, arg, value, bug]): Case => ({
        label: `${fn}: est ${label}`,
        run: (api) => api[fn](e() as FitResult, truth),
        error,
        arg,
        value,
        ...(bug === undefined ? {} : { bug }),
      }),
    ),
);

const truthCases: Case[] = [
  {
    label: 'errB: truth with W = 0',
    run: (api) =>
      api.errB(est, {
        W: [
          [0, 0],
          [0, 0],
        ],
        b: [0, 0],
      }),
    error: RangeError,
    arg: 'truth.W',
    value: '0',
  },
  {
    label: 'errSigma: truth with W = 0',
    run: (api) =>
      api.errSigma(est, {
        W: [
          [0, 0],
          [0, 0],
        ],
        b: [0, 0],
      }),
    error: RangeError,
    arg: 'truth.W',
    value: '0',
  },
];

const allCases: Case[] = [...dataCases, ...fitOptionCases, ...modelCases, ...sampleCases, ...randomCases, ...estCases, ...truthCases];

// ---------------------------------------------------------------------------------------

// Spies on every function of the package's cached Wasm instance ('wasm.<export>') and on
// every kernel of the TypeScript backend ('js.<method>'), for the whole file; they pass
// calls through, and are cleared before each test. Which of the two runs depends on what
// 'auto' picks (RELU_DENSITY_BACKEND=js in the js test project).
const ACTIVE = autoBackend();
/** What a valid call of `sample` runs, and the kernels of the paper's Step 1 SGD and Step 2 counts. */
const SAMPLE_KERNEL = ACTIVE === 'js' ? 'js.sample' : 'wasm.sampleRows';
const PAPER_PASS_KERNELS = ['wasm.sgdChunk', 'wasm.pairCounts', 'js.sgd', 'js.pairCounts'];
let spies: (readonly [string, { mock: { calls: unknown[] }; mockClear(): void }])[] = [];
beforeAll(() => {
  const spyAll = (prefix: string, o: Record<string, (...a: unknown[]) => unknown>) =>
    Object.keys(o)
      .filter((k) => typeof o[k] === 'function')
      .map((k) => [`${prefix}.${k}`, vi.spyOn(o, k)] as const);
  spies = [
    ...spyAll('wasm', kernelExports() as unknown as Record<string, (...a: unknown[]) => unknown>),
    ...spyAll('js', jsBackend as unknown as Record<string, (...a: unknown[]) => unknown>),
  ];
});
beforeEach(() => {
  for (const [, s] of spies) s.mockClear();
});
afterAll(() => {
  vi.restoreAllMocks();
});
/** The Wasm exports called since the test began. */
const called = (): string[] => spies.filter(([, s]) => s.mock.calls.length > 0).map(([k]) => k);

describe('every bad input: TypeError/RangeError naming the argument and value, no kernel run', () => {
  for (const c of allCases) {
    (c.bug === undefined ? it : it.fails)(`${c.label}${c.bug === undefined ? '' : ` [KNOWN BUG: ${c.bug}]`}`, async () => {
      await expectCase(c, pkg);
      expect(called()).toEqual([]);
    });
  }

  it(`the spies see kernel calls (a valid sample calls ${SAMPLE_KERNEL})`, () => {
    pkg.sample(truth, 3);
    expect(called()).toContain(SAMPLE_KERNEL);
  });
});

describe('every bad input, in a fresh copy of the package where WebAssembly is undefined', () => {
  // 'auto' would run the TypeScript kernels here (test/unit/backend/fallback.test.ts); forcing Wasm
  // through the environment keeps the tripwire: a valid call fails for want of WebAssembly,
  // so a validation that came after the backend choice would show.
  let fresh: Api;
  beforeAll(async () => {
    vi.resetModules();
    vi.stubGlobal('WebAssembly', undefined);
    vi.stubEnv('RELU_DENSITY_BACKEND', 'wasm');
    fresh = (await import('../../../src/index.js')) as Api;
  });
  afterAll(() => {
    vi.unstubAllGlobals();
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('the tripwire works: valid calls fail for want of WebAssembly', async () => {
    expect(() => fresh.sample(truth, 1)).toThrow(/WebAssembly is not available/);
    expect(() => fresh.fitSync(good)).toThrow(/WebAssembly is not available/);
    await expect(fresh.fit(good)).rejects.toThrow(/WebAssembly is not available/);
  });

  for (const c of allCases) {
    const bug = c.bug ?? c.noWasmBug;
    (bug === undefined ? it : it.fails)(`${c.label}${bug === undefined ? '' : ` [KNOWN BUG: ${bug}]`}`, async () => {
      await expectCase(c, fresh);
    });
  }
});

describe('fit is async: it never throws synchronously', () => {
  it('returns a promise that rejects, for bad data and for bad options', async () => {
    const p = pkg.fit(bad('abc'));
    expect(p).toBeInstanceOf(Promise);
    await expect(p).rejects.toThrow(TypeError);
    const q = pkg.fit(good, bad({ seed: -1 }));
    expect(q).toBeInstanceOf(Promise);
    await expect(q).rejects.toThrow(RangeError);
    // and the paper's own checks (below) reject too
    await expect(pkg.fit({ data: new Float64Array(4), n: 2, d: 2 })).rejects.toThrow(RangeError);
  });
});

describe('per-coordinate checks of the estimators (RangeError naming the coordinate)', () => {
  // These need the positives of each coordinate, so they come after the statistics kernel
  // (momentStats for 'mle', coordStats for 'paper'; it reads data validate.ts already
  // passed as finite and non-negative) and before anything else runs.
  /** d = 2: coordinate 0 is 1 + (r mod 7), coordinate 1 is `values`. */
  const column = (values: number[], first: (r: number) => number = (r) => 1 + (r % 7)): Samples => {
    const n = values.length;
    const data = new Float64Array(2 * n);
    for (let r = 0; r < n; r++) {
      data[2 * r] = first(r);
      data[2 * r + 1] = values[r];
    }
    return { data, n, d: 2 };
  };
  /** m distinct positives, then zeros, n values in all. */
  const positives = (m: number, n: number) => Array.from({ length: n }, (_, r) => (r < m ? 0.5 + r / 3 : 0));
  const equal = column([...new Array(20).fill(2.5), ...new Array(30).fill(0)]);

  const NEVER = (i: number, n: number) => `x: coordinate ${i} is never positive (0 of ${n} values); its bias is not identifiable (b_${i} -> -infinity)`;
  const FEW = (i: number, m: number) => `x: coordinate ${i} has ${m} positive values; the paper's Step 1 needs at least 10 (one SGD batch)`;
  const SAME = (i: number, v: number) => `x: the positive values of coordinate ${i} are all equal (${v}); the paper's Step 1 needs their spread`;
  const CONSTANT = (i: number, v: number) => `x: every value of coordinate ${i} equals ${v}; a normal with no spread has no MLE`;
  const FLAT = (i: number, m: number) =>
    `x: coordinate ${i} has ${m} positive values with no spread; the truncated-normal MLE needs at least two distinct values`;

  const paper = { method: 'paper' } as const;
  const sgd = { step1: 'sgd' } as const;
  const truncated = { step1: 'truncated' } as const;
  const cases: [string, Samples, FitOptionsLike, string][] = [
    ['mle: a coordinate that is never positive', column(new Array(50).fill(0)), {}, NEVER(1, 50)],
    ['mle: coordinate 0 never positive', column(positives(20, 50), () => 0), {}, NEVER(0, 50)],
    ['mle (truncated): a coordinate that is never positive', column(new Array(50).fill(0)), truncated, NEVER(1, 50)],
    ['mle: a coordinate whose every value is the same positive number', column(new Array(50).fill(2.5)), {}, CONSTANT(1, 2.5)],
    ['mle, d = 1, n = 2: two equal values', { data: f64(1, 1), n: 2, d: 1 }, {}, CONSTANT(0, 1)],
    ['mle (truncated): positives all equal', equal, truncated, FLAT(1, 20)],
    ['mle (truncated): one positive', column(positives(1, 50)), truncated, FLAT(1, 1)],
    ['paper: a coordinate that is never positive', column(new Array(50).fill(0)), paper, FEW(1, 0)],
    ['paper: a coordinate with 9 positives', column(positives(9, 50)), paper, FEW(1, 9)],
    ['paper: a coordinate whose positives are all equal', equal, paper, SAME(1, 2.5)],
    ['paper, d = 1, n = 2', { data: f64(1, 2), n: 2, d: 1 }, paper, FEW(0, 2)],
    ['mle (sgd): a coordinate with 9 positives', column(positives(9, 50)), sgd, FEW(1, 9)],
    ['mle (sgd): positives all equal', equal, sgd, SAME(1, 2.5)],
  ];
  for (const [label, x, o, message] of cases) {
    it(label, async () => {
      expect(() => pkg.fitSync(x, o)).toThrow(new RangeError(message));
      await expect(pkg.fit(x, o)).rejects.toThrow(new RangeError(message));
      const kernels = called();
      for (const k of PAPER_PASS_KERNELS) expect(kernels).not.toContain(k);
    });
  }

  it('paper: 10 positives per coordinate is enough; mle accepts fewer, with a warning', () => {
    const ten = pkg.fitSync(column(positives(10, 50)), paper);
    expect(Array.from(ten.diagnostics.positives)).toEqual([50, 10]);
    for (const v of [...ten.b, ...ten.sigma, ...ten.norms, ...ten.model.W.data]) expect(Number.isFinite(v)).toBe(true);
    for (const m of [1, 9]) {
      const r = pkg.fitSync(column(positives(m, 50)));
      for (const v of [...r.b, ...r.sigma, ...r.norms, ...r.model.W.data]) expect(Number.isFinite(v)).toBe(true);
      expect(r.warnings.join('\n')).toContain(`coordinate 1: only ${m} of 50 values are positive`);
    }
  });

  it('mle: positives all equal, with zeros beside them, is fitted (the zeros pin the spread)', () => {
    const r = pkg.fitSync(equal);
    for (const v of [...r.b, ...r.sigma, ...r.norms]) expect(Number.isFinite(v)).toBe(true);
    expect(r.norms[1]).toBeGreaterThan(0);
  });
});

describe('edges that are valid', () => {
  it('d = 1: n = 1 is refused; n = 2 is the minimum for mle, n = 10 positives for the paper', async () => {
    expect(() => pkg.fitSync([[1]])).toThrow(new RangeError('x must have n >= 2 rows, got n = 1'));
    expect(() => pkg.fitSync({ data: f64(1), n: 1, d: 1 })).toThrow(new RangeError('x.n must be an integer in [2, 9007199254740991], got 1'));
    await expect(pkg.fit(new Matrix([[1]]))).rejects.toThrow(new RangeError('x must have n >= 2 rows, got n = 1'));
    const finite = (r: FitResult) => {
      expect(r.d).toBe(1);
      for (const v of [...r.b, ...r.sigma, ...r.norms, ...r.model.W.data]) expect(Number.isFinite(v)).toBe(true);
    };
    for (const x of [
      [[1], [2]],
      [[0], [1]],
    ]) {
      const r = pkg.fitSync(x);
      finite(r);
      expect(r.n).toBe(2);
      expect(r.warnings.join('\n')).toContain('coordinate 0: only');
    }
    expect(() => pkg.fitSync([[1], [2]], { method: 'paper' })).toThrow(/^x: coordinate 0 has 2 positive values/);
    const x = [0.3, 1.2, 0.7, 2.1, 0.05, 1.6, 0.9, 0.4, 1.1, 2.5].map((v) => [v]);
    const r = pkg.fitSync(x, { method: 'paper' });
    finite(r);
    expect(r.n).toBe(10);
    expect(r.b[0]).toBeGreaterThanOrEqual(0);
    expect((await pkg.fit(x, { method: 'paper' })).sigma).toEqual(r.sigma);
  });

  it('sample with n = 0 gives an empty sample of the model dimension, without a kernel call', () => {
    const s = pkg.sample(truth, 0);
    expect(s.n).toBe(0);
    expect(s.d).toBe(2);
    expect(s.data).toBeInstanceOf(Float64Array);
    expect(s.data.length).toBe(0);
    expect(called()).toEqual([]);
  });

  it('seeds 0 and 2^32 - 1 are accepted', () => {
    for (const seed of [0, 2 ** 32 - 1]) {
      expect(pkg.sample(truth, 5, { seed }).data.length).toBe(10);
      expect(pkg.fitSync(good, { seed, method: 'paper' }).d).toBe(3);
      expect(pkg.randomModel({ d: 2, seed }).b.length).toBe(2);
    }
  });

  it('options may be undefined or {} and give the defaults', () => {
    const a = pkg.fitSync(good);
    expect(pkg.fitSync(good, {}).sigma).toEqual(a.sigma);
    expect(pkg.fitSync(good, { seed: undefined, method: undefined }).sigma).toEqual(a.sigma);
    expect(pkg.sample(truth, 7, {}).data).toEqual(pkg.sample(truth, 7).data);
  });

  it('-0 counts as zero, not as a negative value', () => {
    const minus = good.data.map((v) => (v === 0 ? -0 : v));
    expect(minus.some((v) => Object.is(v, -0))).toBe(true);
    expect(pkg.fitSync({ data: minus, n: good.n, d: good.d }).sigma).toEqual(pkg.fitSync(good).sigma);
  });

  it(`values up to ${MAX_MAGNITUDE} are fitted, and the fit scales with x as the error advises`, () => {
    const max = good.data.reduce((a, v) => Math.max(a, v), 0);
    const c = (MAX_MAGNITUDE / max) * 0.999;
    const scaled = pkg.fitSync({ data: good.data.map((v) => v * c), n: good.n, d: good.d });
    const base = pkg.fitSync(good);
    for (let i = 0; i < 3; i++) expect(scaled.b[i] / c).toBeCloseTo(base.b[i], 6);
    for (let i = 0; i < 9; i++) expect(scaled.sigma[i] / c / c).toBeCloseTo(base.sigma[i], 6);
  });

  it(`model entries up to ${MAX_MAGNITUDE} sample finite values and give finite metrics`, () => {
    const big = {
      W: [
        [MAX_MAGNITUDE, -MAX_MAGNITUDE / 2],
        [0, MAX_MAGNITUDE],
      ],
      b: [MAX_MAGNITUDE, -MAX_MAGNITUDE],
    };
    for (const v of pkg.sample(big, 200).data) expect(Number.isFinite(v)).toBe(true);
    for (const v of [pkg.errB(est, big), pkg.errSigma(est, big), pkg.klBound(est, big)]) expect(Number.isFinite(v)).toBe(true);
  });

  it('b may be any ArrayLike of numbers, W may have negative entries and k != d', () => {
    const W = [
      [1, -0.5, 0.25],
      [-0.3, 1, 0],
    ];
    const ref = pkg.sample({ W, b: [0.5, -0.25] }, 50, { seed: 9 }).data;
    expect(pkg.sample({ W, b: f64(0.5, -0.25) }, 50, { seed: 9 }).data).toEqual(ref);
    expect(pkg.sample({ W, b: Float32Array.of(0.5, -0.25) }, 50, { seed: 9 }).data).toEqual(ref);
    expect(pkg.sample({ W, b: { length: 2, 0: 0.5, 1: -0.25 } }, 50, { seed: 9 }).data).toEqual(ref);
  });
});

describe('the three input forms are accepted and agree', () => {
  const forms = (rows: number[][]): [string, unknown][] => {
    const n = rows.length;
    const d = rows[0].length;
    return [
      ['number[][]', rows],
      ['Matrix', new Matrix(rows)],
      ['{ data, n, d } / { data, rows, cols }', { data: Float64Array.from(rows.flat()), n, d, rows: n, cols: d }],
    ];
  };

  it('fit and fitSync give the same result for number[][], Matrix and { data, n, d }', async () => {
    const results: FitResult[] = [];
    for (const [, x] of forms(goodRows())) {
      // the MatrixLike keys are extra here: { data, n, d } is what fit reads
      results.push(pkg.fitSync(bad(x)), await pkg.fit(bad(x)));
    }
    const strip = (r: FitResult) => ({ ...r, diagnostics: { ...r.diagnostics, timings: {} } });
    for (const r of results.slice(1)) expect(strip(r)).toEqual(strip(results[0]));
    expect(strip(pkg.fitSync(good))).toEqual(strip(results[0]));
  });

  it('sample and the metrics give the same result for W as number[][], Matrix and { data, rows, cols }', () => {
    const W = [
      [1, 0.5, -0.2],
      [-0.3, 1, 0.1],
    ];
    const outs = forms(W).map(([, w]) => {
      const m = { W: w as MatrixLike, b: [0.2, 0] };
      return [pkg.sample(m, 300, { seed: 5 }).data, pkg.errB(est, m), pkg.errSigma(est, m), pkg.klBound(est, m)];
    });
    for (const o of outs.slice(1)) expect(o).toEqual(outs[0]);
  });
});

describe("the caller's data is never mutated", () => {
  const snapshot = (x: unknown): unknown =>
    Matrix.isMatrix(x)
      ? (x as Matrix).to2DArray()
      : ArrayBuffer.isView(x)
        ? Array.from(x as Float64Array)
        : Array.isArray(x)
          ? x.map(snapshot)
          : typeof x === 'object' && x !== null
            ? Object.fromEntries(Object.entries(x).map(([k, v]) => [k, snapshot(v)]))
            : x;

  it('by fitSync, fit and accumulate, for number[][], Matrix and { data, n, d }', async () => {
    const rows = goodRows();
    const xs: unknown[] = [rows, new Matrix(rows), { data: good.data.slice(), n: good.n, d: good.d }];
    for (const x of xs) {
      const before = snapshot(x);
      pkg.fitSync(bad(x));
      pkg.fitSync(bad(x), { method: 'paper' });
      await pkg.fit(bad(x));
      pkg.accumulate(bad(x));
      expect(snapshot(x)).toEqual(before);
    }
  });

  it('by sample and the metrics, for every form of W and b', () => {
    const models: ModelInput[] = [
      {
        W: [
          [1, 0.5],
          [-0.3, 1],
        ],
        b: [0.2, -0.1],
      },
      {
        W: new Matrix([
          [1, 0.5],
          [-0.3, 1],
        ]),
        b: f64(0.2, -0.1),
      },
      { W: { data: f64(1, 0.5, -0.3, 1), rows: 2, cols: 2 }, b: f64(0.2, -0.1) },
    ];
    for (const m of models) {
      const before = snapshot(m);
      const e = snapshot(est);
      pkg.sample(m, 100);
      pkg.errB(est, m);
      pkg.errSigma(est, m);
      pkg.klBound(est, m);
      expect(snapshot(m)).toEqual(before);
      expect(snapshot(est)).toEqual(e);
    }
  });

  it('nor by a call that fails validation part-way', () => {
    const x = withEntry(200, 1, -1);
    const before = Array.from(x.data);
    expect(() => pkg.fitSync(x)).toThrow(RangeError);
    expect(Array.from(x.data)).toEqual(before);
  });
});
