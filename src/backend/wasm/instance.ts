// The one module that instantiates WebAssembly (through @assemblyscript/loader, the
// client's choice). One compiled module and one instance are cached for the process;
// tests may instantiate other builds (debug) with instantiateKernels(). It also decides what
// backend 'auto' means here: Wasm where this engine can compile it, else the TypeScript
// kernels (src/backend/js/), and never by compiling the kernels themselves to find out.
import { instantiate, instantiateSync } from '@assemblyscript/loader';
import type { BackendChoice, BackendName } from '../../types.js';
import { checkBackend } from '../../input/backend-option.js';
import { checkOptions } from '../../input/scalars.js';
import type { AbiGlobals } from './abi.js';
import { WASM_BASE64 } from './bytes.js';

/**
 * The raw ABI of assembly/index.ts: numbers in, buffers in linear memory, and the buffers'
 * layout as globals. Only src/backend/wasm/adapter.ts calls these.
 */
export interface KernelExports extends AbiGlobals {
  readonly memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  free(ptr: number): void;
  seedState(statePtr: number, seed: number): void;
  jumpState(statePtr: number): void;
  fillU64(statePtr: number, outPtr: number, count: number): void;
  fillNormal(statePtr: number, outPtr: number, count: number): void;
  fillTruncNormal(statePtr: number, outPtr: number, count: number, alpha: number): void;
  sgdChunk(xPtr: number, rows: number, d: number, statePtr: number, bs: number, lam: number, radius: number, lo: number, hi: number): void;
  coordStats(xPtr: number, rows: number, d: number, outPtr: number): void;
  pairCounts(xPtr: number, rows: number, d: number, tPtr: number, bitsPtr: number, countsPtr: number): void;
  momentStats(xPtr: number, rows: number, d: number, outPtr: number, bitsPtr: number, keepPtr: number, lo: number, hi: number): void;
  sampleRows(
    statePtr: number,
    panelsPtr: number,
    supportPtr: number,
    bPtr: number,
    outPtr: number,
    rows: number,
    d: number,
    k: number,
    zPtr: number,
    blockRows: number,
  ): void;
  /** In place; -1, or the first pivot that is not > 0. */
  cholesky(aPtr: number, d: number, packPtr: number): number;
  /** In place (rows become eigenvectors), values ascending; 0, or l + 1 when eigenvalue l did not converge. */
  symmetricEigen(aPtr: number, d: number, valuesPtr: number, scratchPtr: number): number;
  /** 0, or 1 when tql2 failed on T; out = [value, residual, steps, converged]. */
  lanczos(
    aPtr: number,
    d: number,
    inverse: number,
    qPtr: number,
    wPtr: number,
    tPtr: number,
    kmax: number,
    minSteps: number,
    tol: number,
    outPtr: number,
  ): number;
}

/** The environment variable that overrides what 'auto' picks: 'wasm', 'js' or 'auto'. */
export const BACKEND_ENV = 'RELU_DENSITY_BACKEND';

let bytes: Uint8Array<ArrayBuffer> | undefined;
let cached: KernelExports | undefined;
let pending: Promise<KernelExports> | undefined;

function wasmBytes(): Uint8Array<ArrayBuffer> {
  if (bytes === undefined) {
    const bin = atob(WASM_BASE64);
    bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  }
  return bytes;
}

/** Whether this engine can run the kernels' WebAssembly, and if not, why. */
export type WasmSupport = { ok: true } | { ok: false; reason: string };

/** An empty module (magic and version only): compiling it tests the permission, below any size limit. */
const EMPTY_MODULE = Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00);

let support: WasmSupport | undefined;

const describe = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

function probe(): WasmSupport {
  if (typeof WebAssembly !== 'object' || WebAssembly === null) {
    return { ok: false, reason: 'WebAssembly is not available in this environment' };
  }
  try {
    // validate() never compiles, so a Content-Security-Policy does not block it
    if (!WebAssembly.validate(wasmBytes())) {
      return { ok: false, reason: 'this engine cannot run the kernels (they need WebAssembly SIMD)' };
    }
  } catch (e) {
    return { ok: false, reason: `WebAssembly.validate failed (${describe(e)})` };
  }
  try {
    new WebAssembly.Module(EMPTY_MODULE);
  } catch (e) {
    return {
      ok: false,
      reason: `compiling WebAssembly is blocked here (${describe(e)}); a Content-Security-Policy must allow 'wasm-unsafe-eval'`,
    };
  }
  return { ok: true };
}

