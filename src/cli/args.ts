/// <reference types="node" />
// Shared command-line parsing: node:util parseArgs (strict: an unknown flag is a usage
// error), and flag values checked into numbers and choices with messages that name the flag.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usage.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with positionals allowed; every parse failure becomes a UsageError showing `help`. */
export function parseCommand(argv: string[], options: Options, help: string): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true }) as {
      values: Record<string, string | boolean | undefined>;
      positionals: string[];
    };
  } catch (err) {
    throw new UsageError(`${err instanceof Error ? err.message : String(err)}\n\n${help}`);
  }
}

/**
 * An integer flag in [min, max]; scientific notation is accepted when it is exact
 * (--n 1e8), a fraction or any other text is a UsageError.
 */
export function integerFlag(flag: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const v = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isInteger(v) || v < min || v > max) throw new UsageError(`--${flag} must be an integer in [${min}, ${max}], got '${text}'`);
  return v;
}

/** A flag whose value is one of `choices`. */
export function choiceFlag<T extends string>(flag: string, text: string | undefined, choices: readonly T[]): T | undefined {
  if (text === undefined) return undefined;
  if (!choices.includes(text as T)) throw new UsageError(`--${flag} must be one of ${choices.join(', ')}, got '${text}'`);
  return text as T;
}

/** Exactly one positional argument (`what` names it in the message). */
export function onePositional(positionals: string[], what: string, help: string): string {
  if (positionals.length === 0) throw new UsageError(`missing ${what}\n\n${help}`);
  if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'\n\n${help}`);
  return positionals[0];
}
