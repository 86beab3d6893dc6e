// The Backend for a caller's `backend` option: the Wasm kernels or their TypeScript twins
// (src/backend/js/). Called only after the caller's input has been validated, so bad input never
// compiles anything; 'auto' decides with wasmSupport() (an empty module), never by trying.
import type { Backend } from './contract.js';
import { jsBackend } from './js/backend.js';
import type { BackendChoice } from '../types.js';
import { wasmBackend } from './wasm/backend.js';
import { kernelExportsAsync, resolveBackend } from './wasm/instance.js';

/** The backend for a checked choice; compiles the Wasm synchronously on first use. */
export function selectBackend(choice: BackendChoice): Backend {
  return resolveBackend(choice) === 'js' ? jsBackend : wasmBackend();
}

/** Like selectBackend, compiling the Wasm asynchronously (browsers' main threads). */
export async function selectBackendAsync(choice: BackendChoice): Promise<Backend> {
  if (resolveBackend(choice) === 'js') return jsBackend;
  await kernelExportsAsync();
  return wasmBackend();
}
