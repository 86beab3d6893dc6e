import { describe, expect, it } from 'vitest';
import { fitSync, randomModel, sample } from '../src/index.js';

describe('end to end', () => {
  it('samples a model and fits it back (d = 3, n = 2e4, seed 7)', () => {
    const truth = randomModel({ d: 3, seed: 7 });
    const x = sample(truth, 20_000, { seed: 7 });
    const est = fitSync(x);
    expect(est.d).toBe(3);
    expect(est.n).toBe(20_000);
    for (let i = 0; i < 3; i++) {
      expect(Math.abs(est.b[i] - truth.b[i])).toBeLessThan(0.2);
      expect(Math.abs(est.norms[i] - 1)).toBeLessThan(0.1);
    }
  });
});
