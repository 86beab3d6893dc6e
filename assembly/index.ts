// The ABI: plain numbers (pointers, sizes, seeds) in, results written to buffers the host
// took with alloc(). No AssemblyScript objects cross the boundary and no kernel allocates,
// so memory only grows inside alloc(); the host rebuilds its views after every alloc().

export { seedState, jumpState, fillU64 } from "./rng";
export { fillNormal } from "./normal";
export { fillTruncNormal } from "./truncnorm";
export { sgdChunk } from "./sgd";
export { coordStats } from "./stats";
export { pairCounts } from "./counts";
export { sampleRows } from "./sample";
export { momentStats } from "./moments";
export { cholesky } from "./cholesky";
export { symmetricEigen } from "./eigen";
export { lanczos } from "./lanczos";

// The memory layout the host must follow, as immutable i32 globals (read once, by
// src/wasm/abi.ts), so that it is stated in one place, next to the kernels that use it.
export { RNG_STATE_BYTES } from "./rng";
export {
  SGD_MU0, SGD_S0, SGD_THRES, SGD_V1, SGD_V2, SGD_SUM_V1, SGD_SUM_V2, SGD_BATCHES,
  SGD_COUNT, SGD_SUM_X, SGD_SUM_X2, SGD_FIELDS,
} from "./sgd";
export { COORD_COUNT, COORD_SUM, COORD_SUM_SQ, COORD_FIELDS } from "./stats";
export { BITSET_ROWS } from "./counts";
export { MOMENT_MATRICES, MOMENT_KEEP_PER_D, MOMENT_KEEP_FIXED, MOMENT_TILE_ROWS, MOMENT_GROUP_ROWS } from "./moments";
export { SAMPLE_PANEL_COLS, SAMPLE_TILE_ROWS, SAMPLE_BLOCK_ROWS, SAMPLE_Z_SPARE_ROWS } from "./sample";
export { CHOLESKY_PANEL_ROWS } from "./cholesky";
export { EIGEN_SCRATCH_PER_D } from "./eigen";

/** Raw, 16-byte aligned bytes from the runtime's TLSF heap; may grow memory. */
export function alloc(bytes: usize): usize {
  return heap.alloc(bytes);
}

export function free(ptr: usize): void {
  heap.free(ptr);
}
