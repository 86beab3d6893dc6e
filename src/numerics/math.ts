// The elementary functions every result of the package goes through: exp, log, log1p, expm1,
// sin, cos, asin and tanh, the same bits on every JavaScript engine.
//
// Why not Math.*: ECMAScript leaves the accuracy of Math.exp, Math.sin, ... to the engine
// ("implementation-approximated", ECMA-262 sec. 21.3.2), and engines change them. Chromium 156's
// V8 gives other last bits than Node 20's V8 (11.3) for 0.1-27% of arguments of every
// transcendental Math function (exp 10%, asin 6%, sin 3%, log 2%, atan2 27%; measured on 1e5
// arguments each), so any result computed through them differs between Node and the browser.
// Only the operations IEEE 754 specifies exactly (+ - * /, Math.sqrt, Math.abs, Math.floor,
// Math.trunc, Math.min/max, Math.fround) are the same everywhere.
//
// These are stdlib's JavaScript ports, written with those operations and bit access alone:
// - exp, log, log1p, expm1, sin, cos: FreeBSD msun (fdlibm; e_exp.c, e_log.c, s_log1p.c,
//   s_expm1.c, s_sin.c / s_cos.c with k_sin, k_cos and __ieee754_rem_pio2), error < 1 ulp;
// - asin, tanh: Cephes (S. L. Moshier, "Methods and Programs for Mathematical Functions",
//   1989), relative error ~ 2e-16.
// exp, log, log1p and expm1 are bit-identical to Node 20's Math functions (V8 ported the same
// fdlibm code; checked on 2e5 arguments each), so results through them kept their Node bits.
//
// test/determinism.test.ts fails on any Math.<transcendental> or `**` in src/ outside the
// display-only files it names.
import stdlibAsin from '@stdlib/math-base-special-asin';
import stdlibCos from '@stdlib/math-base-special-cos';
import stdlibExp from '@stdlib/math-base-special-exp';
import stdlibExpm1 from '@stdlib/math-base-special-expm1';
import stdlibLn from '@stdlib/math-base-special-ln';
import stdlibLog1p from '@stdlib/math-base-special-log1p';
import stdlibSin from '@stdlib/math-base-special-sin';
import stdlibTanh from '@stdlib/math-base-special-tanh';

/** e^x (fdlibm; < 1 ulp). */
export const exp: (x: number) => number = stdlibExp;
/** Natural logarithm (fdlibm; < 1 ulp). */
export const log: (x: number) => number = stdlibLn;
/** log(1 + x), accurate for small x (fdlibm; < 1 ulp). */
export const log1p: (x: number) => number = stdlibLog1p;
/** e^x - 1, accurate for small x (fdlibm; < 1 ulp). */
export const expm1: (x: number) => number = stdlibExpm1;
/** Sine, radians (fdlibm, with its exact argument reduction; < 1 ulp). */
export const sin: (x: number) => number = stdlibSin;
/** Cosine, radians (fdlibm; < 1 ulp). */
export const cos: (x: number) => number = stdlibCos;
/** Arcsine on [-1, 1] (Cephes). */
export const asin: (x: number) => number = stdlibAsin;
/** Hyperbolic tangent (Cephes). */
export const tanh: (x: number) => number = stdlibTanh;

/** log(2 pi) / 2, as a literal (not computed through an engine's Math.log). */
export const HALF_LOG_2PI = 0.91893853320467274178;
