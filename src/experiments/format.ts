// Number and duration formats shared by the summary table and the progress bar.

/** A value to `digits` significant digits, without exponent notation for table-sized numbers. */
export function sig(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(Math.abs(v))));
  return v.toFixed(Math.min(decimals, 20));
}

/** "mean ± sd", the mean to 3 significant digits and the sd to the same last decimal place. */
export function formatMeanSd(mean: number, sd: number): string {
  const m = sig(mean, 3);
  const decimals = m.includes('.') ? m.length - m.indexOf('.') - 1 : 0;
  return `${m} ± ${sd.toFixed(decimals)}`;
}

/** Milliseconds as h:mm:ss or m:ss. */
export function duration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '--:--';
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}
