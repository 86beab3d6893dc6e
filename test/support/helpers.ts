// Small comparison helpers shared by the kernel tests.
import { expect } from 'vitest';

/** Index and values of the first element whose bits differ (so -0 vs 0 and NaNs count), or null. */
export function firstBitDifference(a: ArrayLike<number>, b: ArrayLike<number>): { i: number; a: number; b: number } | null {
  if (a.length !== b.length) return { i: -1, a: a.length, b: b.length };
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return { i, a: a[i], b: b[i] };
  return null;
}

/** Largest |a_i - b_i| (the lengths must agree). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
