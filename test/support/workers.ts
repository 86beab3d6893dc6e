// Workers for the tests: src/worker.ts run through tsx (the source under test, no build
// needed), behind the same wrapper the package's Node default uses; every worker made is
// recorded so a test can check that all of them were terminated.
import { Worker } from 'node:worker_threads';
import { wrapNodeWorker } from '../../src/parallel/node.js';
import type { WorkerLike } from '../../src/index.js';

const SOURCE = new URL('../../src/worker.ts', import.meta.url).href;

/** Code for an eval worker that registers tsx, then imports a module. */
export const viaTsx = (url: string) => `import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(url)}); })`;

export interface Made {
  worker: Worker;
  exited: Promise<number>;
  terminated: boolean;
}

/** A factory of workers running `code` (default: src/worker.ts), recording each one in `made`. */
export function recordingFactory(made: Made[] = [], code = viaTsx(SOURCE)): { made: Made[]; factory: () => WorkerLike } {
  return {
    made,
    factory() {
      const worker = new Worker(code, { eval: true });
      const rec: Made = { worker, exited: new Promise((resolve) => worker.once('exit', resolve)), terminated: false };
      made.push(rec);
      const w = wrapNodeWorker(worker);
      return { ...w, terminate: () => ((rec.terminated = true), w.terminate()) };
    },
  };
}

/** Every recorded worker was terminated and has exited (within 5 s). */
export async function allExited(made: Made[]): Promise<boolean> {
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(resolve, 5000, 'timeout'));
  const done = await Promise.race([Promise.all(made.map((m) => m.exited)), timeout]);
  return done !== 'timeout' && made.every((m) => m.terminated);
}
