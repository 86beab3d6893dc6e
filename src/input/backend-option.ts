// The `backend` option: the values a caller may pass and their check. Nothing here loads or
// probes kernels, so the Wasm loader's init() and every API that takes the option can
// import it without importing each other.
import { checkChoice } from './scalars.js';
import type { BackendChoice } from '../types.js';

/** The backends a caller may ask for. */
export const BACKENDS: readonly BackendChoice[] = ['auto', 'wasm', 'js'];

/** A checked `backend` option (undefined means 'auto'). */
export function checkBackend(name: string, v: unknown): BackendChoice {
  return v === undefined ? 'auto' : checkChoice(name, v, BACKENDS);
}
