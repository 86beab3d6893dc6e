// Fits off the main thread. One worker per fit: the sample is copied in, the result comes back.
import type { FitOptions, FitResult, Samples } from 'relu-density';
import type { FitReply, FitRequest } from './fit.worker.js';

/** Progress of one fit in [0, 1], or null when unknown. */
export type OnFraction = (fraction: number | null) => void;

export function fitInWorker(x: Samples, options: FitOptions, onFraction: OnFraction): Promise<FitResult> {
  onFraction(null);
  const worker = new Worker(new URL('./fit.worker.ts', import.meta.url), { type: 'module' });
  return new Promise<FitResult>((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<FitReply>) => {
      worker.terminate();
      if (e.data.ok) resolve(e.data.result);
      else reject(new Error(e.data.error));
    };
    worker.onerror = (e) => {
      worker.terminate();
      reject(new Error(`the fit worker failed: ${e.message}`));
    };
    const request: FitRequest = { x, options };
    worker.postMessage(request);
  });
}