/**
 * Whether the kernels' WebAssembly can run here: WebAssembly exists, validates the module
 * (SIMD) and may compile (no Content-Security-Policy blocks it). Tested once, with an
 * empty module; the answer is cached for the process.
 */
export function wasmSupport(): WasmSupport {
  if (support === undefined) support = probe();
  return support;
}

function envBackend(): BackendName | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const v = env?.[BACKEND_ENV];
  if (v === undefined || v === '' || v === 'auto') return undefined;
  if (v === 'wasm' || v === 'js') return v;
  throw new RangeError(`the environment variable ${BACKEND_ENV} must be 'wasm', 'js' or 'auto', got ${JSON.stringify(v)}`);
}

/**
 * What 'auto' picks here: RELU_DENSITY_BACKEND when it is 'wasm' or 'js', else 'wasm' when
 * wasmSupport() says it can run, else 'js'. Never compiles the kernels.
 */
export function autoBackend(): BackendName {
  return envBackend() ?? (wasmSupport().ok ? 'wasm' : 'js');
}

/** The backend a checked choice stands for. */
export function resolveBackend(choice: BackendChoice): BackendName {
  return choice === 'auto' ? autoBackend() : choice;
}

function requireWebAssembly(): void {
  const s = wasmSupport();
  if (!s.ok) {
    throw new Error(`relu-density: ${s.reason}; pass { backend: 'js' } (or 'auto') to run the TypeScript kernels instead`);
  }
}

/**
 * Compiles asynchronously (allowed everywhere), then instantiates the compiled module
 * synchronously where the engine allows it: in Node an async instantiate costs ~30 ms more on
 * its first call, the sync one ~1 ms. Browsers' main threads refuse synchronous
 * instantiation of large modules with a RangeError; there the async path runs instead.
 */
function compileAsync(): Promise<void> {
  if (cached !== undefined) return Promise.resolve();
  if (pending === undefined) {
    pending = Promise.resolve().then(async () => {
      requireWebAssembly();
      const module = await WebAssembly.compile(wasmBytes() as BufferSource);
      let result;
      try {
        result = instantiateSync<Record<string, unknown>>(module, {});
      } catch (err) {
        if (!(err instanceof RangeError)) throw err;
        result = await instantiate<Record<string, unknown>>(module, {});
      }
      cached = result.exports as unknown as KernelExports;
      return cached;
    });
  }
  return pending.then(() => undefined);
}

/**
 * Compiles and instantiates the inlined module once, asynchronously (later calls share the
 * promise). With backend 'auto' (the default) it resolves without compiling where the
 * TypeScript kernels will run instead; with 'wasm' it rejects where WebAssembly cannot run.
 */
export function init(options?: { backend?: BackendChoice }): Promise<void> {
  return Promise.resolve().then(() => {
    const o = checkOptions('options', options);
    if (resolveBackend(checkBackend('options.backend', o.backend)) === 'js') return undefined;
    return compileAsync();
  });
}

/**
 * The cached instance, compiled synchronously on first use when init() has not run
 * (fine in Node and workers; browsers' main threads want `await init()` first).
 */
export function kernelExports(): KernelExports {
  if (cached === undefined) cached = instantiateKernels(wasmBytes());
  return cached;
}

/** The cached instance, compiled asynchronously if needed. */
export async function kernelExportsAsync(): Promise<KernelExports> {
  await compileAsync();
  return cached!;
}

/** A fresh instance of any build of assembly/ (tests run the debug build through this). */
export function instantiateKernels(binary: Uint8Array): KernelExports {
  requireWebAssembly();
  const { exports } = instantiateSync<Record<string, unknown>>(binary, {});
  return exports as unknown as KernelExports;
}
