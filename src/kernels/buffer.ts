// F64Buffer handles: arrays of doubles a caller fills or reads in place. On the Wasm
// backend they live in WebAssembly memory, so kernels read and write them without a copy.
import type { F64Buffer } from './types.js';

/** Every handle this package made, so arguments can be told apart from look-alikes. */
const handles = new WeakSet<object>();

export function isF64Buffer(v: unknown): v is F64Buffer {
  return typeof v === 'object' && v !== null && handles.has(v);
}

/** Largest buffer, in doubles: AssemblyScript's allocator refuses blocks of 1 GiB and more. */
export const MAX_BUFFER_LENGTH = 2 ** 27 - 2;

/** A handle whose `view` comes from `makeView` (called again whenever it reports the view stale). */
export function makeHandle(length: number, makeView: () => Float64Array, isStale: (view: Float64Array) => boolean, release: () => void): F64Buffer {
  let view: Float64Array | undefined;
  let freed = false;
  const handle: F64Buffer = {
    length,
    get view(): Float64Array {
      if (freed) throw new Error('this F64Buffer was freed; its memory may hold other data now');
      if (view === undefined || isStale(view)) view = makeView();
      return view;
    },
    get freed(): boolean {
      return freed;
    },
    free(): void {
      if (freed) return;
      freed = true;
      view = undefined;
      release();
    },
  };
  handles.add(handle);
  return handle;
}
