// The readable TypeScript twins of every WebAssembly kernel now live in src/backend/js/ (they are
// the package's fallback where WebAssembly is missing or blocked); this module re-exports
// them under their old names for the tests and benchmarks.
export { Xoroshiro128Plus, Xoroshiro128PlusBig, streamGenerator, streamStart } from '../../src/backend/js/rng.js';
export { normal, zigguratTables } from '../../src/backend/js/ziggurat.js';
export { truncNormal } from '../../src/backend/js/truncnorm.js';
export { sgdTwin } from '../../src/backend/js/sgd.js';
export { coordStatsTwin } from '../../src/backend/js/coord-stats.js';
export { pairCountsTwin } from '../../src/backend/js/counts.js';
export { momentStatsTwin } from '../../src/backend/js/moments.js';
export { sampleRowsTwin } from '../../src/backend/js/sample.js';
export { jsBackend } from '../../src/backend/js/backend.js';
