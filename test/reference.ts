// The readable TypeScript twins of every WebAssembly kernel now live in src/js/ (they are
// the package's fallback where WebAssembly is missing or blocked); this module re-exports
// them under their old names for the tests and benchmarks.
export { Xoroshiro128Plus, Xoroshiro128PlusBig, streamGenerator, streamStart } from '../src/js/rng.js';
export { normal, zigguratTables } from '../src/js/normal.js';
export { truncNormal } from '../src/js/truncnorm.js';
export { sgdTwin } from '../src/js/sgd.js';
export { coordStatsTwin } from '../src/js/stats.js';
export { pairCountsTwin } from '../src/js/counts.js';
export { momentStatsTwin } from '../src/js/moments.js';
export { sampleRowsTwin } from '../src/js/sample.js';
export { jsBackend } from '../src/js/backend.js';
