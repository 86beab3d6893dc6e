// `npm test`'s first step: the browser tests (test/e2e/browser/) need Debian's Chromium, and a test
// tool's own browser download cannot work on a closed network, so a fresh Debian machine gets
// the distribution's package here, as root or through a password-less sudo. Anywhere else the
// script says what to install and exits with 1: the browser suite is part of the tests, never
// skipped. CHROMIUM_PATH points the tests (test/e2e/browser/chromium.ts) at another build.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const INSTALL = ['apt-get', 'install', '-y', '--no-install-recommends', 'chromium'];

function fail(why: string): never {
  process.stderr.write(
    `ensure-chromium: ${why}\n` +
      `The browser tests need Chromium at ${path}. Install Debian's package as root:\n` +
      `  apt-get update && ${INSTALL.join(' ')}\n` +
      `or set CHROMIUM_PATH to a Chromium or Chrome executable, then run npm test again.\n`,
  );
  process.exit(1);
}

function run(command: string[]): void {
  process.stderr.write(`ensure-chromium: ${command.join(' ')}\n`);
  const r = spawnSync(command[0], command.slice(1), { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (r.error) fail(`${command[0]} could not start: ${r.error.message}`);
  if (r.status !== 0) fail(`${command.join(' ')} exited with ${r.status ?? r.signal}`);
}

const succeeds = (command: string[]) => spawnSync(command[0], command.slice(1), { stdio: 'ignore' }).status === 0;

if (!existsSync(path)) {
  if (process.env.CHROMIUM_PATH !== undefined) fail(`CHROMIUM_PATH is set, but nothing is at ${path}.`);
  if (process.platform !== 'linux' || !succeeds(['apt-get', '--version'])) fail('this is not a Debian-like system with apt-get.');
  const root = process.getuid?.() === 0;
  const prefix = root ? [] : succeeds(['sudo', '-n', 'true']) ? ['sudo', '-n', 'env', 'DEBIAN_FRONTEND=noninteractive'] : null;
  if (prefix === null) fail('installing it needs root, and sudo is not available without a password.');
  run([...prefix, 'apt-get', 'update']);
  run([...prefix, ...INSTALL]);
  if (!existsSync(path)) fail(`apt-get installed chromium, but ${path} is still missing.`);
}
