// What is measured: the end-to-end cases of issues 2 and 3 and the kernels-only section,
// with the numpy peer of each and how the peer's stages line up with ours.
import type { Method } from '../src/types.js';
import type { CaseId } from './args.js';

/** A row of a fit table: a key of diagnostics.timings and the peer stages it compares with. */
export interface StageRow {
  key: string;
  label: string;
  peer: string[];
}

export interface FitCase {
  kind: 'fit';
  id: CaseId;
  title: string;
  n: number;
  d: number;
  method: Method;
  rows: StageRow[];
  peer: string;
  /** Another method timed on the same data, compared on the total (issue 3: 'mle' vs 'paper'). */
  alt?: Method;
}

export interface SampleCase {
  kind: 'sample';
  id: CaseId;
  title: string;
  n: number;
  d: number;
  peer: string;
  /** The peer's stages, shown as rows of their own (ours is one call). */
  peerStages: string[];
}

export interface KernelCase {
  kind: 'kernels';
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

export type Case = FitCase | SampleCase | KernelCase | InstantiationCase;

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

export function allCases(quick: boolean): Case[] {
  const N = (n: number) => (quick ? n / 10 : n);
  const size = (n: number, d: number) => `n = ${sci(N(n))}, d = ${d}`;
  const fitCase = (method: Method, n: number, d: number): FitCase => ({
    kind: 'fit',
    id: `fit-${method}-d${d}` as CaseId,
    title: `fit, method '${method}'${method === 'mle' ? ' (default)' : ''}, ${size(n, d)}`,
    n: N(n),
    d,
    method,
    rows: method === 'paper' ? PAPER_ROWS : MLE_ROWS,
    peer: method === 'paper' ? 'paper_numpy.py' : 'mle_numpy.py',
  });
  return [
    { kind: 'instantiation', id: 'instantiation', title: 'WebAssembly instantiation (compile + instantiate of the inlined module)' },
    fitCase('paper', 2e5, 5),
    fitCase('mle', 2e5, 5),
    fitCase('paper', 5e5, 25),
    fitCase('mle', 5e5, 25),
    fitCase('paper', 1e6, 100),
    fitCase('mle', 1e6, 100),
    { kind: 'kernels', id: 'kernels', title: `Wasm kernels alone, ${size(1e6, 100)}`, n: N(1e6), d: 100 },
    {
      kind: 'sample',
      id: 'sample-d100',
      title: `sample, ${size(1e6, 100)}, k = 100`,
      n: N(1e6),
      d: 100,
      peer: 'sample_numpy.py',
      peerStages: ['normals', 'affine', 'relu'],
    },
  ];
}
