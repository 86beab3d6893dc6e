// The one table a reader wants first: every case, ours against its numpy peer and against
// the one-pass floor, built from the sections' details after the run.
import type { Section } from './section.js';
import { ms, ratio, type Table } from './table.js';

// biome-ignore lint/suspicious/noExplicitAny: the benchmark's JSON records, read field by field
type Details = Record<string, any>;

export function summaryTable(sections: readonly Section[], workers: readonly number[]): Table {
  const wMax = workers.length > 0 ? Math.max(...workers) : undefined;
  const headers = ['case', 'ours ms (1 thread)'];
  if (wMax !== undefined) headers.push(`ours ms (${wMax} workers)`);
  headers.push('numpy ms', 'numpy / ours (1 thread)');
  if (wMax !== undefined) headers.push(`numpy / ours (${wMax} workers)`);
  headers.push('ours / floor (1 thread)');
  const rows: string[][] = [];
  for (const s of sections) {
    const d = s.details as Details;
    if (s.id.startsWith('fit-') || s.id.startsWith('sample-')) {
      const one: number = s.id.startsWith('fit-') ? d.wasm.median.total : d.wasm.medianMs;
      const many: number | undefined = wMax !== undefined ? d.workers?.[wMax]?.medianMs : undefined;
      const peer: number | undefined = d.peer?.totalMs;
      const cells = [s.title, ms(one)];
      if (wMax !== undefined) cells.push(ms(many));
      cells.push(ms(peer), ratio(peer, one));
      if (wMax !== undefined) cells.push(ratio(peer, many));
      cells.push(ratio(one, d.floor?.medianMs));
      rows.push(cells);
    } else if (s.id === 'kernels') {
      const floor = d.kernels[0].medianMs as number;
      for (const k of d.kernels.slice(1) as { name: string; medianMs: number }[]) {
        const cells = [`kernel alone: ${k.name}`, ms(k.medianMs)];
        if (wMax !== undefined) cells.push('—');
        cells.push('—', '—');
        if (wMax !== undefined) cells.push('—');
        cells.push(ratio(k.medianMs, floor));
        rows.push(cells);
      }
    }
  }
  return { headers, rows };
}
