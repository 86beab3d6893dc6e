// Checks of scalar arguments and option objects: TypeError / RangeError naming the argument
// and the value. Kept apart from validate.ts (arrays, matrices, models), which needs
// ml-matrix: the worker script imports these through the Wasm loader, and ml-matrix alone
// takes about 80 ms to load, in every worker a call starts.

export function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  return `a ${typeof v === 'object' ? (v.constructor?.name ?? 'object') : typeof v}`;
}

export function checkInteger(name: string, v: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number') throw new TypeError(`${name} must be a number, got ${show(v)}`);
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${show(v)}`);
  }
  return v;
}

export function checkSeed(name: string, v: unknown): number {
  return checkInteger(name, v, 0, 2 ** 32 - 1);
}

export function checkOptions(name: string, v: unknown): Record<string, unknown> {
  if (v === undefined) return {};
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new TypeError(`${name} must be an object, got ${show(v)}`);
  }
  return v as Record<string, unknown>;
}

export function checkChoice<T extends string>(name: string, v: unknown, choices: readonly T[]): T {
  if (!choices.includes(v as T)) {
    const E = typeof v === 'string' ? RangeError : TypeError;
    throw new E(`${name} must be one of ${choices.map((c) => `'${c}'`).join(', ')}, got ${show(v)}`);
  }
  return v as T;
}
