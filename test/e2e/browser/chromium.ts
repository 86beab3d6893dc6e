// Debian's Chromium, driven by playwright-core (a test tool's own browser download cannot work
// on the closed network). Without the background-networking flags Chromium's own background
// requests are refused and clutter the logs. A missing browser is a failure, not a skip.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}: the browser tests need it. npm test installs Debian's chromium ` +
        `first (scripts/ensure-chromium.ts); or run: apt-get install -y --no-install-recommends chromium (or set CHROMIUM_PATH)`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
