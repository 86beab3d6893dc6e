// The floor every case is compared with: one pass over the data into WebAssembly memory
// (Float64Array.set of each rowsPerBlock(d) block, about 8 MiB, into one Wasm buffer), the
// copy every kernel call starts with. Memory bandwidth, measured in the same run.
import { rowsPerBlock } from '../src/backend/blocks.js';
import { forEachBlock } from '../src/backend/blocks.js';
import type { Samples } from '../src/types.js';
import { kernelExports } from '../src/backend/wasm/instance.js';

/** What the floor is, for notes. */
export const FLOOR_WHAT = 'Float64Array.set of each 8 MiB block into Wasm memory (one read of the data)';

/** One copy of x into Wasm memory, block by block; its wall time in ms. */
export function floorMs(x: Samples): number {
  const ex = kernelExports();
  const ptr = ex.alloc(rowsPerBlock(x.d) * x.d * 8);
  const t = performance.now();
  forEachBlock(x, (block, rows) => new Float64Array(ex.memory.buffer, ptr, rows * x.d).set(block.subarray(0, rows * x.d)));
  const ms = performance.now() - t;
  ex.free(ptr);
  return ms;
}
