// A page-level fit worker: the package's fit, run off the main thread. (Used until the
// package's own worker support, fit(x, { workers, workerFactory }), is available.)
import { fit, type FitOptions, type Samples } from 'relu-density';

export type FitRequest = { x: Samples; options: FitOptions };
export type FitReply = { ok: true; result: Awaited<ReturnType<typeof fit>> } | { ok: false; error: string };

self.onmessage = async (e: MessageEvent<FitRequest>) => {
  let reply: FitReply;
  try {
    reply = { ok: true, result: await fit(e.data.x, e.data.options) };
  } catch (err) {
    reply = { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  (self as unknown as Worker).postMessage(reply);
};
