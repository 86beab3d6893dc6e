// The TypeScript fallback through the public API: with WebAssembly removed from the global
// scope (or its compilation refused, as under a Content-Security-Policy without
// 'wasm-unsafe-eval'), fit, sample, accumulate, the kernels and the compat functions run
// through backend 'auto' on the TypeScript kernels of src/backend/js/, and agree with the Wasm
// kernels as documented:
//   - exact: counts, the generator's integers, accumulate's statistics, and therefore every
//     fit without the SGD (method 'mle' with step1 'censored' or 'truncated', any step2);
//   - within 1e-12 absolute (values of order 1): sample (about a fifth to a quarter of the
//     values differ in the last bits, because the ziggurat tables' exp/log do; observed
//     <= 2.7e-15 at d = 4, 10, 25, n = 1e5), and the fits that draw truncated normals:
//     method 'paper' (observed <= 8.9e-16) and step1 'sgd' (<= 4.7e-15); zeros of a
//     sample in the same places, positives counted the same.
// Forcing backend 'wasm' there is a clear Error naming the cause and the way out. Each case
// runs in a fresh copy of the package (vi.resetModules), with RELU_DENSITY_BACKEND unset.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as pkg from '../../../src/index.js';
import type { FitResult, Samples } from '../../../src/index.js';
import * as kernelsMod from '../../../src/kernels/index.js';
import * as compatMod from '../../../src/compat/index.js';
import * as instance from '../../../src/backend/wasm/instance.js';

type Pkg = typeof pkg;
interface Fresh {
  pkg: Pkg;
  kernels: typeof kernelsMod;
  compat: typeof compatMod;
  instance: typeof instance;
}

async function freshCopy(wasm: unknown): Promise<Fresh> {
  vi.resetModules();
  vi.stubGlobal('WebAssembly', wasm);
  vi.stubEnv('RELU_DENSITY_BACKEND', '');
  return {
    pkg: (await import('../../../src/index.js')) as Pkg,
    kernels: (await import('../../../src/kernels/index.js')) as typeof kernelsMod,
    compat: (await import('../../../src/compat/index.js')) as typeof compatMod,
    instance: (await import('../../../src/backend/wasm/instance.js')) as typeof instance,
  };
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
  vi.resetModules();
});

const RealWebAssembly = WebAssembly;

/** WebAssembly as a page with `Content-Security-Policy: script-src 'self'` has it: it validates, but will not compile. */
function cspBlockedWebAssembly(): unknown {
  const refuse = () => {
    throw new RealWebAssembly.CompileError(
      "WebAssembly.Module(): Refused to compile or instantiate WebAssembly module because 'unsafe-eval' is not an allowed source of script in the following Content Security Policy directive: \"script-src 'self'\"",
    );
  };
  return {
    ...Object.fromEntries(Object.getOwnPropertyNames(RealWebAssembly).map((k) => [k, (RealWebAssembly as unknown as Record<string, unknown>)[k]])),
    Module: function Module() {
      refuse();
    },
    Instance: function Instance() {
      refuse();
    },
    compile: () => Promise.reject(new RealWebAssembly.CompileError('refused (CSP)')),
    instantiate: () => Promise.reject(new RealWebAssembly.CompileError('refused (CSP)')),
  };
}

/** The real WebAssembly, recording every call that validates, compiles or instantiates. */
function countingWebAssembly(calls: string[]): unknown {
  const watched = new Set(['Module', 'Instance', 'compile', 'instantiate', 'validate', 'compileStreaming', 'instantiateStreaming']);
  return new Proxy(RealWebAssembly, {
    get(target, key) {
      const v = Reflect.get(target, key) as unknown;
      if (typeof key !== 'string' || !watched.has(key) || typeof v !== 'function') return v;
      return new Proxy(v, {
        apply(f, self, args) {
          calls.push(key);
          return Reflect.apply(f, self, args) as unknown;
        },
        construct(f, args, nt) {
          calls.push(key);
          return Reflect.construct(f, args, nt) as object;
        },
      });
    },
  });
}

const maxAbsDiff = (a: Float64Array, b: Float64Array) => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};
const strip = (r: FitResult) => ({ ...r, diagnostics: { ...r.diagnostics, timings: {} } });

// The references, made by this (normal) copy of the package on each backend explicitly.
const truth = pkg.randomModel({ d: 4, seed: 21, bias: 'gaussian', rows: 'gaussian' });
let x: Samples;
let wasmFit: { mle: FitResult; paper: FitResult };
let jsFit: { mle: FitResult; paper: FitResult };
beforeAll(() => {
  x = pkg.sample(truth, 20_000, { seed: 22, backend: 'wasm' });
  wasmFit = { mle: pkg.fitSync(x, { backend: 'wasm' }), paper: pkg.fitSync(x, { method: 'paper', seed: 3, backend: 'wasm' }) };
  jsFit = { mle: pkg.fitSync(x, { backend: 'js' }), paper: pkg.fitSync(x, { method: 'paper', seed: 3, backend: 'js' }) };
});

