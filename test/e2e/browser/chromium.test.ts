// The package in a real headless Chromium (Debian's, driven by playwright-core), served from
// 127.0.0.1 with no network: (1) sampling and fitting give the same bytes as Node for the same
// seeds, on both backends; (2) the demo page (web/) runs end to end: generate and fit with both
// methods, fit the user's CSV and .npy, no console errors, a screenshot in test-artifacts/.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump } from 'npyjs';
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPage, REPO } from './build-page.js';
import { launchChromium } from './chromium.js';
import { BATTERY_SEED, BATTERY_SIZE, batteryCases, runBatteryCase, runIssueCase } from './battery.js';
import { CORE_CASES, runCoreCase, runPowCases, runWorkerCase } from './core-cases.js';
import { serveDirectory, type StaticServer } from './serve.js';

const ARTIFACTS = join(REPO, 'test-artifacts');

let dir: string;
let server: StaticServer;
let browser: Browser;
let viteWarnings: string[];

beforeAll(async () => {
  // launch first: without Chromium every test here fails with the launcher's message
  browser = await launchChromium();
  dir = mkdtempSync(join(tmpdir(), 'relu-density-browser-'));
  viteWarnings = [
    ...(await buildPage(join(REPO, 'test/e2e/browser/core-page'), join(dir, 'core'))),
    ...(await buildPage(join(REPO, 'web'), join(dir, 'web'), join(REPO, 'web/vite.config.ts'))),
  ];
  server = await serveDirectory(dir);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A page that records console errors, uncaught exceptions and failed requests (its workers' too). */
async function watchedPage(): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const problems: string[] = [];
  const onConsole = (m: ConsoleMessage) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()}`);
  };
  page.on('console', onConsole);
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('worker', (w) => w.on('console', onConsole));
  return { page, problems };
}

describe('bundling with Vite', () => {
  it('builds an app that bundles the package (root and worker) without a warning', () => {
    expect(viteWarnings.map((w) => w.trim())).toEqual([]);
  });
});

describe('core checks in Chromium', () => {
  it('randomModel, sample, fit (four pipelines, standard errors) and accumulate give the same bytes as Node, on both backends', async () => {
    const { page, problems } = await watchedPage();
    await page.goto(`${server.url}core/`);
    await page.waitForFunction(() => typeof window.coreResults === 'function');
    const inBrowser = await page.evaluate(() => window.coreResults());
    const api = await import('relu-density');
    const inNode = [];
    for (const c of CORE_CASES) inNode.push(await runCoreCase(api, c));
    expect(inBrowser.length).toBe(CORE_CASES.length);
    const differ: string[] = [];
    for (let i = 0; i < CORE_CASES.length; i++) {
      expect(Object.keys(inBrowser[i])).toEqual(Object.keys(inNode[i]));
      for (const key of Object.keys(inNode[i])) if (inBrowser[i][key] !== inNode[i][key]) differ.push(`${CORE_CASES[i].backend} ${key}`);
    }
    expect(differ).toEqual([]);
    // the sample really is 5000 x 6 doubles on both sides, not two empty strings
    expect(atob(inNode[0].sample).length).toBe(5000 * 6 * 8);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("sampleAsync and fit on 2 Web Workers (relu-density/worker) give the same bytes as Node's single-thread sample and fit", async () => {
    const { page, problems } = await watchedPage();
    const workers: string[] = [];
    page.on('worker', (w) => workers.push(w.url()));
    await page.goto(`${server.url}core/`);
    await page.waitForFunction(() => typeof window.workerResults === 'function');
    const inBrowser = await page.evaluate(() => window.workerResults());
    const inNode = await runWorkerCase(await import('relu-density'), undefined);
    expect(inBrowser).toEqual(inNode);
    expect(inBrowser.progressed).toBe('true');
    expect(workers.length).toBeGreaterThanOrEqual(2); // they did run in Web Workers
    expect(problems).toEqual([]);
    await page.close();
  });

  // Math.pow (`**`) gives other last bits in Node 20 than in current Chromium; the package
  // computes these through products, exp and log instead, which agree.
  it("results that once went through Math.pow (randomModel kappa != 1, step1 'truncated' standard errors) give the same bytes as Node", async () => {
    const { page, problems } = await watchedPage();
    await page.goto(`${server.url}core/`);
    await page.waitForFunction(() => typeof window.powResults === 'function');
    const inBrowser = await page.evaluate(() => window.powResults());
    await page.close();
    const inNode = await runPowCases(await import('relu-density'));
    expect(Object.keys(inBrowser)).toEqual(Object.keys(inNode));
    expect(Object.keys(inNode).filter((k) => inBrowser[k] !== inNode[k])).toEqual([]);
    expect(problems).toEqual([]);
  });
});

describe('the same bits as Node, on a randomized battery', () => {
  // The package computes every result through +, -, *, /, sqrt and its own elementary functions
  // (src/numerics/math.ts), never the engine's Math.exp, Math.sin, ... (test/unit/numerics/determinism.test.ts);
  // this shows the outcome on whole workflows.
  it(`${BATTERY_SIZE} random cases (d 2-30, k <= d, biases of both signs, every method and step1 x step2, both backends): every array byte-equal`, async () => {
    const cases = batteryCases(BATTERY_SIZE, BATTERY_SEED);
    const { page, problems } = await watchedPage();
    await page.goto(`${server.url}core/`);
    await page.waitForFunction(() => typeof window.batteryResults === 'function');
    const inBrowser = await page.evaluate(() => window.batteryResults());
    await page.close();
    const api = await import('relu-density');
    const inNode: Record<string, string>[] = [];
    for (const c of cases) inNode.push(await runBatteryCase(api, c));
    expect(inBrowser.length).toBe(cases.length);
    const differ: string[] = [];
    for (let i = 0; i < cases.length; i++) {
      expect(Object.keys(inBrowser[i])).toEqual(Object.keys(inNode[i]));
      for (const key of Object.keys(inNode[i])) if (inBrowser[i][key] !== inNode[i][key]) differ.push(`case ${i} ${key}`);
    }
    expect(differ).toEqual([]);
    // at least 50 whole fits were compared (a few cases make a coordinate with too few positives,
    // which every fit refuses; their messages are compared above)
    const fitted = inNode.filter((r) => r.error === undefined);
    expect(fitted.length).toBeGreaterThanOrEqual(50);
    const combos = new Set(cases.filter((_, i) => inNode[i].error === undefined).map((c) => `${c.backend} ${c.fit.method} ${c.fit.step1} ${c.fit.step2}`));
    expect(combos.size).toBe(20); // 'paper' and the nine step1 x step2 of 'mle', on each backend
    expect(fitted.filter((r) => r['standardErrors.b'] !== 'null').length).toBeGreaterThan(10);
    expect(problems).toEqual([]);
  });

  it("the issue's default fit (n = 1e5, seed 777) gives Node's bytes", async () => {
    const { page, problems } = await watchedPage();
    await page.goto(`${server.url}core/`);
    await page.waitForFunction(() => typeof window.issueResults === 'function');
    const inBrowser = await page.evaluate(() => window.issueResults());
    await page.close();
    const inNode = await runIssueCase(await import('relu-density'));
    expect(inBrowser).toEqual(inNode);
    expect(problems).toEqual([]);
  });
});

describe('demo page (web/) in Chromium', () => {
  it('generates and fits with both methods from the keyboard, draws the heatmaps and the table, without console errors', async () => {
    const { page, problems } = await watchedPage();
    const workers: string[] = [];
    page.on('worker', (w) => workers.push(w.url()));
    await page.goto(`${server.url}web/`);
    await page.fill('#d', '8');
    await page.fill('#n', '20000');
    expect(await page.inputValue('#k')).toBe('8'); // k follows d down
    // every control is labelled, for screen readers
    const unlabelled = await page.$$eval('input, select, progress', (els) =>
      (els as (HTMLInputElement | HTMLSelectElement | HTMLProgressElement)[]).filter((e) => (e.labels?.length ?? 0) === 0).map((e) => e.id),
    );
    expect(unlabelled).toEqual([]);
    // the progress bar's values as the page sets them
    await page.evaluate(() => {
      const bar = document.getElementById('progress') as HTMLProgressElement;
      const seen: number[] = ((window as unknown as { progressSeen: number[] }).progressSeen = []);
      new MutationObserver(() => void seen.push(bar.hasAttribute('value') ? bar.value : NaN)).observe(bar, { attributes: true });
    });
    await page.focus('#seed');
    await page.keyboard.press('Enter'); // submits the form
    await page.waitForSelector('#results[data-state="done"], #results[data-state="error"]', { timeout: 45_000 });
    expect(await page.textContent('#error')).toBe('');
    expect(await page.getAttribute('#results', 'data-state')).toBe('done');
    // onProgress moved the bar through the passes: the paper's 3 passes give thirds of its half
    const progressSeen = await page.evaluate(() => (window as unknown as { progressSeen: number[] }).progressSeen);
    expect(progressSeen.some((v) => v > 0.5 && v < 1)).toBe(true);
    expect(progressSeen.at(-1)).toBe(1);

    const caption = await page.textContent('#result-caption');
    expect(caption).toContain('n = 20000, d = 8');
    const rows = await page.$$eval('#result-table tbody tr', (trs) =>
      Object.fromEntries(
        (trs as HTMLTableRowElement[]).map((tr) => [
          tr.cells[0].textContent,
          Array.from(tr.cells)
            .slice(1)
            .map((c) => c.textContent),
        ]),
      ),
    );
    const errB = rows['err_b = ‖b̂ − b*‖ / ‖W*‖_F'].map(Number);
    expect(errB).toHaveLength(2);
    // n = 2e4, d = 8: the default estimator is within a few hundredths, the paper's within a few tenths
    expect(errB[0]).toBeGreaterThan(0);
    expect(errB[0]).toBeLessThan(0.05);
    expect(errB[1]).toBeLessThan(0.5);
    for (const tv of rows['TV, rectified (Monte Carlo ± SE)']) expect(tv).toMatch(/^0\.\d+ ± /);

    // five heatmaps (Sigma*, two estimates, two differences), each with colour in it
    const heatmaps = await page.$$eval('canvas.heatmap', (cs) =>
      (cs as HTMLCanvasElement[]).map((c) => {
        const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let coloured = 0;
        for (let i = 0; i < px.length; i += 4) if (px[i] < 250 || px[i + 1] < 250 || px[i + 2] < 250) coloured++;
        return { w: c.width, coloured };
      }),
    );
    expect(heatmaps).toHaveLength(5);
    for (const h of heatmaps) expect(h.coloured).toBeGreaterThan(0);
    expect(await page.isVisible('#scatter')).toBe(true);
    // sampling and both fits ran on the package's worker script
    expect(workers.filter((u) => /\/assets\/worker-[\w-]+\.js$/.test(u)).length).toBeGreaterThanOrEqual(3);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'web-demo.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it("fits the user's CSV and .npy files, parsed in the page, to Node's estimates", async () => {
    const api = await import('relu-density');
    const x = api.sample(api.randomModel({ d: 3, seed: 11 }), 2000, { seed: 12 });
    const expected = Array.from((await api.fit(x)).b, (v) => v.toPrecision(4));
    const rows = [];
    for (let r = 0; r < x.n; r++) rows.push(Array.from(x.data.subarray(r * 3, r * 3 + 3), String).join(','));
    const csv = Buffer.from(`x1,x2,x3\n${rows.join('\n')}\n`);
    const npy = Buffer.from(dump(x.data, [x.n, x.d]));

    const { page, problems } = await watchedPage();
    await page.goto(`${server.url}web/`);
    await page.selectOption('#method', 'mle');
    for (const [name, mimeType, buffer] of [
      ['data.csv', 'text/csv', csv],
      ['data.npy', 'application/octet-stream', npy],
    ] as const) {
      await page.setInputFiles('#file', { name, mimeType, buffer });
      await page.click('#fit-file');
      await page.waitForSelector('#results[data-state="done"], #results[data-state="error"]', { timeout: 30_000 });
      expect(await page.textContent('#error')).toBe('');
      expect(await page.textContent('#result-caption')).toBe(`${name}: n = 2000, d = 3`);
      const b = await page.$$eval('#bias-table tbody tr', (trs) => (trs as HTMLTableRowElement[]).map((tr) => tr.cells[1].textContent));
      expect(b).toEqual(expected);
      expect(await page.$$eval('canvas.heatmap', (cs) => cs.length)).toBe(1);
    }

    // a bad value is reported by the package, naming the row and column
    await page.setInputFiles('#file', { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('1,2\n0.5,-1\n') });
    await page.click('#fit-file');
    await page.waitForSelector('#results[data-state="error"]');
    expect(await page.textContent('#error')).toMatch(/-1/);
    expect(problems).toEqual([]);
    await page.close();
  });
});
