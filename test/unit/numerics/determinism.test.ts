// Same seed, same bits on every engine: no source file may compute through a function whose
// last bits the engine chooses. ECMA-262 (sec. 21.3.2) leaves Math.exp, Math.sin, ... and `**`
// "implementation-approximated", and Chromium 156's V8 differs from Node 20's in 0.1-27% of
// the arguments of each; the package's own exp, log, sin, ... live in src/numerics/math.ts.
// Parsed with the TypeScript compiler, so comments and strings that name them do not count.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import stdlibCos from '@stdlib/math-base-special-cos';
import stdlibExp from '@stdlib/math-base-special-exp';
import stdlibExpm1 from '@stdlib/math-base-special-expm1';
import stdlibLn from '@stdlib/math-base-special-ln';
import stdlibLog1p from '@stdlib/math-base-special-log1p';
import stdlibSin from '@stdlib/math-base-special-sin';
import { cos, exp, expm1, log, log1p, sin, asin, tanh, HALF_LOG_2PI } from '../../../src/numerics/math.js';

const REPO = join(import.meta.dirname, '../../..');

/** Every Math member whose result the engine may round its own way (all but the exact ones). */
const APPROXIMATED = new Set([
  'exp',
  'expm1',
  'log',
  'log1p',
  'log2',
  'log10',
  'pow',
  'sin',
  'cos',
  'tan',
  'asin',
  'acos',
  'atan',
  'atan2',
  'sinh',
  'cosh',
  'tanh',
  'asinh',
  'acosh',
  'atanh',
  'cbrt',
  'hypot',
  'random',
]);