describe('the documented agreement of the two backends (this copy, both forced)', () => {
  it("fit 'mle' is bit-identical; 'paper' within 1e-12 with equal positives", () => {
    expect(strip(jsFit.mle)).toEqual(strip(wasmFit.mle));
    expect(maxAbsDiff(jsFit.paper.b, wasmFit.paper.b)).toBeLessThan(1e-12);
    expect(maxAbsDiff(jsFit.paper.sigma, wasmFit.paper.sigma)).toBeLessThan(1e-12);
    expect(maxAbsDiff(jsFit.paper.norms, wasmFit.paper.norms)).toBeLessThan(1e-12);
    expect(jsFit.paper.diagnostics.positives).toEqual(wasmFit.paper.diagnostics.positives);
  });

  it('sample within 1e-12 absolute, zeros in the same places; accumulate identical', () => {
    const js = pkg.sample(truth, 20_000, { seed: 22, backend: 'js' });
    expect(maxAbsDiff(js.data, x.data)).toBeLessThan(1e-12);
    for (let i = 0; i < x.data.length; i++) if ((x.data[i] === 0) !== (js.data[i] === 0)) expect.fail(`zero pattern at ${i}`);
    expect(pkg.accumulate(x, { backend: 'js' })).toEqual(pkg.accumulate(x, { backend: 'wasm' }));
  });

  it('same seed, same bits within each backend', () => {
    for (const backend of ['wasm', 'js'] as const) {
      expect(pkg.sample(truth, 5000, { seed: 9, backend }).data).toEqual(pkg.sample(truth, 5000, { seed: 9, backend }).data);
      expect(strip(pkg.fitSync(x, { method: 'paper', seed: 4, backend }))).toEqual(strip(pkg.fitSync(x, { method: 'paper', seed: 4, backend })));
    }
  });
});

describe.each([
  ['WebAssembly is undefined', () => undefined, /WebAssembly is not available in this environment/],
  [
    "compilation is refused (a Content-Security-Policy without 'wasm-unsafe-eval')",
    cspBlockedWebAssembly,
    /Content-Security-Policy must allow 'wasm-unsafe-eval'/,
  ],
])('%s', (_label, makeWasm, cause) => {
  it("'auto' picks the TypeScript kernels, and says why Wasm cannot run", async () => {
    const f = await freshCopy(makeWasm());
    expect(f.instance.autoBackend()).toBe('js');
    const s = f.instance.wasmSupport();
    expect(s.ok).toBe(false);
    expect(s.ok ? '' : s.reason).toMatch(cause);
  });

  it('fit, fitSync, sample and accumulate work through auto, as the TypeScript backend does here', async () => {
    const f = await freshCopy(makeWasm());
    await f.pkg.init(); // resolves: there is nothing to compile
    expect(strip(f.pkg.fitSync(x))).toEqual(strip(jsFit.mle));
    expect(strip(await f.pkg.fit(x, { method: 'paper', seed: 3 }))).toEqual(strip(jsFit.paper));
    expect(strip(f.pkg.fitSync(x))).toEqual(strip(wasmFit.mle)); // 'mle': the same bits as Wasm
    const s = f.pkg.sample(truth, 20_000, { seed: 22 });
    expect(s.data).toEqual(pkg.sample(truth, 20_000, { seed: 22, backend: 'js' }).data);
    expect(maxAbsDiff(s.data, x.data)).toBeLessThan(1e-12);
    expect(f.pkg.accumulate(x)).toEqual(pkg.accumulate(x, { backend: 'wasm' }));
  });

  it('the kernels and the compat functions work through auto', async () => {
    const f = await freshCopy(makeWasm());
    const k = await f.kernels.kernels();
    expect(k.backend).toBe('js');
    expect(f.kernels.kernelsSync()).toBe(k);
    const wasm = kernelsMod.kernelsSync({ backend: 'wasm' });
    expect(k.uniformBits(100, { seed: 5, stream: 2 })).toEqual(wasm.uniformBits(100, { seed: 5, stream: 2 }));
    expect(k.pairCounts(x.data, x.d, [0.1, 0.2, 0.3, 0.4])).toEqual(wasm.pairCounts(x.data, x.d, [0.1, 0.2, 0.3, 0.4]));
    const r = f.compat.main({ data: x.data, rows: x.d, cols: x.n }, { seed: 3 });
    expect(r.bHat).toEqual(jsFit.paper.b);
    expect(r.sigmaHat.data).toEqual(jsFit.paper.sigma);
  });

  it("forcing 'wasm' is a clear Error (option, environment variable, init, kernels)", async () => {
    const f = await freshCopy(makeWasm());
    const clear = new RegExp(`^relu-density: .*${cause.source}.*pass \\{ backend: 'js' \\}`);
    expect(() => f.pkg.sample(truth, 10, { backend: 'wasm' })).toThrow(clear);
    expect(() => f.pkg.fitSync(x, { backend: 'wasm' })).toThrow(clear);
    expect(() => f.pkg.accumulate(x, { backend: 'wasm' })).toThrow(clear);
    await expect(f.pkg.fit(x, { backend: 'wasm' })).rejects.toThrow(clear);
    await expect(f.pkg.init({ backend: 'wasm' })).rejects.toThrow(clear);
    expect(() => f.kernels.kernelsSync({ backend: 'wasm' })).toThrow(clear);
    await expect(f.kernels.kernels({ backend: 'wasm' })).rejects.toThrow(clear);
    expect(() => f.compat.sampleTrunGauss(0, 1, 0, 3, { backend: 'wasm' })).toThrow(clear);
    vi.stubEnv('RELU_DENSITY_BACKEND', 'wasm'); // 'auto' forced through the environment
    expect(() => f.pkg.fitSync(x)).toThrow(clear);
    expect(() => f.pkg.sample(truth, 10)).toThrow(clear);
  });
});

