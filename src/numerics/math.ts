// The elementary functions every result of the package goes through: exp, log, log1p, expm1,
// sin, cos, asin and tanh, with the same bits on every JavaScript engine.
//
// Why not Math.*: ECMAScript leaves the accuracy of Math.exp, Math.sin, ... to the engine
// ("implementation-approximated", ECMA-262 sec. 21.3.2), and engines change them. Chromium 156's
// V8 gives other last bits than Node 20's V8 (11.3) for 0.1-27% of arguments of every
// transcendental Math function (exp 10%, asin 6%, sin 3%, log 2%, atan2 27%; measured on 1e5
// arguments each), so any result computed through them differs between Node and the browser.
// Only the operations IEEE 754 specifies exactly (+ - * /, Math.sqrt, Math.abs, Math.floor,
// Math.trunc, Math.min/max, Math.fround) are the same everywhere.
//
// These are fdlibm (Sun Microsystems 1993, as in FreeBSD msun), written here with those
// operations and fixed-size bit access alone, errors below 1 ulp:
// - exp, log, log1p, expm1, sin, cos: e_exp.c, e_log.c, s_log1p.c, s_expm1.c, s_sin.c / s_cos.c
//   (k_sin.c, k_cos.c, e_rem_pio2.c) in the form of stdlib's JavaScript ports, whose bits they
//   give over each function's range (tested; but for exp's deepest subnormals, which stdlib
//   flushes to 0), without stdlib's generic helpers (16 kB gzipped in a browser bundle, and
//   their module loading made a 2-worker fit ~80 ms slower) and with an exact 2^k scaling in
//   exp (twice as fast);
// - asin (e_asin.c) and tanh (s_tanh.c).
// exp, log, log1p, expm1, asin and tanh are bit-identical to Node 20's Math functions (V8
// ported the same fdlibm code; checked on 2e5 to 3e6 arguments each), so results through them
// kept their Node bits. sin and cos are not: Node 20's V8 takes them from elsewhere, and they
// differ from fdlibm's in the last bit for about 1% of arguments.
//
// test/unit/numerics/determinism.test.ts fails on any Math.<transcendental> or `**` in src/ outside the
// display-only files it names.

/** POW2[k + 1021] = 2^k for k = -1021 .. 1023, by exact doublings and halvings. */
const POW2 = (() => {
  const t = new Float64Array(1021 + 1023 + 1);
  t[1021] = 1;
  for (let k = 1; k <= 1023; k++) t[1021 + k] = t[1021 + k - 1] * 2;
  for (let k = -1; k >= -1021; k--) t[1021 + k] = t[1021 + k + 1] / 2;
  return t;
})();

const LN2_HI = 6.9314718036912381649e-1;
const LN2_LO = 1.90821492927058770002e-10;
const LOG2_E = 1.442695040888963387;
const EXP_OVERFLOW = 7.09782712893383973096e2;
const EXP_UNDERFLOW = -7.4513321910194110842e2;
const TWO_M28 = 3.725290298461914e-9;

/**
 * e^x (< 1 ulp): FreeBSD msun's e_exp.c (fdlibm) as stdlib writes it — x = k ln 2 + r with
 * ln 2 split in two, e^r from the Remez rational form r + r c / (2 - c) — with the final
 * 2^k scaling done by multiplications by exact powers of two instead of stdlib's generic
 * ldexp: y (near 1) times 2^k is exact for normal results and rounded once for subnormal
 * ones, so the bits are stdlib's (and Node 20's Math.exp's; checked on 3e6 arguments) at
 * about 40% of the cost; exp is the inner operation of Phi_2 in every default fit.
 */
export function exp(x: number): number {
  if (!(x <= EXP_OVERFLOW)) return x === x ? Infinity : x; // +Infinity, overflow, NaN
  if (x < EXP_UNDERFLOW) return 0;
  if (x > -TWO_M28 && x < TWO_M28) return 1 + x;
  const k = Math.trunc(x < 0 ? LOG2_E * x - 0.5 : LOG2_E * x + 0.5);
  const hi = x - k * LN2_HI;
  const lo = k * LN2_LO;
  const r = hi - lo;
  const t = r * r;
  const c =
    r - t * (0.16666666666666602 + t * (-0.0027777777777015593 + t * (0.00006613756321437934 + t * (-0.0000016533902205465252 + t * 4.1381367970572385e-8))));
  const y = 1 - (lo - (r * c) / (2 - c) - hi);
  // k = 1024 only just below the overflow threshold, where y < 1: split the power
  if (k > 1023) return y * 2 * POW2[1021 + 1023];
  // a subnormal result: y 2^(k + 1000) is exact, and the one rounding happens at the last product
  if (k < -1021) return y * POW2[1021 + k + 1000] * POW2[1021 - 1000];
  return y * POW2[1021 + k];
}
/**
 * Natural logarithm (< 1 ulp): fdlibm's e_log.c as stdlib writes it (x = 2^k (1 + f) with
 * sqrt(2)/2 < 1 + f < sqrt(2), log(1 + f) = f - s (f - R(s^2)), s = f / (2 + f)), with
 * fixed-size bit access. Bit-identical to stdlib's ln and to Node 20's Math.log.
 */
