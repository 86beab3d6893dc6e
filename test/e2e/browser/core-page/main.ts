// The browser side of the core checks: the package as an application would import it.
import * as api from 'relu-density';
import { BATTERY_SEED, BATTERY_SIZE, batteryCases, runBatteryCase, runIssueCase } from '../battery.js';
import { CORE_CASES, runCoreCase, runPowCases, runWorkerCase } from '../core-cases.js';

declare global {
  interface Window {
    coreResults: () => Promise<Record<string, string>[]>;
    powResults: () => Promise<Record<string, string>>;
    workerResults: () => Promise<Record<string, string>>;
    batteryResults: () => Promise<Record<string, string>[]>;
    issueResults: () => Promise<Record<string, string>>;
  }
}

window.coreResults = async () => {
  const results = [];
  for (const c of CORE_CASES) results.push(await runCoreCase(api, c));
  return results;
};

window.powResults = () => runPowCases(api);

window.batteryResults = async () => {
  const results = [];
  for (const c of batteryCases(BATTERY_SIZE, BATTERY_SEED)) results.push(await runBatteryCase(api, c));
  return results;
};

window.issueResults = () => runIssueCase(api);

/** Module Web Workers on the package's worker script, as the README tells applications to make them. */
window.workerResults = () => runWorkerCase(api, () => new Worker(new URL('relu-density/worker', import.meta.url), { type: 'module' }));
