// --kept-pool: the worker runs use pools from startWorkers, started once and kept across the
// timed runs (what a batch job that fits many times sees), instead of a pool per call.
import { startWorkers, type Workers } from '../src/index.js';
import type { BenchArgs } from './args.js';

const kept = new Map<number, Workers>();

/** options.workers for W workers: W itself, or the kept pool of W. */
export async function workersFor(a: BenchArgs, w: number): Promise<number | Workers> {
  if (!a.keptPool) return w;
  let pool = kept.get(w);
  if (pool === undefined) kept.set(w, (pool = await startWorkers(w)));
  return pool;
}

/** How the worker runs got their workers, for the notes under each table. */
export const poolNote = (a: BenchArgs): string =>
  a.keptPool ? 'a pool of W workers from startWorkers(), started before the timed runs and kept' : 'pool started and ended by each call';

export async function closePools(): Promise<void> {
  await Promise.all([...kept.values()].map((p) => p.close()));
  kept.clear();
}