describe("'auto' never compiles WebAssembly for input that fails validation", () => {
  it('no validate, compile or instantiate call before the input is accepted; then the probe and one compile', async () => {
    const calls: string[] = [];
    const f = await freshCopy(countingWebAssembly(calls));
    expect(() => f.pkg.fitSync({ data: Float64Array.of(1, -1), n: 2, d: 1 })).toThrow(RangeError);
    expect(() => f.pkg.fitSync(x, { method: 'paper', step1: 'sgd' } as never)).toThrow(RangeError);
    expect(() => f.pkg.sample(truth, -1)).toThrow(RangeError);
    expect(() =>
      f.pkg.accumulate([
        [1, 2],
        [3, Number.NaN],
      ]),
    ).toThrow(RangeError);
    await expect(f.pkg.fit('x' as never)).rejects.toThrow(TypeError);
    expect(() => f.pkg.sample(truth, 1, { backend: 'gpu' } as never)).toThrow(RangeError);
    expect(() => f.kernels.kernelsSync({ backend: 'gpu' } as never)).toThrow(RangeError);
    expect(() =>
      f.compat.main([
        [1, -2],
        [3, 4],
      ]),
    ).toThrow(RangeError);
    expect(calls).toEqual([]);
    // the tripwire: a valid call probes (validate, an empty module), then compiles the kernels once
    f.pkg.sample(truth, 10);
    expect(calls).toContain('validate');
    expect(calls.filter((c) => c === 'Module').length).toBe(2);
    f.pkg.fitSync(x);
    expect(calls.filter((c) => c === 'Module').length).toBe(2);
  });
});

describe('the backend option and the environment variable are validated', () => {
  const bad: [unknown, typeof TypeError | typeof RangeError, string][] = [
    ['gpu', RangeError, `options.backend must be one of 'auto', 'wasm', 'js', got "gpu"`],
    ['WASM', RangeError, 'got "WASM"'],
    [1, TypeError, 'options.backend must be one of'],
    [null, TypeError, 'got null'],
  ];
  it.each(bad)('backend %s', async (backend, E, message) => {
    const o = { backend } as never;
    expect(() => pkg.fitSync(x, o)).toThrow(E);
    expect(() => pkg.fitSync(x, o)).toThrow(message);
    expect(() => pkg.sample(truth, 3, o)).toThrow(message);
    expect(() => pkg.accumulate(x, o)).toThrow(message);
    await expect(pkg.fit(x, o)).rejects.toThrow(message);
    await expect(pkg.init(o)).rejects.toThrow(message);
    expect(() => kernelsMod.kernelsSync(o)).toThrow(message);
    await expect(kernelsMod.kernels(o)).rejects.toThrow(message);
    expect(() => compatMod.sampleTrunGauss(0, 1, 0, 3, o)).toThrow(message);
  });

  it('RELU_DENSITY_BACKEND: wasm | js | auto | empty; anything else is a RangeError naming it', () => {
    vi.stubEnv('RELU_DENSITY_BACKEND', 'js');
    expect(instance.autoBackend()).toBe('js');
    expect(kernelsMod.kernelsSync().backend).toBe('js');
    expect(kernelsMod.kernelsSync({ backend: 'wasm' }).backend).toBe('wasm'); // an explicit choice wins
    vi.stubEnv('RELU_DENSITY_BACKEND', 'wasm');
    expect(instance.autoBackend()).toBe('wasm');
    for (const v of ['auto', '']) {
      vi.stubEnv('RELU_DENSITY_BACKEND', v);
      expect(instance.autoBackend()).toBe('wasm'); // Node has WebAssembly
    }
    vi.stubEnv('RELU_DENSITY_BACKEND', 'typescript');
    expect(() => pkg.sample(truth, 3)).toThrow(
      new RangeError(`the environment variable RELU_DENSITY_BACKEND must be 'wasm', 'js' or 'auto', got "typescript"`),
    );
    expect(pkg.sample(truth, 3, { backend: 'js' }).n).toBe(3); // not consulted for an explicit choice
  });
});