export function log(x: number): number {
  if (x === 0) return -Infinity;
  if (!(x >= 0)) return NaN; // negative or NaN
  let hx = highWord(x);
  let k = 0;
  if (hx < 0x00100000) {
    k -= 54; // subnormal: scale up by 2^54
    x *= 1.8014398509481984e16;
    hx = highWord(x);
  }
  if (hx >= 0x7ff00000) return x + x; // +Infinity
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  const i = (hx + 0x95f64) & 0x100000;
  x = withHighWord(x, hx | (i ^ 0x3ff00000)); // normalise x or x / 2
  k += i >> 20;
  const f = x - 1;
  if ((0x000fffff & (2 + hx)) < 3) {
    // -2^-20 <= f < 2^-20
    if (f === 0) return k === 0 ? 0 : k * LN2_HI_LOG + k * LN2_LO_LOG;
    const R = f * f * (0.5 - 0.33333333333333333 * f);
    return k === 0 ? f - R : k * LN2_HI_LOG - (R - k * LN2_LO_LOG - f);
  }
  const s = f / (2 + f);
  const z = s * s;
  const w = z * z;
  const t1 = w * (0.3999999999940942 + w * (0.22222198432149784 + w * 0.15313837699209373));
  const t2 = z * (0.6666666666666735 + w * (0.2857142874366239 + w * (0.1818357216161805 + w * 0.14798198605116586)));
  const R = t2 + t1;
  if (((hx - 0x6147a) | (0x6b851 - hx)) > 0) {
    const hfsq = 0.5 * f * f;
    return k === 0 ? f - (hfsq - s * (hfsq + R)) : k * LN2_HI_LOG - (hfsq - (s * (hfsq + R) + k * LN2_LO_LOG) - f);
  }
  return k === 0 ? f - s * (f - R) : k * LN2_HI_LOG - (s * (f - R) - k * LN2_LO_LOG - f);
}
// Bit access (little-endian, as on every engine the package runs on: word 1 is the high word).
const WORDS = new Float64Array(1);
const HALVES = new Uint32Array(WORDS.buffer);
const highWord = (x: number) => {
  WORDS[0] = x;
  return HALVES[1] | 0;
};
/** x with its high word replaced. */
const withHighWord = (x: number, hi: number) => {
  WORDS[0] = x;
  HALVES[1] = hi >>> 0;
  return WORDS[0];
};

const LN2_HI_LOG = 6.9314718036912381649e-1;
const LN2_LO_LOG = 1.90821492927058770002e-10;

/**
 * log(1 + x), accurate for small x (< 1 ulp): fdlibm's s_log1p.c as stdlib writes it (1 + x
 * = 2^k (1 + f) with sqrt(2)/2 < 1 + f < sqrt(2) and a correction c for the rounding of
 * 1 + x, then log(1 + f) = f - s (f - R(s^2)), s = f / (2 + f)). Bit-identical to stdlib's
 * and to Node 20's Math.log1p (checked on 2e6 arguments; test/unit/numerics/determinism.test.ts).
 */
