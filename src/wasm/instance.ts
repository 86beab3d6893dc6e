// The one module that instantiates WebAssembly (through @assemblyscript/loader, the
// client's choice). One compiled module and one instance are cached for the process;
// tests may instantiate other builds (debug) with instantiateKernels().
import { instantiate, instantiateSync } from '@assemblyscript/loader';
import { WASM_BASE64 } from './bytes.js';

/** The raw ABI of assembly/index.ts: numbers in, buffers in linear memory. */
export interface KernelExports {
  readonly memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  free(ptr: number): void;
  seedState(statePtr: number, seed: number): void;
  jumpState(statePtr: number): void;
  fillU64(statePtr: number, outPtr: number, count: number): void;
  fillNormal(statePtr: number, outPtr: number, count: number): void;
  fillTruncNormal(statePtr: number, outPtr: number, count: number, alpha: number): void;
  sgdChunk(xPtr: number, rows: number, d: number, statePtr: number, bs: number, lam: number, radius: number): void;
  coordStats(xPtr: number, rows: number, d: number, outPtr: number): void;
  pairCounts(xPtr: number, rows: number, d: number, tPtr: number, bitsPtr: number, countsPtr: number): void;
  momentStats(xPtr: number, rows: number, d: number, outPtr: number, zerosPtr: number, bitsPtr: number, listPtr: number): void;
  sampleRows(statePtr: number, wtPtr: number, bPtr: number, outPtr: number, rows: number, d: number, k: number, zPtr: number): void;
}

let bytes: Uint8Array | undefined;
let cached: KernelExports | undefined;
let pending: Promise<KernelExports> | undefined;

function wasmBytes(): Uint8Array {
  if (bytes === undefined) {
    const bin = atob(WASM_BASE64);
    bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  }
  return bytes;
}

function requireWebAssembly(): void {
  if (typeof WebAssembly !== 'object' || WebAssembly === null) {
    throw new Error('relu-density: WebAssembly is not available in this environment');
  }
}

/** Compiles and instantiates the inlined module once; later calls return the same promise. */
export function init(): Promise<void> {
  if (cached !== undefined) return Promise.resolve();
  if (pending === undefined) {
    pending = Promise.resolve().then(async () => {
      requireWebAssembly();
      const { exports } = await instantiate<Record<string, unknown>>(wasmBytes(), {});
      cached = exports as unknown as KernelExports;
      return cached;
    });
  }
  return pending.then(() => undefined);
}

/**
 * The cached instance, compiled synchronously on first use when init() has not run
 * (fine in Node and workers; browsers' main threads want `await init()` first).
 */
export function kernelExports(): KernelExports {
  if (cached === undefined) cached = instantiateKernels(wasmBytes());
  return cached;
}

/** A fresh instance of any build of assembly/ (tests run the debug build through this). */
export function instantiateKernels(binary: Uint8Array): KernelExports {
  requireWebAssembly();
  const { exports } = instantiateSync<Record<string, unknown>>(binary, {});
  return exports as unknown as KernelExports;
}
