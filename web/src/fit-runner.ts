// Off the main thread through the package's own worker support: fit and sampleAsync send the
// row blocks to a module Web Worker running relu-density/worker, and report progress per
// block. The results are the same bits as fitSync / sample on this thread.
import { fit, sampleAsync, type FitOptions, type FitResult, type ModelInput, type Progress, type Samples } from 'relu-density';

/** Progress of one job in [0, 1]. */
export type OnFraction = (fraction: number) => void;

/** One module worker on the package's worker script (Vite bundles it through the alias to dist/). */
const workerFactory = () => new Worker(new URL('relu-density/worker', import.meta.url), { type: 'module' });

const fraction = (p: Progress, rows: number) => (p.pass - 1 + p.rows / (p.totalRows ?? rows)) / p.passes;

export function fitInWorker(x: Samples, options: FitOptions, onFraction: OnFraction): Promise<FitResult> {
  return fit(x, { ...options, workers: 1, workerFactory, onProgress: (p) => onFraction(fraction(p, x.n)) });
}

export function sampleInWorker(model: ModelInput, n: number, seed: number, onFraction: OnFraction): Promise<Samples> {
  return sampleAsync(model, n, { seed, workers: 1, workerFactory, onProgress: (p) => onFraction(fraction(p, n)) });
}
