// Command-line flags of `npm run bench` (tsx bench/run.ts [flags]).

export const CASE_IDS = [
  'instantiation',
  'fit-paper-d5',
  'fit-mle-d5',
  'fit-paper-d25',
  'fit-mle-d25',
  'fit-paper-d100',
  'fit-mle-d100',
  'kernels',
  'sample-d100',
] as const;
export type CaseId = (typeof CASE_IDS)[number];

export interface BenchArgs {
  /** Divide every n by 10 (a smoke run of a few minutes). */
  quick: boolean;
  /** Cases to run, in the order of CASE_IDS. */
  only: CaseId[];
  /** Run the TypeScript twins (once per case: they are slow). */
  twins: boolean;
  /** Run the numpy peers of bench/peers/. */
  peers: boolean;
  /** BLAS threads of the numpy peers (OPENBLAS/OMP/MKL_NUM_THREADS); undefined: numpy's default. */
  peerThreads: number | undefined;
  /** Timed repetitions of the Wasm path and of each peer (medians are reported). */
  repeat: number;
  /** Where the JSON goes. */
  out: string;
  /** Worker counts to run the public fit / sampleAsync with (the engine's workers), besides the calling thread. */
  workers: number[];
  /** Run the worker cases on pools from startWorkers() kept across runs, not a pool per call. */
  keptPool: boolean;
}

export const USAGE = `usage: npm run bench -- [--quick] [--only <case>[,<case>...]] [--no-twins] [--no-peers]
                        [--peer-threads T] [--repeat R] [--out FILE]
  --quick      every n divided by 10
  --only       cases: ${CASE_IDS.join(', ')}
  --no-twins   skip the TypeScript twins (src/backend/js/; about 2 minutes at full size)
  --no-peers   skip the numpy peers (bench/peers/*.py)
  --peer-threads T  BLAS threads of the numpy peers (default: numpy's own, all cores;
               1 compares with the single-threaded Wasm and resists a busy machine)
  --repeat R   timed repetitions of Wasm and peers, median reported (default 3)
  --out FILE   JSON results (default bench/results/latest.json)
  --workers W[,W...]  also run fit(x, { workers: W }) and sampleAsync(..., { workers: W })
               for each W (default 1,2; 0 or none: skip)
  --kept-pool  run those on pools from startWorkers(), kept across the runs (default: a pool
               started and ended by each call)`;

export function parseArgs(argv: readonly string[]): BenchArgs {
  const a: BenchArgs = {
    quick: false,
    only: [...CASE_IDS],
    twins: true,
    peers: true,
    peerThreads: undefined,
    repeat: 3,
    out: 'bench/results/latest.json',
    workers: [1, 2],
    keptPool: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new RangeError(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    if (flag === '--quick') a.quick = true;
    else if (flag === '--no-twins') a.twins = false;
    else if (flag === '--no-peers') a.peers = false;
    else if (flag === '--only') {
      const ids = value()
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
      for (const id of ids) {
        if (!(CASE_IDS as readonly string[]).includes(id)) throw new RangeError(`unknown case '${id}'\n${USAGE}`);
      }
      a.only = CASE_IDS.filter((id) => ids.includes(id));
    } else if (flag === '--repeat') {
      a.repeat = Number(value());
      if (!Number.isInteger(a.repeat) || a.repeat < 1) throw new RangeError(`--repeat must be an integer >= 1\n${USAGE}`);
    } else if (flag === '--peer-threads') {
      a.peerThreads = Number(value());
      if (!Number.isInteger(a.peerThreads) || a.peerThreads < 1) throw new RangeError(`--peer-threads must be an integer >= 1\n${USAGE}`);
    } else if (flag === '--workers') {
      const v = value();
      a.workers = v === 'none' || v === '0' ? [] : v.split(',').map(Number);
      if (!a.workers.every((w) => Number.isInteger(w) && w >= 1 && w <= 64)) throw new RangeError(`--workers takes integers 1..64 or none\n${USAGE}`);
    } else if (flag === '--kept-pool') a.keptPool = true;
    else if (flag === '--out') a.out = value();
    else if (flag === '--help' || flag === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new RangeError(`unknown flag '${flag}'\n${USAGE}`);
  }
  return a;
}
