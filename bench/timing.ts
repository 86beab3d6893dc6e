// Clocks and medians. Wall time from performance.now(); medians of repeated runs.

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 === 1 ? s[h] : 0.5 * (s[h - 1] + s[h]);
}

/** Runs fn once and returns its result and its wall time in ms. */
export function timed<T>(fn: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t0 };
}

/** Median of each key over runs (keys missing from a run are skipped for that run). */
export function medians(runs: readonly Record<string, number>[]): Record<string, number> {
  const keys = new Set(runs.flatMap((r) => Object.keys(r)));
  const out: Record<string, number> = {};
  for (const k of keys) out[k] = median(runs.flatMap((r) => (k in r ? [r[k]] : [])));
  return out;
}
