// The worker script (bundled to dist/worker.js, exported as relu-density/worker): answers
// the engine's requests (src/parallel/protocol.ts) one at a time, in arrival order. In Node
// it listens on worker_threads' parentPort; in a browser (a module Web Worker) on self.
import { createHandler, errorReply, type Handled } from './parallel/handler.js';
import type { Request } from './parallel/protocol.js';

type Post = (h: Handled) => void;

function serve(post: Post): (req: Request) => void {
  const handler = createHandler();
  let queue: Promise<void> = Promise.resolve();
  // One request at a time and in order: an SGD run's blocks must be pushed in row order.
  return (req) => {
    queue = queue.then(async () => post(await handler.handle(req).catch((err: unknown) => errorReply(req.id, err))));
  };
}

interface NodePort {
  on(event: 'message', fn: (m: Request) => void): void;
  postMessage(m: unknown, transfer: ArrayBuffer[]): void;
}

const nodeProcess = (globalThis as { process?: { versions?: { node?: string } } }).process;
if (nodeProcess?.versions?.node !== undefined) {
  // A computed specifier, so browser bundlers do not try to resolve a Node built-in.
  const specifier = 'node:worker_threads';
  void import(/* @vite-ignore */ /* webpackIgnore: true */ specifier).then((wt: { parentPort: NodePort | null }) => {
    const port = wt.parentPort;
    if (port === null) throw new Error('relu-density/worker must run in a worker thread');
    port.on(
      'message',
      serve((h) => port.postMessage(h.reply, h.transfer)),
    );
  });
} else {
  const scope = globalThis as unknown as {
    postMessage(m: unknown, transfer: ArrayBuffer[]): void;
    addEventListener(type: 'message', fn: (e: { data: Request }) => void): void;
  };
  const onRequest = serve((h) => scope.postMessage(h.reply, h.transfer));
  scope.addEventListener('message', (e) => onRequest(e.data));
}
