/// <reference types="node" />
// Model files: the JSON a fit writes (fitToJSON, tagged 'relu-density/fit'), or a bare
// model { W, b } (a true model, e.g. from randomModel), with W as rows (number[][]) or
// { data, rows, cols } row-major. Messages name the file and the field.
import { readFile, stat } from 'node:fs/promises';
import { checkFitJSON, fitFromJSON } from '../model/json.js';
import type { FitResult, MatrixLike } from '../types.js';
import { toModel, type CheckedModel } from '../input/arrays.js';

export interface ModelFile {
  /** The model to sample from or compare: a fit's model.W and model.b, or the bare model. */
  model: CheckedModel;
  /** The whole fit, when the file is a fit's JSON. */
  fit?: FitResult;
}

/** Characters in the longest string V8 makes (2^29 - 24): a JSON file beyond it cannot be parsed whole. */
const MAX_STRING = 2 ** 29 - 24;

/** Reads and parses a JSON file, naming it in every error. */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    const bytes = (await stat(path)).size;
    if (bytes > MAX_STRING) {
      throw new Error(
        `${(bytes / 1e6).toFixed(0)} MB is more text than a JavaScript string holds (${(MAX_STRING / 1e6).toFixed(0)} MB), so JSON.parse cannot read it (a fit's JSON, ~50 d^2 bytes, passes it near d = 3270)`,
      );
    }
    text = await readFile(path, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new Error(`${path}: cannot read: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${path}: not valid JSON: ${(err as Error).message}`);
  }
}

/** A fit's JSON or a bare { W, b } model from a file, validated. */
export async function readModelFile(path: string): Promise<ModelFile> {
  const json = await readJsonFile(path);
  try {
    if (typeof json === 'object' && json !== null && ('format' in json || 'sigma' in json)) {
      const fit = fitFromJSON(checkFitJSON('model', json));
      return { model: toModel('model.model', fit.model), fit };
    }
    const m = json as { W?: unknown; b?: unknown };
    const W = m?.W;
    if (typeof W === 'object' && W !== null && !Array.isArray(W) && 'data' in W) {
      const w = W as { data: unknown; rows: unknown; cols: unknown };
      const data = Array.isArray(w.data) ? Float64Array.from(w.data as number[]) : w.data;
      return { model: toModel('model', { W: { ...w, data } as MatrixLike, b: m.b }) };
    }
    return { model: toModel('model', json) };
  } catch (err) {
    throw new Error(`${path}: ${(err as Error).message}`);
  }
}