export function log1p(x: number): number {
  if (!(x >= -1)) return NaN;
  if (x === -1) return -Infinity;
  if (x === Infinity || x === 0) return x; // keeps -0
  const y = Math.abs(x);
  let k = 1;
  let f = 0;
  let hu = 0;
  let c = 0;
  if (y < 4.142135623730950488017e-1) {
    if (y < 1.862645149230957e-9) {
      if (y < 5.551115123125783e-17) return x;
      return x - x * x * 0.5;
    }
    if (x > -2.928932188134524755992e-1) {
      k = 0; // -0.2929 < x < 0.41422: f = x exactly
      f = x;
      hu = 1;
    }
  }
  if (k !== 0) {
    let u: number;
    if (y < 9007199254740992) {
      u = 1 + x;
      hu = highWord(u);
      k = (hu >> 20) - 1023;
      c = (k > 0 ? 1 - (u - x) : x - (u - 1)) / u;
    } else {
      u = x;
      hu = highWord(u);
      k = (hu >> 20) - 1023;
      c = 0;
    }
    hu &= 0x000fffff;
    if (hu < 434334) {
      u = withHighWord(u, hu | 0x3ff00000); // significand below sqrt(2)'s: u in [1, sqrt 2)
    } else {
      k += 1;
      u = withHighWord(u, hu | 0x3fe00000); // u / 2
      hu = (1048576 - hu) >> 2;
    }
    f = u - 1;
  }
  const hfsq = 0.5 * f * f;
  if (hu === 0) {
    if (f === 0) return k * LN2_HI_LOG + (c + k * LN2_LO_LOG);
    const R = hfsq * (1 - 6.666666666666666666e-1 * f);
    return k * LN2_HI_LOG - (R - (k * LN2_LO_LOG + c) - f);
  }
  const s = f / (2 + f);
  const z = s * s;
  const R =
    z *
    (0.6666666666666735 +
      z *
        (0.3999999999940942 +
          z * (0.2857142874366239 + z * (0.22222198432149784 + z * (0.1818357216161805 + z * (0.15313837699209373 + z * 0.14798198605116586))))));
  if (k === 0) return f - (hfsq - s * (hfsq + R));
  return k * LN2_HI_LOG - (hfsq - (s * (hfsq + R) + (k * LN2_LO_LOG + c)) - f);
}

/**
 * e^x - 1, accurate for small x (< 1 ulp): fdlibm's s_expm1.c as stdlib writes it (x = k ln 2
 * + r, a rational approximation of r / (e^r - 1) in r^2, and 2^k (e^r - 1) + (2^k - 1)
 * combined in the order that keeps every digit). Bit-identical to stdlib's and to Node 20's
 * Math.expm1 (checked on 2e6 arguments).
 */
export function expm1(x: number): number {
  if (x === Infinity || x !== x || x === 0) return x;
  if (x === -Infinity) return -1;
  const negative = x < 0;
  const y = Math.abs(x);
  if (y >= 3.88162421113569373274e1) {
    if (negative) return -1; // x <= -56 ln 2
    if (y >= 7.09782712893383973096e2) return Infinity;
  }
  let k = 0;
  let c = 0;
  if (y > 3.46573590279972654709e-1) {
    let hi: number;
    let lo: number;
    if (y < 1.03972077083991796413) {
      hi = negative ? x + LN2_HI_LOG : x - LN2_HI_LOG;
      lo = negative ? -LN2_LO_LOG : LN2_LO_LOG;
      k = negative ? -1 : 1;
    } else {
      k = (negative ? 1.442695040888963387 * x - 0.5 : 1.442695040888963387 * x + 0.5) | 0;
      hi = x - k * LN2_HI_LOG; // exact
      lo = k * LN2_LO_LOG;
    }
    x = hi - lo;
    c = hi - x - lo;
  } else if (highWord(y) < 1016070144) {
    return x; // |x| < 2^-54
  }
  const halfX = 0.5 * x;
  const z = x * halfX;
  const r1 =
    1 + z * (-0.03333333333333313 + z * (0.0015873015872548146 + z * (-0.0000793650757867488 + z * (0.000004008217827329362 + z * -2.0109921818362437e-7))));
  let t = 3 - r1 * halfX;
  let e = z * ((r1 - t) / (6 - x * t));
  if (k === 0) return x - (x * e - z);
  const twopk = withHighWord(0, (1023 + k) << 20);
  e = x * (e - c) - c;
  e -= z;
  if (k === -1) return 0.5 * (x - e) - 0.5;
  if (k === 1) return x < -0.25 ? -2 * (e - (x + 0.5)) : 1 + 2 * (x - e);
  let r: number;
  if (k <= -2 || k > 56) {
    r = 1 - (e - x);
    r = k === 1024 ? withHighWord(r, highWord(r) + (k << 20)) : r * twopk;
    return r - 1;
  }
  if (k < 20) {
    t = withHighWord(1, 1072693248 - (0x200000 >> k)); // 1 - 2^-k
    r = t - (e - x);
  } else {
    t = withHighWord(1, (1023 - k) << 20); // 2^-k
    r = x - (e + t);
    r += 1;
  }
  return r * twopk;
}

