// What each part of the benchmark hands back: a table, notes under it, and the raw numbers.
import type { Table } from './table.js';

export interface Section {
  id: string;
  title: string;
  table: Table;
  notes: string[];
  /** Load averages (1, 5, 15 min) when the section started and ended: the machine is shared. */
  loadavg: { start: number[]; end: number[] };
  seconds: number;
  /** Every run, for the JSON results. */
  details: Record<string, unknown>;
}

/** Progress goes to stderr; stdout carries the tables. */
export function progress(msg: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}
