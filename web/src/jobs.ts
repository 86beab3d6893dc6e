// The messages between the page and its jobs worker (src/jobs.worker.ts): reading the user's
// file and the Monte Carlo TV estimates run there so the page stays responsive.
import type { FitResult, ModelInput, TvDistances } from 'relu-density';
import type { Matrix } from './parse.js';

export type JobRequest =
  | { id: number; kind: 'parse'; file: File }
  | { id: number; kind: 'tv'; truth: ModelInput; estimate: FitResult['model']; draws: number; seed: number };

export type JobReply =
  | { id: number; ok: true; kind: 'parse'; value: Matrix }
  | { id: number; ok: true; kind: 'tv'; value: TvDistances }
  | { id: number; ok: false; error: string };

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/** Runs jobs in one module worker, one reply per request. */
export class JobsClient {
  #worker = new Worker(new URL('./jobs.worker.ts', import.meta.url), { type: 'module' });
  #next = 1;
  #waiting = new Map<number, { resolve: (r: JobReply) => void }>();

  constructor() {
    this.#worker.onmessage = (e: MessageEvent<JobReply>) => {
      this.#waiting.get(e.data.id)?.resolve(e.data);
      this.#waiting.delete(e.data.id);
    };
  }

  #run(request: WithoutId<JobRequest>): Promise<JobReply> {
    const id = this.#next++;
    return new Promise((resolve) => {
      this.#waiting.set(id, { resolve });
      this.#worker.postMessage({ ...request, id });
    });
  }

  async parse(file: File): Promise<Matrix> {
    const r = await this.#run({ kind: 'parse', file });
    if (!r.ok) throw new Error(r.error);
    return (r as Extract<JobReply, { kind: 'parse' }>).value;
  }

  async tv(truth: ModelInput, estimate: FitResult['model'], draws: number, seed: number): Promise<TvDistances> {
    const r = await this.#run({ kind: 'tv', truth, estimate, draws, seed });
    if (!r.ok) throw new Error(r.error);
    return (r as Extract<JobReply, { kind: 'tv' }>).value;
  }
}
