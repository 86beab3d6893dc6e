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
  // high d: the order lets cases of the same n and d share their data (sampling cases drop it)
  'fit-mle-d128',
  'sample-d128',
  'fit-mle-d256',
  'kernels-d256',
  'sample-d256',
  'fit-mle-d1024',
  'fit-paper-d1024',
  'kernels-d1024',
  'sample-d1024',
  'fit-mle-d4096',
  'sample-d4096',
] as const;
export type CaseId = (typeof CASE_IDS)[number];

/** The cases of `--only high-d`: d >= 128, one timed run each by default. */
export const HIGH_D_IDS: readonly CaseId[] = CASE_IDS.slice(CASE_IDS.indexOf('fit-mle-d128'));

/** Selectable with --only (alone or by `high-d`), but not part of a run without --only: each takes several minutes. */
export const NOT_DEFAULT_IDS: readonly CaseId[] = ['fit-mle-d4096', 'sample-d4096'];

/** Names --only takes besides case ids. */
export const CASE_GROUPS: Record<string, readonly CaseId[]> = { 'high-d': HIGH_D_IDS };

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
  /** Timed repetitions of the Wasm path and of each peer (medians are reported); without --repeat, each case's own default. */
  repeat: number | undefined;
  /** Where the JSON goes. */
  out: string;
  /** Worker counts to run the public fit / sampleAsync with (the engine's workers), besides the calling thread. */
  workers: number[];
  /** Whether --workers was given (without it, the high-d cases run only the largest count). */
  workersGiven: boolean;
  /** Run the worker cases on pools from startWorkers() kept across runs, not a pool per call. */
  keptPool: boolean;
}

export const USAGE = `usage: npm run bench -- [--quick] [--only <case>[,<case>...]] [--no-twins] [--no-peers]
                        [--peer-threads T] [--repeat R] [--out FILE]
  --quick      every n divided by 10
  --only       cases: ${CASE_IDS.join(', ')},
               or high-d (all of ${HIGH_D_IDS[0]} .. ${HIGH_D_IDS[HIGH_D_IDS.length - 1]}); default: all but ${NOT_DEFAULT_IDS.join(', ')}
  --no-twins   skip the TypeScript twins (src/backend/js/; about 2 minutes at full size)
  --no-peers   skip the numpy peers (bench/peers/*.py)
  --peer-threads T  BLAS threads of the numpy peers (default: numpy's own, all cores;
               1 compares with the single-threaded Wasm and resists a busy machine)
  --repeat R   timed repetitions of Wasm and peers, median reported (default 3; the high-d
               cases 1, after the warm-up on n/10 that every case has)
  --out FILE   JSON results (default bench/results/latest.json)
  --workers W[,W...]  also run fit(x, { workers: W }) and sampleAsync(..., { workers: W })
               for each W (default 1,2, the high-d cases only 2; 0 or none: skip)
  --kept-pool  run those on pools from startWorkers(), kept across the runs (default: a pool
               started and ended by each call)`;

export function parseArgs(argv: readonly string[]): BenchArgs {
  const a: BenchArgs = {
    quick: false,
    only: CASE_IDS.filter((id) => !NOT_DEFAULT_IDS.includes(id)),
    twins: true,
    peers: true,
    peerThreads: undefined,
    repeat: undefined,
    out: 'bench/results/latest.json',
    workers: [1, 2],
    workersGiven: false,
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
      const chosen = new Set<string>();
      for (const id of ids) {
        const group = CASE_GROUPS[id];
        if (group !== undefined) for (const g of group) chosen.add(g);
        else if ((CASE_IDS as readonly string[]).includes(id)) chosen.add(id);
        else throw new RangeError(`unknown case '${id}'\n${USAGE}`);
      }
      a.only = CASE_IDS.filter((id) => chosen.has(id));
    } else if (flag === '--repeat') {
      const r = Number(value());
      a.repeat = r;
      if (!Number.isInteger(r) || r < 1) throw new RangeError(`--repeat must be an integer >= 1\n${USAGE}`);
    } else if (flag === '--peer-threads') {
      a.peerThreads = Number(value());
      if (!Number.isInteger(a.peerThreads) || a.peerThreads < 1) throw new RangeError(`--peer-threads must be an integer >= 1\n${USAGE}`);
    } else if (flag === '--workers') {
      const v = value();
      a.workersGiven = true;
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
