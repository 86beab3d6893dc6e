// WebAssembly start-up, reported on its own (issue 6: under 10 ms): each measurement in a
// fresh Node process, so that nothing is cached, medians over runs.
//   raw:   decode the inlined base64, WebAssembly.compile, then a synchronous instantiate
//   init:  await init({ backend: 'wasm' }) of the built package (dist/index.js): the same
//          work through the loader, what a user's first fit waits for
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BenchArgs } from './args.js';
import type { InstantiationCase } from './cases.js';
import { loadavg } from './machine.js';
import { progress, type Section } from './section.js';
import { ms, type Table } from './table.js';
import { median } from './timing.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

const RAW = `
const { readFileSync } = await import('node:fs');
const text = readFileSync(process.argv[1], 'utf8');
const b64 = /WASM_BASE64 =\\s*'([^']*)'/.exec(text)[1];
const t0 = performance.now();
const bin = atob(b64);
const bytes = new Uint8Array(bin.length);
for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
const t1 = performance.now();
const module = await WebAssembly.compile(bytes);
const t2 = performance.now();
new WebAssembly.Instance(module, { env: { abort() {} } });
const t3 = performance.now();
console.log(JSON.stringify({ bytes: bytes.length, decode: t1 - t0, compile: t2 - t1, instantiate: t3 - t2, total: t3 - t0 }));
`;

const INIT = `
const m = await import(process.argv[1]);
const t0 = performance.now();
await m.init({ backend: 'wasm' });
const t1 = performance.now();
console.log(JSON.stringify({ total: t1 - t0 }));
`;

function child(script: string, arg: string): Record<string, number> | string {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script, arg], { encoding: 'utf8', cwd: ROOT });
  if (r.status !== 0) return (r.stderr || r.stdout).trim().split('\n').pop() ?? `exit ${r.status}`;
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, number>;
}

export function runInstantiation(c: InstantiationCase, a: BenchArgs): Section {
  const t0 = performance.now();
  const start = loadavg();
  const runs = Math.max(5, a.repeat ?? 0);
  const raw: Record<string, number>[] = [];
  const init: Record<string, number>[] = [];
  const problems: string[] = [];
  const bytesFile = ROOT + 'src/backend/wasm/bytes.ts';
  const dist = ROOT + 'dist/index.js';
  progress(`${c.id}: ${runs} fresh processes each`);
  for (let r = 0; r < runs; r++) {
    const x = child(RAW, bytesFile);
    if (typeof x === 'string') problems.push(`raw: ${x}`);
    else raw.push(x);
    const y = child(INIT, dist);
    if (typeof y === 'string') problems.push(`init: ${y}`);
    else init.push(y);
  }
  const med = (rs: Record<string, number>[], k: string) => (rs.length > 0 ? median(rs.map((r) => r[k])) : undefined);
  const table: Table = {
    headers: ['what', `ms (median of ${runs} processes)`, 'target'],
    rows: [
      ['decode the inlined base64', ms(med(raw, 'decode')), ''],
      ['WebAssembly.compile', ms(med(raw, 'compile')), ''],
      ['new WebAssembly.Instance', ms(med(raw, 'instantiate')), ''],
      ['**raw total**', ms(med(raw, 'total')), '< 10 ms'],
      ["**await init({ backend: 'wasm' })** (dist/index.js)", ms(med(init, 'total')), '< 10 ms'],
    ],
  };
  const size = raw[0]?.bytes ?? readFileSync(bytesFile, 'utf8').length * 0.75;
  const end = loadavg();
  const notes = [
    `module: ${(size / 1024).toFixed(1)} KiB of Wasm, inlined as base64 in src/backend/wasm/bytes.ts; each run a fresh \`node\` (${process.version}), nothing cached`,
    `all runs (ms): raw ${raw.map((r) => ms(r.total)).join(', ')}; init ${init.map((r) => ms(r.total)).join(', ')}`,
    ...(problems.length > 0 ? [`not measured: ${[...new Set(problems)].join('; ')} (init needs \`npm run build\`)`] : []),
    `load average (1, 5, 15 min): ${start.join(' ')} at start, ${end.join(' ')} at end`,
  ];
  return {
    id: c.id,
    title: c.title,
    table,
    notes,
    loadavg: { start, end },
    seconds: (performance.now() - t0) / 1000,
    details: { raw, init, problems },
  };
}