// sin and cos: fdlibm's k_sin.c / k_cos.c kernels on [-pi/4, pi/4] after the Cody-Waite
// reduction of e_rem_pio2.c (pi/2 in three 33-bit parts, with the second and third used
// only where the first cancels), as stdlib writes them. The Payne-Hanek reduction of
// arguments past 2^20 pi/2 (~1.6e6) is left out: the package only takes sines and cosines
// of angles in [-pi, pi], and a call outside that range is a bug, so it throws.
const PIO2_1 = 1.57079632673412561417;
const PIO2_1T = 6.07710050650619224932e-11;
const PIO2_2 = 6.0771005063039659766e-11;
const PIO2_2T = 2.02226624879595063154e-21;
const PIO2_3 = 2.0222662487111664558e-21;
const PIO2_3T = 8.47842766036889956997e-32;
const INV_PIO2 = 6.36619772367581382433e-1;

/** The reduced argument y0 + y1 = x - n pi/2, |y0| <= pi/4 (REDUCED[0], REDUCED[1]); returns n. */
const REDUCED = new Float64Array(2);

function reduceMedium(x: number, ix: number): number {
  const n = Math.round(x * INV_PIO2);
  let r = x - n * PIO2_1;
  let w = n * PIO2_1T;
  const j = ix >> 20;
  REDUCED[0] = r - w;
  if (j - ((highWord(REDUCED[0]) >> 20) & 0x7ff) > 16) {
    // x is near a multiple of pi/2: r - w cancelled, so take the next 33 bits of pi/2
    let t = r;
    w = n * PIO2_2;
    r = t - w;
    w = n * PIO2_2T - (t - r - w);
    REDUCED[0] = r - w;
    if (j - ((highWord(REDUCED[0]) >> 20) & 0x7ff) > 49) {
      t = r;
      w = n * PIO2_3;
      r = t - w;
      w = n * PIO2_3T - (t - r - w);
      REDUCED[0] = r - w;
    }
  }
  REDUCED[1] = r - REDUCED[0] - w;
  return n;
}

/** One step of n pi/2 (n = +-1 .. +-4) with the first two parts of pi/2, as e_rem_pio2.c does below 9 pi/4. */
function reduceSmall(x: number, n: number): number {
  const z = x - n * PIO2_1;
  REDUCED[0] = z - n * PIO2_1T;
  REDUCED[1] = z - REDUCED[0] - n * PIO2_1T;
  return n;
}

function reduce(x: number, name: string): number {
  const hx = highWord(x);
  const ix = hx & 0x7fffffff;
  const sign = hx > 0 ? 1 : -1;
  if (ix <= 0x400f6a7a) {
    // |x| ~<= 5 pi/4
    if ((ix & 0xfffff) === 0x921fb) return reduceMedium(x, ix); // |x| ~ pi/2 or pi
    return reduceSmall(x, ix <= 0x4002d97c ? sign : 2 * sign);
  }
  if (ix <= 0x401c463b) {
    // |x| ~<= 9 pi/4
    if (ix <= 0x4015fdbc) return ix === 0x4012d97c ? reduceMedium(x, ix) : reduceSmall(x, 3 * sign);
    return ix === 0x401921fb ? reduceMedium(x, ix) : reduceSmall(x, 4 * sign);
  }
  if (ix < 0x413921fb) return reduceMedium(x, ix);
  throw new RangeError(`${name}(x) takes |x| < 1.6e6 (angles), got ${x}`);
}

function kernelSin(x: number, y: number): number {
  const z = x * x;
  const w = z * z;
  const r =
    8.33333333332248946124e-3 +
    z * (-1.98412698298579493134e-4 + z * 2.75573137070700676789e-6) +
    z * w * (-2.50507602534068634195e-8 + z * 1.58969099521155010221e-10);
  const v = z * x;
  if (y === 0) return x + v * (-1.66666666666666324348e-1 + z * r);
  return x - (z * (0.5 * y - v * r) - y - v * -1.66666666666666324348e-1);
}

function kernelCos(x: number, y: number): number {
  const z = x * x;
  const w = z * z;
  const r =
    z * (0.0416666666666666 + z * (-0.001388888888887411 + z * 0.00002480158728947673)) +
    w * w * (-2.7557314351390663e-7 + z * (2.087572321298175e-9 + z * -1.1359647557788195e-11));
  const hz = 0.5 * z;
  const v = 1 - hz;
  return v + (1 - v - hz + (z * r - x * y));
}

/** Sine of an angle in radians, |x| < 1.6e6 (< 1 ulp; RangeError beyond, NaN for NaN and +-Infinity). */
export function sin(x: number): number {
  const ix = highWord(x) & 0x7fffffff;
  if (ix <= 0x3fe921fb) return ix < 0x3e500000 ? x : kernelSin(x, 0); // |x| ~< pi/4
  if (ix >= 0x7ff00000) return NaN;
  switch (reduce(x, 'sin') & 3) {
    case 0:
      return kernelSin(REDUCED[0], REDUCED[1]);
    case 1:
      return kernelCos(REDUCED[0], REDUCED[1]);
    case 2:
      return -kernelSin(REDUCED[0], REDUCED[1]);
    default:
      return -kernelCos(REDUCED[0], REDUCED[1]);
  }
}

