// The numpy peers of bench/peers/ (one JSON line each; see their docstrings), run as child
// processes, one timed repetition per process so that our runs and theirs can alternate.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const PEER_DIR = fileURLToPath(new URL('./peers/', import.meta.url));

/** The line a peer prints (fields we read; the rest is kept as is in the JSON results). */
export interface PeerReport {
  peer: string;
  n: number;
  d: number;
  stages_ms: Record<string, number>;
  total_ms: number;
  err_b?: number;
  err_sigma?: number;
  numpy?: string;
  scipy?: string;
  blas?: { num_threads?: number; corename?: string; name?: string; version?: string };
  [key: string]: unknown;
}

export type PeerRun = { ok: true; report: PeerReport; wallMs: number } | { ok: false; reason: string };

let python: { ok: boolean; reason: string } | undefined;

/** Whether python3 with numpy and scipy is there (checked once). */
export function pythonStatus(): { ok: boolean; reason: string } {
  if (python === undefined) {
    const r = spawnSync('python3', ['-c', 'import sys, numpy, scipy; print(sys.version.split()[0], numpy.__version__, scipy.__version__)'], {
      encoding: 'utf8',
    });
    if (r.error !== undefined) python = { ok: false, reason: `python3 not found (${r.error.message})` };
    else if (r.status !== 0) python = { ok: false, reason: `python3 lacks numpy or scipy: ${lastLine(r.stderr)}` };
    else {
      const [py, np, sp] = r.stdout.trim().split(' ');
      python = { ok: true, reason: `Python ${py}, numpy ${np}, scipy ${sp}` };
    }
  }
  return python;
}

/** Why a peer cannot run, or undefined when it can. */
export function peerUnavailable(script: string): string | undefined {
  const py = pythonStatus();
  if (!py.ok) return py.reason;
  if (!existsSync(PEER_DIR + script)) return `bench/peers/${script} does not exist`;
  return undefined;
}

function threadEnv(threads: number): Record<string, string> {
  const t = String(threads);
  return { OPENBLAS_NUM_THREADS: t, OMP_NUM_THREADS: t, MKL_NUM_THREADS: t };
}

function lastLine(s: string): string {
  const lines = s.trim().split('\n');
  return lines[lines.length - 1] ?? '';
}

/**
 * One process: python3 bench/peers/<script> --n N --d D --seed S --repeat 1 [extra], with its
 * BLAS limited to `threads` threads when given.
 */
export function runPeer(script: string, n: number, d: number, seed: number, threads?: number, extra: readonly string[] = []): PeerRun {
  const why = peerUnavailable(script);
  if (why !== undefined) return { ok: false, reason: why };
  const t0 = performance.now();
  const r = spawnSync('python3', [PEER_DIR + script, '--n', String(n), '--d', String(d), '--seed', String(seed), '--repeat', '1', ...extra], {
    encoding: 'utf8',
    cwd: PEER_DIR,
    env: threads === undefined ? process.env : { ...process.env, ...threadEnv(threads) },
    maxBuffer: 64 << 20,
  });
  const wallMs = performance.now() - t0;
  if (r.error !== undefined) return { ok: false, reason: `${script}: ${r.error.message}` };
  if (r.status !== 0) return { ok: false, reason: `${script} exited with ${r.status}: ${lastLine(r.stderr)}` };
  try {
    const report = JSON.parse(lastLine(r.stdout)) as PeerReport;
    if (typeof report.total_ms !== 'number' || typeof report.stages_ms !== 'object') throw new Error('no total_ms / stages_ms');
    return { ok: true, report, wallMs };
  } catch (err) {
    return { ok: false, reason: `${script} printed no report line (${(err as Error).message}): ${lastLine(r.stdout)}` };
  }
}

/** The peer's runs of one case, interleaved with ours: after the first failure it stops trying. */
export class PeerRuns {
  readonly reports: PeerReport[] = [];
  readonly wallMs: number[] = [];
  skip: string | undefined;

  /** The command line, for notes. */
  get command(): string {
    return `python3 bench/peers/${this.script} --n ${this.n} --d ${this.d} --seed ${this.seed} --repeat 1${this.extra.map((e) => ` ${e}`).join('')}`;
  }

  constructor(
    private readonly script: string,
    private readonly n: number,
    private readonly d: number,
    private readonly seed: number,
    private readonly threads: number | undefined,
    enabled: boolean,
    private readonly extra: readonly string[] = [],
  ) {
    this.skip = enabled ? peerUnavailable(script) : 'not run (--no-peers)';
  }

  /** One more run, unless the peer is skipped. */
  runOnce(): void {
    if (this.skip !== undefined) return;
    const p = runPeer(this.script, this.n, this.d, this.seed, this.threads, this.extra);
    if (p.ok) {
      this.reports.push(p.report);
      this.wallMs.push(p.wallMs);
    } else this.skip = p.reason;
  }
}
