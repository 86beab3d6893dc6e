// The two compute floors of the high-d cases, from bench/wasm/floors.as (its header says what they
// are and whose blocking they follow). The source is compiled here, in memory, by the
// assemblyscript devDependency (--enable simd -O3 --runtime stub), once per process, and
// instantiated directly: nothing is written to disk and the shipped module does not change.
//   xtxFloorMs:     the upper triangle of X^T X of the same rowsPerBlock(d) blocks the statistics
//                   pass gets, each block copied into Wasm memory first (as every kernel call does).
//   productFloorMs: C = max(Z W^T + b, 0) for n rows, R rows at a time into Wasm memory, each R-row
//                   result copied out into one preallocated n x d array (the copy sampling makes).
import { readFileSync } from 'node:fs';
import { forEachBlock, rowsPerBlock } from '../../src/backend/blocks.js';
import type { Samples } from '../../src/types.js';

interface FloorExports {
  readonly memory: WebAssembly.Memory;
  readonly FLOOR_PANEL: WebAssembly.Global;
  reserve(bytes: number): number;
  xtx(x: number, rows: number, d: number, pack: number, g: number): void;
  packRows(src: number, m: number, k: number, dst: number): void;
  gemm(zp: number, rows: number, wp: number, d: number, k: number, b: number, c: number): void;
}

/** The compiler's flags, for notes. */
export const FLOOR_BUILD = 'bench/wasm/floors.as, compiled in memory with asc --enable simd -O3 --runtime stub';

let compiled: Promise<WebAssembly.Module> | undefined;

/** Compiles floors.as (once); rejects with the compiler's diagnostics. */
export function floorModule(): Promise<WebAssembly.Module> {
  compiled ??= (async () => {
    const source = readFileSync(new URL('./floors.as', import.meta.url), 'utf8');
    const asc = (await import('assemblyscript/asc')).default;
    const r = await asc.compileString(
      { 'floors.ts': source },
      { optimizeLevel: 3, shrinkLevel: 0, converge: true, noAssert: true, runtime: 'stub', enable: ['simd'] },
    );
    if (r.error !== null || r.binary === null)
      throw new Error(`bench/wasm/floors.as does not compile: ${r.error?.message ?? 'no binary'}\n${r.stderr.toString()}`);
    return WebAssembly.compile(new Uint8Array(r.binary)); // a copy on its own ArrayBuffer, as BufferSource wants
  })();
  return compiled;
}

/** A fresh instance: the stub runtime never frees, so each floor run gets its own. */
async function instance(): Promise<FloorExports> {
  const inst = await WebAssembly.instantiate(await floorModule(), {
    env: {
      abort: () => {
        throw new Error('floors.as aborted');
      },
    },
  });
  return inst.exports as unknown as FloorExports;
}

function checkD(name: string, d: number): void {
  if (!Number.isInteger(d) || d < 4 || d % 4 !== 0) throw new RangeError(`${name}: the floors take d a multiple of 4, got ${d}`);
}

/** Multiply-adds counted as 2 flops: the upper triangle (with the diagonal) of X^T X. */
export const xtxFlops = (n: number, d: number): number => n * d * (d + 1);

/** 2 n k d flops of the product (the bias and ReLU not counted). */
export const productFlops = (n: number, d: number, k: number): number => 2 * n * k * d;

/** A prepared X^T X floor for d columns: run(x) returns its wall time in ms and the checksum sum of the upper triangle. */
export async function xtxFloor(d: number): Promise<(x: Samples) => { ms: number; checksum: number }> {
  checkD('xtxFloor', d);
  const ex = await instance();
  const rows = rowsPerBlock(d);
  const panel = ex.FLOOR_PANEL.value as number;
  const xPtr = ex.reserve(rows * d * 8);
  const pack = ex.reserve(panel * d * 8);
  const g = ex.reserve(d * d * 8);
  return (x) => {
    if (x.d !== d) throw new RangeError(`xtxFloor: prepared for d = ${d}, got x.d = ${x.d}`);
    const t = performance.now();
    new Float64Array(ex.memory.buffer, g, d * d).fill(0);
    forEachBlock(x, (block, m) => {
      new Float64Array(ex.memory.buffer, xPtr, m * d).set(block.subarray(0, m * d));
      ex.xtx(xPtr, m, d, pack, g);
    });
    const out = new Float64Array(ex.memory.buffer, g, d * d).slice(); // the one copy out
    const ms = performance.now() - t;
    let checksum = 0;
    for (let i = 0; i < d; i++) for (let j = i; j < d; j++) checksum += out[i * d + j];
    return { ms, checksum };
  };
}

/** Rows of Z per product call: 128 rows x 256 doubles = 256 KiB of packed Z per panel, beside a 512 KiB chunk of W. */
export const PRODUCT_ROWS = 128;

/**
 * A prepared product floor for W (d x k, row-major) and b: run(out) fills out (n x d, n = out.length / d)
 * with max(Z W^T + b, 0), Z one fixed PRODUCT_ROWS x k block of N(0, 1)-like values reused for every
 * row block (the normals are not the floor's work); its wall time in ms.
 */
export async function productFloor(W: Float64Array, b: Float64Array, d: number, k: number): Promise<(out: Float64Array) => number> {
  checkD('productFloor', d);
  if (W.length !== d * k || b.length !== d) throw new RangeError(`productFloor: W must be d x k = ${d} x ${k} and b of length ${d}`);
  const ex = await instance();
  const panel = ex.FLOOR_PANEL.value as number;
  const kp = Math.ceil(k / panel) * panel;
  const R = PRODUCT_ROWS;
  const wRaw = ex.reserve(d * k * 8);
  const wp = ex.reserve(d * kp * 8);
  const zRaw = ex.reserve(R * k * 8);
  const zp = ex.reserve(R * kp * 8);
  const bp = ex.reserve(d * 8);
  const c = ex.reserve(R * d * 8);
  new Float64Array(ex.memory.buffer, wRaw, d * k).set(W);
  new Float64Array(ex.memory.buffer, bp, d).set(b);
  // a fixed, normal-looking Z (sum of uniforms; no subnormals, about half the values negative)
  const z = new Float64Array(ex.memory.buffer, zRaw, R * k);
  let s = 12345;
  for (let i = 0; i < z.length; i++) {
    let v = -6;
    for (let u = 0; u < 12; u++) v += (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
    z[i] = v;
  }
  ex.packRows(zRaw, R, k, zp);
  return (out) => {
    const n = out.length / d;
    if (!Number.isInteger(n)) throw new RangeError(`productFloor: out.length must be a multiple of d = ${d}`);
    const t = performance.now();
    ex.packRows(wRaw, d, k, wp); // W packed once a call, as the package packs its model once a call
    for (let r0 = 0; r0 < n; r0 += R) {
      const m = Math.min(R, n - r0);
      ex.gemm(zp, R, wp, d, k, bp, c); // a short last block is computed whole and copied in part
      out.set(new Float64Array(ex.memory.buffer, c, m * d), r0 * d);
    }
    return performance.now() - t;
  };
}