/** Cosine of an angle in radians, |x| < 1.6e6 (< 1 ulp; RangeError beyond, NaN for NaN and +-Infinity). */
export function cos(x: number): number {
  const ix = highWord(x) & 0x7fffffff;
  if (ix <= 0x3fe921fb) return ix < 0x3e400000 ? 1 : kernelCos(x, 0);
  if (ix >= 0x7ff00000) return NaN;
  switch (reduce(x, 'cos') & 3) {
    case 0:
      return kernelCos(REDUCED[0], REDUCED[1]);
    case 1:
      return -kernelSin(REDUCED[0], REDUCED[1]);
    case 2:
      return -kernelCos(REDUCED[0], REDUCED[1]);
    default:
      return kernelSin(REDUCED[0], REDUCED[1]);
  }
}

const PIO2_HI = 1.570796326794896558;
const PIO2_LO = 6.12323399573676603587e-17;
const PIO4_HI = 7.85398163397448278999e-1;

/** fdlibm's rational approximation R(t) = p(t) / q(t), asin(x) = x + x R(x^2) on [0, 0.5]. */
function asinRatio(t: number): number {
  const p =
    t *
    (1.66666666666666657415e-1 +
      t *
        (-3.25565818622400915405e-1 +
          t * (2.01212532134862925881e-1 + t * (-4.00555345006794114027e-2 + t * (7.91534994289814532176e-4 + t * 3.4793310759602116757e-5)))));
  const q = 1 + t * (-2.40339491173441421878 + t * (2.02094576023350569471 + t * (-6.8828397160545329303e-1 + t * 7.70381505559019352791e-2)));
  return p / q;
}

/**
 * Arcsine on [-1, 1], NaN outside (< 1 ulp): fdlibm's e_asin.c (Sun Microsystems 1993):
 * asin(x) = x + x^3 R(x^2) below 0.5, and pi/2 - 2 asin(sqrt((1 - |x|) / 2)) above, with
 * sqrt split into a 26-bit head and a tail between 0.5 and 0.975. Bit-identical to Node 20's
 * Math.asin (V8 ported the same code; checked on 2e6 arguments), so Phi_2 kept its Node bits.
 */
export function asin(x: number): number {
  const hx = highWord(x);
  const ix = hx & 0x7fffffff;
  if (ix >= 0x3ff00000) {
    if (((ix - 0x3ff00000) | HALVES[0]) === 0) return x * PIO2_HI + x * PIO2_LO; // +-1
    return NaN;
  }
  if (ix < 0x3fe00000) {
    if (ix < 0x3e400000) return x; // |x| < 2^-27: x is asin(x) rounded
    return x + x * asinRatio(x * x);
  }
  const t = (1 - Math.abs(x)) * 0.5;
  const s = Math.sqrt(t);
  let r: number;
  if (ix >= 0x3fef3333) {
    r = PIO2_HI - (2 * (s + s * asinRatio(t)) - PIO2_LO);
  } else {
    WORDS[0] = s;
    HALVES[0] = 0;
    const w = WORDS[0];
    const c = (t - w * w) / (s + w);
    const p = 2 * s * asinRatio(t) - (PIO2_LO - 2 * c);
    r = PIO4_HI - (p - (PIO4_HI - 2 * w));
  }
  return hx > 0 ? r : -r;
}

/**
 * Hyperbolic tangent (< 1 ulp): fdlibm's s_tanh.c, 1 - 2 / (e^{2|x|} + 1) through expm1, and
 * +-1 past |x| = 22. Bit-identical to Node 20's Math.tanh (checked on 2e6 arguments).
 */
export function tanh(x: number): number {
  if (x !== x) return x;
  const a = Math.abs(x);
  if (a < 2.7755575615628914e-17) return x * (1 + x); // |x| < 2^-55, keeps -0
  let z: number;
  if (a >= 22) z = 1;
  else if (a >= 1) z = 1 - 2 / (expm1(2 * a) + 2);
  else {
    const t = expm1(-2 * a);
    z = -t / (t + 2);
  }
  return x < 0 ? -z : z;
}

/** log(2 pi) / 2, with the package's log (the bits Node's Math.log gave it). */
export const HALF_LOG_2PI = 0.5 * log(2 * Math.PI);
