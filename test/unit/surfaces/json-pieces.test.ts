// The command line writes results piece by piece (a d = 4096 model is more text than one
// string holds): the pieces must join to JSON.stringify(value, null, 2) exactly.
import { describe, expect, it } from 'vitest';
import { jsonPieces } from '../../../src/cli/json-pieces.js';
import { fitSync, fitToJSON, randomModel, sample } from '../../../src/index.js';
import { fitToJSONViews } from '../../../src/model/json.js';

const joined = (v: unknown) => [...jsonPieces(v)].join('');

describe('jsonPieces', () => {
  it('joins to the text of JSON.stringify(v, null, 2) for every kind of value a result holds', () => {
    const cases: unknown[] = [null, 1, -0, Number.NaN, -Infinity, 5e-324, 'a"b\n\u2028', true, [], {}, [[]], [{}], [1, undefined, () => 2, { d: null }]];
    cases.push({ a: undefined, b: () => 1, 'e"f': { g: [], h: {} }, i: [1.5, [2, [3]]] });
    for (const c of cases) expect(joined(c)).toBe(JSON.stringify(c, null, 2));
  });

  it('a fit JSON, text for text; a long array comes in several pieces', () => {
    const r = fitSync(sample(randomModel({ d: 6, seed: 1 }), 5000, { seed: 2 }));
    const f = fitToJSON(r);
    expect(joined(f)).toBe(JSON.stringify(f, null, 2));
    expect(joined(fitToJSONViews(r))).toBe(JSON.stringify(f, null, 2)); // typed arrays written as arrays, no copies
    expect(joined(Float64Array.of(1.5, -0, 3))).toBe(JSON.stringify([1.5, -0, 3], null, 2));
    const long = Array.from({ length: 200_000 }, (_, i) => i / 7);
    const pieces = [...jsonPieces({ long })];
    expect(pieces.length).toBeGreaterThan(2);
    expect(pieces.join('')).toBe(JSON.stringify({ long }, null, 2));
  });
});