/** Files whose use only shapes text or plot axes, never a returned number. */
const DISPLAY_ONLY = new Map([
  ['src/experiments/format.ts', 'digits to print'],
  ['src/experiments/spec.ts', 'decade ticks of the plot axes'],
]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** `Math.<approximated>` and `a ** b` (but for literal ** literal, which is folded exactly, e.g. 2 ** 32). */
function engineDependent(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const src = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const where = (n: ts.Node) => `${relative(REPO, file)}:${src.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
  const visit = (n: ts.Node): void => {
    if (ts.isPropertyAccessExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'Math' && APPROXIMATED.has(n.name.text)) {
      found.push(`${where(n)} Math.${n.name.text}`);
    }
    if (ts.isBinaryExpression(n)) {
      const op = n.operatorToken.kind;
      const literal = (e: ts.Expression) => ts.isNumericLiteral(e) || (ts.isPrefixUnaryExpression(e) && ts.isNumericLiteral(e.operand));
      if (op === ts.SyntaxKind.AsteriskAsteriskEqualsToken || (op === ts.SyntaxKind.AsteriskAsteriskToken && !(literal(n.left) && literal(n.right)))) {
        found.push(`${where(n)} ${n.getText(src)}`);
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(src);
  return found;
}

describe('engine independence', () => {
  it('no file of src/ computes through an engine-approximated Math function or `**`', () => {
    const files = sourceFiles(join(REPO, 'src')).filter((f) => !DISPLAY_ONLY.has(relative(REPO, f)));
    expect(files.length).toBeGreaterThan(50);
    expect(files.flatMap(engineDependent)).toEqual([]);
  });

  it('the scan finds what it looks for (so an empty list means something)', () => {
    const flagged = [...DISPLAY_ONLY.keys()].flatMap((f) => engineDependent(join(REPO, f)));
    expect(flagged.some((s) => s.includes('Math.log10'))).toBe(true);
    expect(flagged.some((s) => s.includes('10 **'))).toBe(true);
  });

  // The package's functions reproduce the correctly rounded value to within an ulp or two, so
  // replacing the engine's changed no accuracy (values from mpmath at 30 digits, rounded).
  it.each([
    ['exp(1)', exp(1), 2.718281828459045],
    ['exp(-745)', exp(-745), 5e-324],
    ['log(10)', log(10), 2.302585092994046],
    ['log1p(1e-20)', log1p(1e-20), 1e-20],
    ['expm1(1e-10)', expm1(1e-10), 1.00000000005e-10],
    ['sin(1e6)', sin(1e6), -0.34999350217129294],
    ['cos(3)', cos(3), -0.9899924966004454],
    ['asin(0.5)', asin(0.5), 0.5235987755982989],
    ['tanh(0.5)', tanh(0.5), 0.46211715726000974],
    ['HALF_LOG_2PI', HALF_LOG_2PI, 0.9189385332046728],
  ])('%s', (_, got, want) => {
    expect(Math.abs(got - want)).toBeLessThanOrEqual(2 * Number.EPSILON * Math.abs(want) + Number.MIN_VALUE);
  });

  /** n arguments from a fixed integer sequence (no engine function in the way). */
  function args(n: number, lo: number, hi: number): Float64Array {
    const out = new Float64Array(n);
    let a = 12345;
    for (let i = 0; i < n; i++) {
      a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
      out[i] = lo + ((hi - lo) * a) / 2 ** 32;
    }
    return out;
  }

  /** |a - b| in units in the last place of b. */
  const ulps = (a: number, b: number) => Math.abs(a - b) / (Number.EPSILON * Math.max(Math.abs(b), Number.MIN_VALUE / Number.EPSILON));

  // The rewrites of stdlib's fdlibm ports (fixed-size bit access, exact 2^k scaling) must not
  // change a bit: stdlib (a devDependency) is the reference, over each function's whole range.
  const multiplesOfHalfPi = Array.from(args(20_000, -1000, 1000), (v) => Math.round(v) * (Math.PI / 2));
  it.each([
    [
      'exp',
      exp,
      stdlibExp,
      [...args(60_000, -744.4, 709.8), ...args(20_000, -20, 20), 0, -0, 1e-300, -708.4, -708.39, 709.782712893384, 709.79, -Infinity, Infinity, NaN],
    ],
    [
      'log',
      log,
      stdlibLn,
      [
        ...args(40_000, 0, 10),
        ...args(30_000, 1e-300, 1e-290),
        ...args(20_000, 0.9, 1.1),
        5e-324,
        2.2250738585072014e-308,
        1e-310,
        0,
        -0,
        1,
        2,
        1e300,
        Infinity,
        -1,
        NaN,
      ],
    ],
    [
      'log1p',
      log1p,
      stdlibLog1p,
      [...args(30_000, -1, 0), ...args(30_000, -1e-6, 1e-6), ...args(30_000, 0, 1e6), -1, 0, -0, 1e-300, 1e300, 2 ** 53, Infinity, NaN, -2],
    ],
    ['expm1', expm1, stdlibExpm1, [...args(40_000, -710, 710), ...args(40_000, -2, 2), 0, -0, 1e-300, -40, 38.8, 709.78, 709.8, Infinity, -Infinity, NaN]],
    ['sin', sin, stdlibSin, [...args(40_000, -7, 7), ...args(40_000, -1.6e6, 1.6e6), ...multiplesOfHalfPi, 0, -0, 1e-300, Math.PI, Infinity, NaN]],
    ['cos', cos, stdlibCos, [...args(40_000, -7, 7), ...args(40_000, -1.6e6, 1.6e6), ...multiplesOfHalfPi, 0, -0, 1e-300, Math.PI, -Infinity, NaN]],
  ] as const)("%s is stdlib's fdlibm %s bit for bit", (_, ours, reference, xs) => {
    expect(xs.filter((x) => !Object.is(ours(x), reference(x)))).toEqual([]);
  });

  it("exp rounds the deepest subnormal results correctly (where stdlib's ldexp returns 0)", () => {
    // e^x for x in (-745.13, -744.44) is between 0.5 and 1.5 times 2^-1074 (mpmath)
    expect([exp(-744.5), exp(-745), exp(-745.13)]).toEqual([5e-324, 5e-324, 5e-324]);
    expect([exp(-745.1332191019412), exp(-746)]).toEqual([0, 0]);
    expect(exp(-740)).toBe(stdlibExp(-740));
  });

  it('sin and cos refuse arguments past 1.6e6, where their reduction would need Payne-Hanek', () => {
    expect(() => sin(2e6)).toThrow(RangeError);
    expect(() => cos(-1e300)).toThrow(/cos\(x\) takes \|x\| < 1.6e6/);
  });

  it.each([
    ['asin', asin, Math.asin, -1, 1],
    ['tanh', tanh, Math.tanh, -25, 25],
    ['sin', sin, Math.sin, -50, 50],
    ['cos', cos, Math.cos, -50, 50],
    ['log', log, Math.log, 1e-3, 1e3],
    ['log1p', log1p, Math.log1p, -0.99, 10],
    ['expm1', expm1, Math.expm1, -5, 5],
  ] as const)("%s is within 1 ulp of this engine's Math function", (_, ours, engine, lo, hi) => {
    let worst = 0;
    for (const x of args(20_000, lo, hi)) worst = Math.max(worst, ulps(ours(x), engine(x)));
    expect(worst).toBeLessThanOrEqual(1);
  });

  it('asin and tanh keep their edge values', () => {
    expect([asin(1), asin(-1), asin(0), asin(1e-300)]).toEqual([Math.PI / 2, -Math.PI / 2, 0, 1e-300]);
    expect(Object.is(asin(-0), -0) && Object.is(tanh(-0), -0)).toBe(true);
    expect([asin(1.0000000000000002), asin(NaN)].every(Number.isNaN)).toBe(true);
    expect([tanh(Infinity), tanh(-Infinity), tanh(30), tanh(1e-20)]).toEqual([1, -1, 1, 1e-20]);
  });
});
