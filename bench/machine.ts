// The machine a run happened on (STYLE.md practice 10: benchmarks name the machine).
import os from 'node:os';

export interface Machine {
  cpu: string;
  cores: number;
  node: string;
  v8: string;
  os: string;
  memoryGiB: number;
  /** 1, 5 and 15 minute load averages when asked. */
  loadavg: number[];
}

export const loadavg = (): number[] => os.loadavg().map((v) => Math.round(v * 100) / 100);

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    node: process.version,
    v8: process.versions.v8,
    os: `${os.platform()} ${os.release()} ${os.arch()}`,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadavg: loadavg(),
  };
}

export function describeMachine(m: Machine): string {
  return `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node} (V8 ${m.v8})`;
}
