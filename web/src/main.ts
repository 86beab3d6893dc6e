// The demo page: generate from a random model and fit it, or fit the user's file. Sampling
// and the fits' passes over the data run in the package's Web Worker (relu-density/worker);
// the TV estimates and the file parsing in the page's own jobs worker.
import { errB, errSigma, init, klBound, type Samples } from 'relu-density';
import { fitInWorker, sampleInWorker } from './fit-runner.js';
import { JobsClient } from './jobs.js';
import { fillTv, renderBias, renderHeatmaps, renderTable, type MethodName, type MethodRun } from './render.js';
import { makeTruth, type Truth } from './truth.js';

/** TV estimates are Monte Carlo with d x d factors per draw: cheap (well under a second) up to here. */
const TV_MAX_D = 30;
const TV_DRAWS = 4000;
/** Samples the page will hold (n * d doubles): 80 MB. */
const MAX_VALUES = 1e7;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const jobs = new JobsClient();

function setStatus(text: string): void {
  $('status').textContent = text;
}

function setError(err: unknown): void {
  const box = $('error');
  if (err === null) {
    box.hidden = true;
    box.textContent = '';
  } else {
    box.hidden = false;
    box.textContent = err instanceof Error ? err.message : String(err);
  }
}

function setProgress(fraction: number | null): void {
  const bar = $<HTMLProgressElement>('progress');
  if (fraction === null)
    bar.removeAttribute('value'); // indeterminate
  else bar.value = fraction;
}

function setBusy(busy: boolean): void {
  for (const id of ['fit', 'fit-file']) $<HTMLButtonElement>(id).disabled = busy;
  $('results').setAttribute('aria-busy', String(busy));
}

/** An input's value as a number, with a message naming the field when it is not one. */
function numberField(id: string, label: string, { integer = true, min = -Infinity, max = Infinity } = {}): number {
  const raw = $<HTMLInputElement>(id).value.trim();
  const v = Number(raw);
  if (raw === '' || !Number.isFinite(v) || (integer && !Number.isInteger(v)) || v < min || v > max) {
    const what = integer ? 'an integer' : 'a number';
    throw new RangeError(`${label} must be ${what} in [${min}, ${max}], got ${JSON.stringify(raw)}`);
  }
  return v;
}

function chosenMethods(): MethodName[] {
  const m = $<HTMLSelectElement>('method').value;
  return m === 'both' ? ['mle', 'paper'] : [m as MethodName];
}

/** Fits x with each chosen method in turn; the progress bar covers all of them. */
async function fitAll(x: Samples, methods: MethodName[], seed: number): Promise<MethodRun[]> {
  const runs: MethodRun[] = [];
  for (const [i, method] of methods.entries()) {
    setStatus(`Fitting with ${method === 'mle' ? 'the default method' : "the paper's method"} (${i + 1} of ${methods.length})…`);
    const t0 = performance.now();
    const result = await fitInWorker(x, { method, seed }, (f) => setProgress((i + f) / methods.length));
    runs.push({ method, result, ms: performance.now() - t0 });
    setProgress((i + 1) / methods.length);
  }
  return runs;
}

async function tvFor(truth: Truth, runs: MethodRun[], seed: number): Promise<void> {
  const d = truth.b.length;
  if (d > TV_MAX_D) {
    for (const r of runs) fillTv(r.method, `skipped (d > ${TV_MAX_D})`);
    return;
  }
  setStatus(`Estimating TV distances (${TV_DRAWS} Monte Carlo draws each)…`);
  await Promise.all(
    runs.map(async (r) => {
      try {
        fillTv(r.method, await jobs.tv({ W: truth.W, b: truth.b }, r.result.model, TV_DRAWS, seed));
      } catch (e) {
        fillTv(r.method, `failed: ${(e as Error).message}`);
      }
    }),
  );
}

async function generateAndFit(): Promise<void> {
  const d = numberField('d', 'd', { min: 1, max: 100 });
  const k = numberField('k', 'k', { min: 1, max: d });
  const kappa = numberField('kappa', 'κ', { integer: false, min: 1, max: 1e12 });
  const n = numberField('n', 'n', { min: 10, max: 1e6 });
  const seed = numberField('seed', 'seed', { min: 0, max: 2 ** 32 - 2 });
  if (n * d > MAX_VALUES) throw new RangeError(`n * d must be at most ${MAX_VALUES} for this page, got ${n * d}`);
  const methods = chosenMethods();

  setStatus('Compiling the WebAssembly kernels…');
  await init(); // a main thread compiles asynchronously, before randomModel's synchronous kernels
  const truth = makeTruth(d, k, kappa, seed);
  setStatus(`Sampling ${n} rows…`);
  const t0 = performance.now();
  const x = await sampleInWorker({ W: truth.W, b: truth.b }, n, seed + 1, setProgress);
  const sampleMs = performance.now() - t0;

  const runs = await fitAll(x, methods, seed);
  for (const r of runs) {
    r.errB = errB(r.result, truth);
    r.errSigma = errSigma(r.result, truth);
    r.kl = klBound(r.result, truth);
  }
  renderTable(`n = ${n}, d = ${d}, k = ${k}, κ = ${kappa}, seed = ${seed}`, runs, true, [['sampling time (in a worker)', `${sampleMs.toFixed(1)} ms`]]);
  renderHeatmaps(d, truth.sigma, runs);
  renderBias(truth.b, runs);
  $('results').hidden = false;
  await tvFor(truth, runs, seed);
}

async function fitFile(): Promise<void> {
  const file = $<HTMLInputElement>('file').files?.[0];
  if (file === undefined) throw new Error('choose a CSV or .npy file first');
  setStatus(`Reading ${file.name}…`);
  setProgress(null);
  const x = await jobs.parse(file);
  const runs = await fitAll(x, chosenMethods(), 0);
  renderTable(`${file.name}: n = ${x.n}, d = ${x.d}`, runs, false);
  renderHeatmaps(x.d, null, runs);
  renderBias(null, runs);
  $('results').hidden = false;
}

/** Runs one action with the buttons disabled, its errors shown, and data-state for tests. */
async function run(action: () => Promise<void>): Promise<void> {
  setBusy(true);
  setError(null);
  $('results').dataset.state = 'running';
  try {
    await action();
    setStatus('Done.');
    $('results').dataset.state = 'done';
  } catch (e) {
    setError(e);
    setStatus('Stopped by an error.');
    $('results').dataset.state = 'error';
  } finally {
    setProgress($('results').dataset.state === 'done' ? 1 : 0);
    setBusy(false);
  }
}

// k <= d: follow d down when it shrinks below k.
$('d').addEventListener('input', () => {
  const d = Number($<HTMLInputElement>('d').value);
  const k = $<HTMLInputElement>('k');
  if (Number.isInteger(d) && d >= 1 && d <= 100) {
    k.max = String(d);
    if (Number(k.value) > d) k.value = String(d);
  }
});

$('generate').addEventListener('submit', (e) => {
  e.preventDefault();
  void run(generateAndFit);
});
$('upload').addEventListener('submit', (e) => {
  e.preventDefault();
  void run(fitFile);
});
