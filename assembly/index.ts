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

/** Raw, 16-byte aligned bytes from the runtime's TLSF heap; may grow memory. */
export function alloc(bytes: usize): usize {
  return heap.alloc(bytes);
}

export function free(ptr: usize): void {
  heap.free(ptr);
}
