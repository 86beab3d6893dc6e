// A one-line progress bar (points done, runs done, elapsed, ETA) for a terminal, redrawn in
// place with a carriage return. Writes nothing unless the sink is a TTY, so logs and pipes
// stay quiet. No Node imports: the sink is anything with write() (process.stderr in the CLI).
import type { Figure1Progress } from './figure1.js';
import { duration } from './format.js';

export interface ProgressSink {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressBar {
  update(p: Figure1Progress): void;
  /** Ends the line (call once, also after a failure). */
  done(): void;
}

/** The bar's text for a width of `columns` characters. */
export function progressLine(p: Figure1Progress, columns = 80): string {
  const text =
    ` ${p.pointsDone}/${p.pointsTotal} points  ${p.runsDone}/${p.runsTotal} runs` +
    `  elapsed ${duration(p.elapsedMs)}  ETA ${p.runsDone === p.runsTotal ? '0:00' : duration(p.etaMs)}`;
  const barWidth = Math.max(10, Math.min(40, columns - text.length - 3));
  const fill = Math.round((barWidth * p.runsDone) / Math.max(1, p.runsTotal));
  return `[${'#'.repeat(fill)}${'-'.repeat(barWidth - fill)}]${text}`;
}

export function progressBar(sink: ProgressSink): ProgressBar {
  if (!sink.isTTY) return { update() {}, done() {} };
  let drawn = false;
  return {
    update(p) {
      // \r to the line start, \x1b[K to clear what a longer previous line left.
      sink.write(`\r${progressLine(p, sink.columns || 80)}\x1b[K`);
      drawn = true;
    },
    done() {
      if (drawn) sink.write('\n');
      drawn = false;
    },
  };
}
