// The memory layout the kernels expect of their buffers, read from the module's own exported
// i32 globals (assembly/index.ts) rather than restated here, so that a kernel whose layout
// changes takes the host with it. adapter.ts is the only reader.

/** The exported layout globals, by name (each an immutable i32). */
const NAMES = [
  'RNG_STATE_BYTES',
  'SGD_MU0',
  'SGD_S0',
  'SGD_THRES',
  'SGD_V1',
  'SGD_V2',
  'SGD_SUM_V1',
  'SGD_SUM_V2',
  'SGD_BATCHES',
  'SGD_COUNT',
  'SGD_SUM_X',
  'SGD_SUM_X2',
  'SGD_FIELDS',
  'COORD_COUNT',
  'COORD_SUM',
  'COORD_SUM_SQ',
  'COORD_FIELDS',
  'BITSET_ROWS',
  'MOMENT_MATRICES',
  'MOMENT_KEEP_PER_D',
  'MOMENT_KEEP_FIXED',
  'MOMENT_TILE_ROWS',
  'MOMENT_GROUP_ROWS',
  'SAMPLE_PANEL_COLS',
  'SAMPLE_TILE_ROWS',
  'SAMPLE_BLOCK_ROWS',
  'SAMPLE_Z_SPARE_ROWS',
  'CHOLESKY_PANEL_ROWS',
  'EIGEN_SCRATCH_PER_D',
] as const;

/** The layout globals as the loader hands them over. */
export type AbiGlobals = { readonly [K in (typeof NAMES)[number]]: WebAssembly.Global };

/** Field indices: field f of coordinate i is double f * d + i of its state or output. */
export interface Fields<K extends string> {
  /** Arrays of d doubles in the layout. */
  readonly fields: number;
  readonly at: Readonly<Record<K, number>>;
}

export interface Abi {
  /** Bytes of one generator state (xoroshiro128+: s0 then s1, little-endian u64s). */
  readonly rngStateBytes: number;
  /** sgdChunk's state: these fields, then d generator states (sgdStateBytes). */
  readonly sgd: Fields<'mu0' | 's0' | 'thres' | 'v1' | 'v2' | 'sumV1' | 'sumV2' | 'batches' | 'count' | 'sumX' | 'sumX2'>;
  /** coordStats' output. */
  readonly coord: Fields<'count' | 'sum' | 'sumSq'>;
  /** Rows per word of the bitsets that pairCounts and momentStats take as scratch. */
  readonly bitsetRows: number;
  /** momentStats: d x d output matrices, doubles of its keep scratch per column and besides, rows per tile and per group. */
  readonly moment: {
    readonly matrices: number;
    readonly keepPerD: number;
    readonly keepFixed: number;
    readonly tileRows: number;
    readonly groupRows: number;
  };
  /**
   * sampleRows: W^T packed in panels of panelCols columns (k x panelCols each, the last
   * zero-padded); blocks of at most blockRows rows, a multiple of tileRows, each reading W^T
   * once; z scratch of (block rows + zSpareRows) x k doubles.
   */
  readonly sample: { readonly panelCols: number; readonly tileRows: number; readonly blockRows: number; readonly zSpareRows: number };
  /** cholesky's pack scratch holds choleskyPanelRows x (d + 4) doubles; symmetricEigen's scratch eigenScratchPerD x d. */
  readonly linalg: { readonly choleskyPanelRows: number; readonly eigenScratchPerD: number };
}

/** The layout of a module; throws when it lacks one of the globals (a build older than this code). */
export function readAbi(ex: AbiGlobals): Abi {
  const v = {} as Record<(typeof NAMES)[number], number>;
  for (const name of NAMES) {
    const g: unknown = (ex as Partial<AbiGlobals>)[name];
    const value: unknown = typeof g === 'object' && g !== null ? (g as { value?: unknown }).value : undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      throw new Error(`relu-density: the kernels' WebAssembly exports no i32 global ${name}; rebuild it (npm run build)`);
    }
    v[name] = value;
  }
  return {
    rngStateBytes: v.RNG_STATE_BYTES,
    sgd: {
      fields: v.SGD_FIELDS,
      at: {
        mu0: v.SGD_MU0,
        s0: v.SGD_S0,
        thres: v.SGD_THRES,
        v1: v.SGD_V1,
        v2: v.SGD_V2,
        sumV1: v.SGD_SUM_V1,
        sumV2: v.SGD_SUM_V2,
        batches: v.SGD_BATCHES,
        count: v.SGD_COUNT,
        sumX: v.SGD_SUM_X,
        sumX2: v.SGD_SUM_X2,
      },
    },
    coord: { fields: v.COORD_FIELDS, at: { count: v.COORD_COUNT, sum: v.COORD_SUM, sumSq: v.COORD_SUM_SQ } },
    bitsetRows: v.BITSET_ROWS,
    moment: {
      matrices: v.MOMENT_MATRICES,
      keepPerD: v.MOMENT_KEEP_PER_D,
      keepFixed: v.MOMENT_KEEP_FIXED,
      tileRows: v.MOMENT_TILE_ROWS,
      groupRows: v.MOMENT_GROUP_ROWS,
    },
    sample: {
      panelCols: v.SAMPLE_PANEL_COLS,
      tileRows: v.SAMPLE_TILE_ROWS,
      blockRows: v.SAMPLE_BLOCK_ROWS,
      zSpareRows: v.SAMPLE_Z_SPARE_ROWS,
    },
    linalg: { choleskyPanelRows: v.CHOLESKY_PANEL_ROWS, eigenScratchPerD: v.EIGEN_SCRATCH_PER_D },
  };
}

/** Bytes of sgdChunk's state for d coordinates: the fields, then the generator states. */
export function sgdStateBytes(abi: Abi, d: number): number {
  return abi.sgd.fields * d * 8 + abi.rngStateBytes * d;
}

/** Byte offset, in sgdChunk's state, of coordinate i's generator state. */
export function sgdRngOffset(abi: Abi, d: number, i: number): number {
  return abi.sgd.fields * d * 8 + abi.rngStateBytes * i;
}

/** Words of the bitset scratch of a kernel call on `rows` rows of d columns. */
export function bitsetWords(abi: Abi, rows: number, d: number): number {
  return d * Math.ceil(rows / abi.bitsetRows);
}
