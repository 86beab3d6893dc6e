// What is measured: the end-to-end cases of issues 2 and 3 and the kernels-only section,
// with the numpy peer of each and how the peer's stages line up with ours.
import type { Method } from '../src/types.js';
import { type BenchArgs, type CaseId, HIGH_D_IDS } from './args.js';

/** A row of a fit table: a key of diagnostics.timings and the peer stages it compares with. */
export interface StageRow {
  key: string;
  label: string;
  peer: string[];
}

/** What every timed case has besides its own fields. */
interface Timed {
  /** Timed repetitions without --repeat (after one warm-up on n/10 rows). */
  repeat: number;
  /** d >= 128: one run, no TypeScript twins, only the largest worker count unless --workers. */
  highD: boolean;
}

export interface FitCase extends Timed {
  kind: 'fit';
  id: CaseId;
  title: string;
  n: number;
  d: number;
  method: Method;
  rows: StageRow[];
  peer: string;
  /** Flags of the peer beyond --n --d --seed --repeat. */
  peerArgs: string[];
  /** Why the peer is not run in this case (it takes too long), if it is not. */
  peerSkip?: string;
  /** Another method timed on the same data, compared on the total (issue 3: 'mle' vs 'paper'). */
  alt?: Method;
}

export interface SampleCase extends Timed {
  kind: 'sample';
  id: CaseId;
  title: string;
  n: number;
  d: number;
  peer: string;
  /** Flags of the peer beyond --n --d --seed --repeat. */
  peerArgs: string[];
  /** The peer's stages, shown as rows of their own (ours is one call). */
  peerStages: string[];
}

export interface KernelCase extends Timed {
  kind: 'kernels';
  id: CaseId;
  title: string;
  n: number;
  d: number;
}

/** The statistics kernel alone at high d, beside the X^T X floor on the same rows. */
export interface MomentsCase extends Timed {
  kind: 'moments';
  id: CaseId;
  title: string;
  n: number;
  d: number;
}

export interface InstantiationCase {
  kind: 'instantiation';
  id: CaseId;
  title: string;
}

export type Case = FitCase | SampleCase | KernelCase | MomentsCase | InstantiationCase;

/** Repetitions of a timed case: --repeat, else the case's own. */
export const repeatsOf = (c: Timed, a: BenchArgs): number => a.repeat ?? c.repeat;

/** Worker counts of a case: --workers, or for a high-d case without it only the largest (the headline). */
export function workersOf(c: Timed, a: BenchArgs): number[] {
  if (!c.highD || a.workersGiven || a.workers.length === 0) return a.workers;
  return [Math.max(...a.workers)];
}

/** Peers are run with this --seed; they draw their own model and data with numpy's RNG. */
export const PEER_SEED = 1;

/** 500000 -> '5e5', 1000000 -> '1e6', 123 -> '123'. */
export function sci(n: number): string {
  const e = Math.floor(Math.log10(n));
  const m = n / 10 ** e;
  return e >= 3 && Number.isInteger(m) ? `${m}e${e}` : String(n);
}

const PAPER_ROWS: StageRow[] = [
  { key: 'stats', label: 'stats (pass 1: coordinate sums)', peer: ['stats'] },
  { key: 'step1', label: 'step1 (pass 2: projected SGD)', peer: ['step1'] },
  { key: 'step2', label: 'step2 (pass 3: orthant counts) [numpy: counts+sigma]', peer: ['counts', 'sigma'] },
  { key: 'psd', label: 'psd (eigendecomposition)', peer: ['psd'] },
];

const MLE_ROWS: StageRow[] = [
  { key: 'statistics', label: 'statistics (one pass) [numpy: stats+pairs]', peer: ['stats', 'pairs'] },
  { key: 'step1', label: 'step1 (censored MLE) [numpy: tobit]', peer: ['tobit'] },
  { key: 'step2', label: 'step2 (pairwise likelihood) [numpy: rho]', peer: ['rho'] },
  { key: 'psd', label: 'psd (eigendecomposition)', peer: ['psd'] },
];

/**
 * Past d = 100 the peers skip their untimed warm-up run (a whole second pipeline, tens of
 * seconds there, for first-call effects of milliseconds), as our side times one run.
 */
const highDPeer = (d: number): string[] => (d > 100 ? ['--warmup', '0'] : []);

export function allCases(quick: boolean): Case[] {
  const N = (n: number) => (quick ? n / 10 : n);
  const size = (n: number, d: number) => `n = ${sci(N(n))}, d = ${d}`;
  const timed = (id: string): Timed => {
    const highD = (HIGH_D_IDS as readonly string[]).includes(id);
    return { repeat: highD ? 1 : 3, highD };
  };
  const fitCase = (method: Method, n: number, d: number): FitCase => ({
    kind: 'fit',
    id: `fit-${method}-d${d}` as CaseId,
    title: `fit, method '${method}'${method === 'mle' ? ' (default)' : ''}, ${size(n, d)}`,
    n: N(n),
    d,
    method,
    rows: method === 'paper' ? PAPER_ROWS : MLE_ROWS,
    peer: method === 'paper' ? 'paper_numpy.py' : 'mle_numpy.py',
    peerArgs: highDPeer(d),
    ...timed(`fit-${method}-d${d}`),
  });
  const sampleCase = (n: number, d: number): SampleCase => ({
    kind: 'sample',
    id: `sample-d${d}` as CaseId,
    title: `sample, ${size(n, d)}, k = ${d}`,
    n: N(n),
    d,
    peer: 'sample_numpy.py',
    // past d = 100 the peer's full check (a censored-MLE fit of its samples, untimed) takes longer than its sampling
    peerArgs: d > 100 ? [...highDPeer(d), '--check', 'marginals'] : [],
    peerStages: ['normals', 'affine', 'relu'],
    ...timed(`sample-d${d}`),
  });
  const momentsCase = (n: number, d: number): MomentsCase => ({
    kind: 'moments',
    id: `kernels-d${d}` as CaseId,
    title: `statistics kernel alone against the X^T X floor, ${size(n, d)}`,
    n: N(n),
    d,
    ...timed(`kernels-d${d}`),
  });
  return [
    { kind: 'instantiation', id: 'instantiation', title: 'WebAssembly instantiation (compile + instantiate of the inlined module)' },
    fitCase('paper', 2e5, 5),
    fitCase('mle', 2e5, 5),
    fitCase('paper', 5e5, 25),
    fitCase('mle', 5e5, 25),
    fitCase('paper', 1e6, 100),
    fitCase('mle', 1e6, 100),
    { kind: 'kernels', id: 'kernels', title: `Wasm kernels alone, ${size(1e6, 100)}`, n: N(1e6), d: 100, ...timed('kernels') },
    sampleCase(1e6, 100),
    fitCase('mle', 1e6, 128),
    sampleCase(1e6, 128),
    fitCase('mle', 1e6, 256),
    momentsCase(1e6, 256),
    sampleCase(1e6, 256),
    fitCase('mle', 1e5, 1024),
    fitCase('paper', 1e5, 1024),
    momentsCase(1e5, 1024),
    sampleCase(1e5, 1024),
    {
      ...fitCase('mle', 25_000, 4096),
      peerSkip:
        'not run at d = 4096 (too long for a benchmark case: measured once, python3 bench/peers/mle_numpy.py --n 25000 --d 4096 --seed 1 ' +
        '--repeat 1 --warmup 0 took 335 s of stages (pairs 77 s, rho 223 s, psd 35 s) and 9.9 min of process wall with its data, 3.0 GB at most; ' +
        'run it by hand to compare)',
    },
    sampleCase(25_000, 4096),
  ];
}
