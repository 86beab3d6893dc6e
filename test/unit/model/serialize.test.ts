// The fit's JSON form: tagged with format and version, exact round trip, and checked on read
// (it is also the model file of the command line).
import { describe, expect, it } from 'vitest';
import { fitFromJSON, fitSync, fitToJSON, randomModel, sample } from '../../../src/index.js';
import { checkFitJSON } from '../../../src/model/json.js';

const fit = fitSync(sample(randomModel({ d: 3, seed: 2 }), 2000, { seed: 4 }));

describe('fit JSON', () => {
  it('is tagged and round-trips every double through JSON text', () => {
    const j = fitToJSON(fit);
    expect([j.format, j.version]).toEqual(['relu-density/fit', 1]);
    const back = fitFromJSON(JSON.parse(JSON.stringify(j)));
    expect(fitToJSON(back)).toEqual(j);
    expect(back.sigma).toBeInstanceOf(Float64Array);
  });

  it('reads JSON written before the tag existed', () => {
    const { format: _f, version: _v, ...untagged } = fitToJSON(fit);
    expect(fitFromJSON(untagged).b).toEqual(fit.b);
  });

  it('refuses other formats, versions and shapes, naming the field', () => {
    const j = fitToJSON(fit);
    expect(() => checkFitJSON('m', { ...j, format: 'relu-density/statistics' })).toThrow(
      /m\.format must be 'relu-density\/fit', got "relu-density\/statistics"/,
    );
    expect(() => checkFitJSON('m', { ...j, version: 2 })).toThrow(RangeError);
    expect(() => checkFitJSON('m', { ...j, b: [1, 2] })).toThrow(/m\.b has length 2, expected 3/);
    expect(() => checkFitJSON('m', { ...j, sigma: [...j.sigma.slice(1), 'x'] })).toThrow(/m\.sigma\[8\] must be a finite number, got "x"/);
    expect(() => checkFitJSON('m', { ...j, model: { ...j.model, W: { ...j.model.W, rows: 4 } } })).toThrow(/m\.model\.W must be d x k with d = 3, got 4 x 3/);
    expect(() => checkFitJSON('m', { ...j, method: 'em' })).toThrow(/m\.method must be 'mle' or 'paper'/);
    expect(() => checkFitJSON('m', { ...j, diagnostics: {} })).toThrow(/m\.diagnostics\.positives must be an array/);
    expect(() => checkFitJSON('m', [])).toThrow(TypeError);
    expect(() => fitFromJSON({ ...j, d: 0 })).toThrow(/json\.d must be a positive integer, got 0/);
  });
});
