// relu-density/experiments: the paper's Figure 1 as a library (run, summarize, check, and a
// Vega-Lite spec of the figure), kept out of the package root so that apps which only fit and
// sample neither download nor bundle it. Compute only, like the root: it runs in browsers.
// Rendering the spec to SVG/PNG is the CLI's business (render.ts), not this entry's.
export {
  runFigure1,
  figure1Settings,
  type Figure1Options,
  type Figure1Settings,
  type Figure1Progress,
  type Figure1Result,
  type RunRecord,
} from './figure1.js';
// Also in the root (a metric users call on their own models); here too because every run
// record carries it.
export { tvDistances, type TvOptions, type TvDistances, type TvEstimate } from '../model/tv.js';
export { summarize, type PointSummary, type MeanSd, type Metric } from './aggregate.js';
export { figure1Checks, type Check } from './acceptance.js';
export { summaryMarkdown, type SummaryInput } from './summary.js';
export { figure1Spec, type Figure1Spec } from './spec.js';
export { SWEEPS, type Sweep, type SweepId, type SweepPoint, type PaperValues } from './sweeps.js';
