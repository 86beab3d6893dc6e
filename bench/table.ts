// Tables: pre-formatted cells laid out as Markdown (readable in a terminal and pastable
// into bench/README.md), and the number formats they use.

export interface Table {
  headers: string[];
  rows: string[][];
}

/** Milliseconds: 3 significant digits, no exponent; '—' when absent. */
export function ms(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '—';
  if (v >= 100) return v.toFixed(0);
  if (v >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

/** A column header for R timed runs: 'Wasm ms (1 run)', 'Wasm ms (median of 3)'. */
export const ofRuns = (label: string, runs: number): string => (runs === 1 ? `${label} (1 run)` : `${label} (median of ${runs})`);

/** A ratio a / b as '12.3x'; '—' when either is absent. */
export function ratio(a: number | undefined, b: number | undefined): string {
  if (a === undefined || b === undefined || !(b > 0) || !Number.isFinite(a)) return '—';
  const r = a / b;
  if (r >= 100) return `${r.toFixed(0)}x`;
  if (r >= 10) return `${r.toFixed(1)}x`;
  return `${r.toFixed(2)}x`;
}

/** Errors such as err_b: 2 significant digits. */
export function small(v: number | undefined): string {
  return v === undefined || !Number.isFinite(v) ? '—' : v.toExponential(1);
}

/** Text columns left-aligned, numbers right-aligned. */
export function markdown(t: Table): string {
  const width = t.headers.map((h, c) => Math.max(h.length, ...t.rows.map((r) => (r[c] ?? '').length)));
  const numeric = t.headers.map((_, c) => c > 0 && t.rows.every((r) => /^[-—0-9.,x e+]*$/.test(r[c] ?? '')));
  const cell = (s: string, c: number) => (numeric[c] ? s.padStart(width[c]) : s.padEnd(width[c]));
  const line = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;
  const rule = `|${width.map((w, c) => (numeric[c] ? '-'.repeat(w + 1) + ':' : '-'.repeat(w + 2))).join('|')}|`;
  return [line(t.headers), rule, ...t.rows.map(line)].join('\n');
}
