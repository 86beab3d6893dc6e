/// <reference types="node" />
// The progress line of fit and sample on stderr: what is done (rows, and bytes when the
// source knows them), the rate, and the ETA. Drawn in place with a carriage return, at most
// ten times a second, and only when stderr is a terminal, so logs and pipes stay quiet.
import { duration } from '../experiments/format.js';

export interface ProgressSink {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** One reading of the work done. */
export interface ProgressState {
  /** What runs, e.g. 'fit data.f64' or 'sample'. */
  label: string;
  /** Pass under way and passes in all (1 and 1 for one pass). */
  pass: number;
  passes: number;
  /** Rows done in this pass, and in a pass, when known. */
  rows: number;
  totalRows?: number | undefined;
  /** Bytes done in this pass, and in a pass, when known. */
  bytes?: number | undefined;
  totalBytes?: number | undefined;
}

/** 1234567 -> '1.23M', 512 -> '512'. */
export function count(v: number): string {
  for (const [unit, size] of [
    ['G', 1e9],
    ['M', 1e6],
    ['k', 1e3],
  ] as const)
    if (v >= size) return `${(v / size).toPrecision(3)}${unit}`;
  return String(Math.round(v));
}

/** Bytes in binary units: 6442450944 -> '6.00 GiB'. */
export function byteSize(v: number): string {
  for (const [unit, size] of [
    ['GiB', 2 ** 30],
    ['MiB', 2 ** 20],
    ['KiB', 2 ** 10],
  ] as const)
    if (v >= size) return `${(v / size).toFixed(2)} ${unit}`;
  return `${v} B`;
}

/** Rows (and bytes) per second. */
export interface Rate {
  rows: number;
  bytes?: number | undefined;
}

/**
 * The line for a state after elapsedMs: the fraction done (for the ETA) counts finished
 * passes; the rate is measured by the caller (progressLine: within the current pass).
 */
export function progressText(s: ProgressState, elapsedMs: number, rate?: Rate): string {
  const inPass = s.totalBytes && s.bytes !== undefined ? s.bytes / s.totalBytes : s.totalRows ? s.rows / s.totalRows : undefined;
  const fraction = inPass === undefined ? undefined : (s.pass - 1 + Math.min(1, inPass)) / s.passes;
  const parts = [s.label];
  if (s.passes > 1) parts.push(`pass ${s.pass}/${s.passes}`);
  parts.push(`${count(s.rows)}${s.totalRows !== undefined ? `/${count(s.totalRows)}` : ''} rows`);
  if (s.bytes !== undefined) parts.push(`${byteSize(s.bytes)}${s.totalBytes !== undefined ? `/${byteSize(s.totalBytes)}` : ''}`);
  if (rate) {
    parts.push(`${count(rate.rows)} rows/s`);
    if (rate.bytes !== undefined) parts.push(`${byteSize(rate.bytes)}/s`);
  }
  if (fraction !== undefined && fraction > 0) parts.push(`ETA ${duration((elapsedMs * (1 - fraction)) / fraction)}`);
  return parts.join('  ');
}

export interface ProgressLine {
  update(s: ProgressState): void;
  /** Ends the line (call once, also after a failure). */
  done(): void;
}

export function progressLine(sink: ProgressSink, now: () => number = () => performance.now()): ProgressLine {
  if (!sink.isTTY) return { update() {}, done() {} };
  const start = now();
  // The rate counts from the first report of a pass: rows and bytes then, and the time.
  let base = { pass: 0, t: start, rows: 0, bytes: 0 };
  let last = -Infinity;
  let drawn = false;
  return {
    update(s) {
      const t = now();
      if (s.pass !== base.pass) base = { pass: s.pass, t: s.pass === 1 ? start : t, rows: s.pass === 1 ? 0 : s.rows, bytes: s.pass === 1 ? 0 : (s.bytes ?? 0) };
      if (t - last < 100) return;
      last = t;
      const sec = (t - base.t) / 1000;
      const rate = sec > 0 ? { rows: (s.rows - base.rows) / sec, bytes: s.bytes === undefined ? undefined : (s.bytes - base.bytes) / sec } : undefined;
      sink.write(`\r${progressText(s, t - start, rate)}\x1b[K`);
      drawn = true;
    },
    done() {
      if (drawn) sink.write('\n');
      drawn = false;
    },
  };
}
