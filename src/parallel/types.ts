// The parallel engine's shared vocabulary, imported by the options, the pools and the Node
// glue alike; it imports nothing, so none of them has to import another for a type.

/** Most workers a call or a pool may start. */
export const MAX_WORKERS = 64;

/**
 * A worker as the engine uses it: the part of the Web Worker interface it needs (a browser
 * Worker is one; in Node the engine wraps worker_threads to look like one).
 */
export interface WorkerLike {
  postMessage(message: unknown, transfer: Transferable[]): void;
  // biome-ignore lint/suspicious/noExplicitAny: a DOM Worker's and Node's event types both have to fit
  addEventListener(type: 'message' | 'error' | 'messageerror', listener: (event: any) => void): void;
  terminate(): unknown;
}

/** Progress of a fit or sample; passes are numbered from 1. */
export interface Progress {
  /** The pass under way, from 1. */
  pass: number;
  /** Passes in all: 1 for method 'mle' (plus 1 for step1 'sgd' and 1 for step2 'orthant'), 3 for 'paper', 1 for sampling. */
  passes: number;
  /** Rows done in this pass. */
  rows: number;
  /** Rows in all, when known (the source's n, or the rows of pass 1). */
  totalRows?: number | undefined;
  /** What the pass computes: 'statistics', 'stats', 'step1', 'counts' or 'sample'. */
  stage: string;
}
