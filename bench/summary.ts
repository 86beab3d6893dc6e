// The one table a reader wants first: every case, ours against its numpy peer and against
// the floors, built from the sections' details after the run (or from a committed run's JSON,
// bench/report.ts). 'compute floor' is the bench's own register-tiled kernel of the case's main
// product (bench/wasm/floors.as): X^T X for the statistics kernel, Z W^T + b for sampling.
import { sci } from './cases.js';
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
  headers.push('ours / floor (1 thread)', 'ours / compute floor (1 thread)');
  const rows: string[][] = [];
  const row = (
    name: string,
    one: number | undefined,
    many: number | undefined,
    peer: number | undefined,
    floor: number | undefined,
    compute: number | undefined,
  ) => {
    const cells = [name, ms(one)];
    if (wMax !== undefined) cells.push(ms(many));
    cells.push(ms(peer), ratio(peer, one));
    if (wMax !== undefined) cells.push(ratio(peer, many));
    cells.push(ratio(one, floor), ratio(one, compute));
    rows.push(cells);
  };
  for (const s of sections) {
    const d = s.details as Details;
    if (s.id.startsWith('fit-') || s.id.startsWith('sample-')) {
      const one: number = s.id.startsWith('fit-') ? d.wasm.median.total : d.wasm.medianMs;
      const many: number | undefined = wMax !== undefined ? d.workers?.[wMax]?.medianMs : undefined;
      row(s.title, one, many, d.peer?.totalMs, d.floor?.medianMs, d.computeFloor?.medianMs);
    } else if (s.id === 'kernels') {
      const floor = d.kernels[0].medianMs as number;
      const at = (name: string): number | undefined => (d.kernels as { name: string; medianMs: number }[]).find((k) => k.name === name)?.medianMs;
      const compute: Record<string, string> = {
        'momentStats pass': 'X^T X floor',
        'momentStats pass + exact merge': 'X^T X floor',
        generation: 'product floor',
      };
      for (const k of d.kernels.slice(1) as { name: string; medianMs: number }[]) {
        if (k.name.endsWith(' floor')) continue;
        row(`kernel alone: ${k.name}`, k.medianMs, undefined, undefined, floor, compute[k.name] === undefined ? undefined : at(compute[k.name]));
      }
    } else if (s.id.startsWith('kernels-d')) {
      row(
        `kernel alone: momentStats pass, n = ${sci(d.n)}, d = ${d.d}`,
        d.statistics.medianMs,
        undefined,
        undefined,
        d.floor.medianMs,
        d.computeFloor.medianMs,
      );
    }
  }
  // a run without compute floors (older JSON, or no case that has one) keeps the older table
  if (rows.every((r) => r[r.length - 1] === '—')) return { headers: headers.slice(0, -1), rows: rows.map((r) => r.slice(0, -1)) };
  return { headers, rows };
}

/** The compute floors of a run: how fast the bar itself was (GFLOP/s, one thread). */
export function floorsTable(sections: readonly Section[]): Table {
  const rows: string[][] = [];
  for (const s of sections) {
    const d = s.details as Details;
    const floors = (d.computeFloors ?? (d.computeFloor === undefined ? [] : [d.computeFloor])) as { what: string; medianMs: number; gflops: number }[];
    for (const f of floors) {
      const what = f.what === 'xtx' ? 'X^T X (upper triangle)' : `max(Z W^T + b, 0), k = ${d.k ?? d.d}`;
      rows.push([what, String(d.d), String(d.n), ms(f.medianMs), f.gflops.toFixed(1), s.id]);
    }
  }
  return { headers: ['compute floor (bench/wasm/floors.as)', 'd', 'n', 'ms', 'GFLOP/s', 'case'], rows };
}
