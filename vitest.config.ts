import { defineConfig } from 'vitest/config';

// The suite runs on both backends: project 'wasm' with the default resolution ('auto', the
// WebAssembly kernels in Node), project 'js' with RELU_DENSITY_BACKEND=js, so every call that
// resolves 'auto' (fit, fitSync, accumulate, sample, the compat functions, kernels()) runs
// the TypeScript kernels of src/backend/js/. Files that pin their backend themselves, or never reach
// a kernel, run once (in 'wasm'): they would only repeat themselves.
const ONCE = [
  'test/unit/backend/kernels.test.ts', // Wasm (release and debug) against the TypeScript twins, explicitly
  'test/unit/backend/rng.test.ts', // the generators, same
  'test/unit/backend/linalg.test.ts', // Cholesky and eigen kernels: Wasm (release, debug) and twins, explicitly
  'test/unit/backend/sgd-bits.test.ts', // the Wasm SGD kernel against pinned bits, explicitly
  'test/unit/surfaces/kernels-api.test.ts', // the kernel API on every engine, explicitly
  'test/unit/backend/fallback.test.ts', // sets WebAssembly and RELU_DENSITY_BACKEND itself
  'test/unit/estimators/censored.test.ts', // pins wasmBackend()
  'test/unit/numerics/bvn.test.ts', // special functions only
  'test/unit/model/tv.test.ts', // the experiments pin wasmBackend()
  'test/unit/surfaces/experiment.test.ts', // same
  'test/unit/parallel/workers.test.ts', // runs each case on both backends itself (workers cost ~0.2 s each to start)
  'test/unit/backend/merge.test.ts', // 21 passes of exact merging; the twins' block statistics equal Wasm's (kernels.test.ts)
  'test/e2e/browser/**', // Chromium: pins its backends itself, and the page picks its own
  'test/e2e/ship/ship.test.ts', // the packed tarball, publint and the bundle size: no kernel choice
  'test/e2e/io/**', // file readers and writers: no kernel runs
  'test/unit/estimators/wide.test.ts', // a d = 512 fit pinned to wasmBackend() (the twins take minutes there)
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'wasm', include: ['test/**/*.test.ts'] } },
      {
        extends: true,
        test: { name: 'js', include: ['test/**/*.test.ts'], exclude: ONCE, env: { RELU_DENSITY_BACKEND: 'js' } },
      },
    ],
  },
});
