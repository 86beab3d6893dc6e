// What a worker does with each request: the block kernels (src/backend/merge.ts), the SGD and the
// sampler on its own backend (its own Wasm instance, or the TypeScript kernels when the
// caller's backend resolved to 'js'). Kept free of worker plumbing, so it runs the same in
// Node and browsers, and on the calling thread too (workers: 0 runs this very handler).
import type { Backend, PackedModel, SgdRun } from '../backend/contract.js';
import { checkBlockValues } from '../input/scalars.js';
import { jsBackend } from '../backend/js/backend.js';
import { blockPartial } from '../backend/merge.js';
import { wasmBackend } from '../backend/wasm/backend.js';
import { kernelExportsAsync } from '../backend/wasm/instance.js';
import { buffersOf, type OkReply, type Reply, type Request } from './protocol.js';

export interface Handled<R extends Reply = Reply> {
  reply: R;
  transfer: ArrayBuffer[];
}

/** A worker's state (its backend, an open SGD run, a sampling model) and what it answers. */
export interface Handler {
  /** The successful reply to one request; a failure throws (see errorReply). */
  handle(req: Request): Promise<Handled<OkReply>>;
  /** Ends an open SGD run, releasing its memory (a pass aborted on the calling thread). */
  close(): void;
  /** The backend init chose (for work the calling thread does without messages). */
  kernels(): Backend;
}

export function createHandler(): Handler {
  let backend: Backend | undefined;
  let run: SgdRun | undefined;
  let sgdD = 0;
  let model: { model: PackedModel; seed: number } | undefined;

  const kernels = (): Backend => {
    if (backend === undefined) throw new Error('relu-density worker: a request came before init');
    return backend;
  };

  async function handle(req: Request): Promise<Handled<OkReply>> {
    switch (req.type) {
      case 'init':
        if (req.backend === 'wasm') await kernelExportsAsync();
        backend = req.backend === 'wasm' ? wasmBackend() : jsBackend;
        return { reply: { id: req.id, ok: true }, transfer: [] };
      case 'moments':
      case 'coordStats':
      case 'pairCounts': {
        const b = kernels();
        if (req.check) checkBlockValues(req.block, req.rows, req.d, req.check);
        const partial = blockPartial(b, req.type, req.block, req.rows, req.d, req.thresholds);
        return { reply: { id: req.id, ok: true, partial, block: req.block }, transfer: buffersOf(partial, req.block) };
      }
      case 'sgdStart':
        run?.finish();
        run = kernels().sgd(req.d, req.setup, req.lo, req.hi);
        sgdD = req.d;
        return { reply: { id: req.id, ok: true }, transfer: [] };
      case 'sgdPush':
        if (run === undefined) throw new Error('relu-density worker: sgdPush without sgdStart');
        if (req.check) checkBlockValues(req.block, req.rows, sgdD, req.check);
        run.push(req.block, req.rows);
        // A shared block stays with the engine; a transferred one goes back for reuse.
        if (!(req.block.buffer instanceof ArrayBuffer)) return { reply: { id: req.id, ok: true }, transfer: [] };
        return { reply: { id: req.id, ok: true, block: req.block }, transfer: buffersOf(req.block) };
      case 'sgdFinish': {
        if (run === undefined) throw new Error('relu-density worker: sgdFinish without sgdStart');
        const totals = run.finish();
        run = undefined;
        return { reply: { id: req.id, ok: true, totals }, transfer: buffersOf(totals.sumV1, totals.sumV2, totals.batches) };
      }
      case 'sampleModel':
        model = { model: req.model, seed: req.seed };
        return { reply: { id: req.id, ok: true }, transfer: [] };
      case 'sample': {
        if (model === undefined) throw new Error('relu-density worker: sample without sampleModel');
        const data = new Float64Array(req.rows * model.model.d);
        kernels().sample(model.model, model.seed, req.firstRow, req.rows, data);
        return { reply: { id: req.id, ok: true, data }, transfer: buffersOf(data) };
      }
    }
  }

  return {
    handle,
    kernels,
    close() {
      run?.finish();
      run = undefined;
    },
  };
}

/** A failure as the reply a worker posts (reviveError makes the same class of error of it). */
export function errorReply(id: number, err: unknown): Handled {
  const e = err instanceof Error ? err : new Error(String(err));
  return { reply: { id, ok: false, name: e.name, message: e.message }, transfer: [] };
}
