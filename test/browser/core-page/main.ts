// The browser side of the core checks: the package as an application would import it.
import * as api from 'relu-density';
import { CORE_CASES, runCoreCase, runPowCases } from '../core-cases.js';

declare global {
  interface Window {
    coreResults: () => Promise<Record<string, string>[]>;
    powResults: () => Promise<Record<string, string>>;
  }
}

window.coreResults = async () => {
  const results = [];
  for (const c of CORE_CASES) results.push(await runCoreCase(api, c));
  return results;
};

window.powResults = () => runPowCases(api);
