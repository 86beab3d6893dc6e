// Workers in Node by default: worker_threads running this package's dist/worker.js. Node
// modules are imported with computed specifiers, so the package root still imports cleanly
// in browsers and bundlers leave them alone.
import type { WorkerLike } from './types.js';

// Node's modules stay untyped: the package compiles without @types/node (tsconfig types: []).
// biome-ignore lint/suspicious/noExplicitAny: Node's worker_threads and process, untyped on purpose (see above)
type Any = any;

const nodeImport = (specifier: string): Promise<Any> => import(/* @vite-ignore */ /* webpackIgnore: true */ specifier);

/** Whether this is Node (where worker_threads exist). */
export function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return p?.versions?.node !== undefined && typeof (globalThis as { window?: unknown }).window === 'undefined';
}

interface NodeWorker {
  on(event: 'message', fn: (m: unknown) => void): void;
  on(event: 'error' | 'messageerror', fn: (e: Error) => void): void;
  on(event: 'exit', fn: (code: number) => void): void;
  postMessage(m: unknown, transfer: readonly ArrayBuffer[]): void;
  terminate(): Promise<number>;
}

/** A worker_threads Worker behind the WorkerLike interface (a premature exit is an error). */
export function wrapNodeWorker(w: NodeWorker): WorkerLike {
  let terminated = false;
  const errorListeners: ((e: unknown) => void)[] = [];
  w.on('exit', (code) => {
    if (!terminated) for (const fn of errorListeners) fn(new Error(`relu-density: a worker exited unexpectedly (code ${code})`));
  });
  return {
    postMessage: (m, transfer) => w.postMessage(m, transfer as ArrayBuffer[]),
    addEventListener(type, fn) {
      if (type === 'message') w.on('message', (data) => fn({ data }));
      else {
        if (type === 'error') errorListeners.push(fn);
        w.on(type, fn);
      }
    },
    terminate() {
      terminated = true;
      return w.terminate();
    },
  };
}

let script: Promise<URL> | undefined;

/**
 * dist/worker.js of the package this module belongs to: the nearest folder upwards holding
 * package.json (from dist/ and dist/chunks/ when installed, from src/ in this repository).
 */
function workerScript(): Promise<URL> {
  script ??= (async () => {
    const { existsSync, readFileSync } = await nodeImport('node:fs');
    // Not new URL('.', import.meta.url): bundlers read that literal form as an asset to
    // resolve at build time (Vite warns in every app that bundles the package).
    const here = import.meta.url;
    let dir = new URL('.', here);
    for (;;) {
      const pkg = new URL('package.json', dir);
      if (existsSync(pkg)) {
        const name = (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name;
        if (name === 'relu-density') {
          const file = new URL('dist/worker.js', dir);
          if (!existsSync(file)) {
            throw new Error(`relu-density: the worker script ${file.pathname} is missing; build the package (npm run build) or pass options.workerFactory`);
          }
          return file;
        }
      }
      const up = new URL('..', dir);
      if (up.href === dir.href) {
        throw new Error(`relu-density: cannot find the package's worker script from ${import.meta.url}; pass options.workerFactory`);
      }
      dir = up;
    }
  })();
  script.catch(() => (script = undefined));
  return script;
}

/** A factory of worker_threads workers on dist/worker.js (resolved once per process). */
export async function nodeWorkerFactory(): Promise<() => WorkerLike> {
  const [{ Worker }, file] = await Promise.all([nodeImport('node:worker_threads'), workerScript()]);
  return () => wrapNodeWorker(new Worker(file));
}
