// What a worker does with each request: the kernels of src/backend.ts on its own backend
// (its own Wasm instance, or the TypeScript kernels when the caller's backend resolved to
// 'js'). Kept free of worker plumbing so it runs the same in Node and browsers.
import type { Backend, SgdRun } from '../backend.js';
import { checkBlockValues } from '../checks.js';
import { jsBackend } from '../js/backend.js';
import { wasmBackend } from '../wasm/backend.js';
import { kernelExportsAsync } from '../wasm/instance.js';
import { buffersOf, type Reply, type Request } from './protocol.js';
import type { PackedModel } from '../backend.js';

export interface Handled {
  reply: Reply;
  transfer: ArrayBuffer[];
}

/** A request handler with the worker's state: its backend, an open SGD run, a sampling model. */
export function createHandler(): (req: Request) => Promise<Handled> {
  let backend: Backend | undefined;
  let run: SgdRun | undefined;
  let sgdD = 0;
  let model: { model: PackedModel; seed: number } | undefined;

  const kernels = (): Backend => {
    if (backend === undefined) throw new Error('relu-density worker: a request came before init');
    return backend;
  };

  async function handle(req: Request): Promise<Handled> {
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
        let partial: Float64Array;
        if (req.type === 'moments') partial = b.momentStats(req.block, req.rows, req.d);
        else if (req.type === 'pairCounts') partial = b.pairCounts(req.block, req.rows, req.d, req.thresholds!);
        else partial = packCoordStats(b, req.block, req.rows, req.d);
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

  return async (req) => {
    try {
      return await handle(req);
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      return { reply: { id: req.id, ok: false, name: e.name, message: e.message }, transfer: [] };
    }
  };
}

/** coordStats as one array count | sum | sumSq (one transfer instead of three). */
export function packCoordStats(b: Backend, block: Float64Array, rows: number, d: number): Float64Array {
  const p = b.coordStats(block, rows, d);
  const out = new Float64Array(3 * d);
  out.set(p.count, 0);
  out.set(p.sum, d);
  out.set(p.sumSq, 2 * d);
  return out;
}
