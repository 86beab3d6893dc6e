import { defineConfig } from 'vitest/config';

// The suite runs on both backends: project 'wasm' with the default resolution ('auto', the
// WebAssembly kernels in Node), project 'js' with RELU_DENSITY_BACKEND=js, so every call that
// resolves 'auto' (fit, fitSync, accumulate, sample, the compat functions, kernels()) runs
// the TypeScript kernels of src/backend/js/. Files that pin their backend themselves, or never reach
// a kernel, run once (in 'wasm'): they would only repeat themselves.
const ONCE = [
  'test/kernels.test.ts', // Wasm (release and debug) against the TypeScript twins, explicitly
  'test/rng.test.ts', // the generators, same
  'test/sgd-bits.test.ts', // the Wasm SGD kernel against pinned bits, explicitly
  'test/kernels-api.test.ts', // the kernel API on every engine, explicitly
  'test/fallback.test.ts', // sets WebAssembly and RELU_DENSITY_BACKEND itself
  'test/censored.test.ts', // pins wasmBackend()
  'test/bvn.test.ts', // special functions only
  'test/tv.test.ts', // the experiments pin wasmBackend()
  'test/experiment.test.ts', // same
  'test/workers.test.ts', // runs each case on both backends itself (workers cost ~0.2 s each to start)
  'test/merge.test.ts', // 21 passes of exact merging; the twins' block statistics equal Wasm's (kernels.test.ts)
  'test/browser/**', // Chromium: pins its backends itself, and the page picks its own
  'test/ship.test.ts', // the packed tarball, publint and the bundle size: no kernel choice
  'test/io-*.test.ts', // file readers and writers: no kernel runs
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
