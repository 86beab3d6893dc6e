/// <reference types="node" />
// The command table and the exit-code policy of the `relu-density` command line: one
// subcommand per file in src/cli/, loaded on demand so `--help` and light commands never pay
// for the heavy ones. Exit codes: 0 ok, 1 failure, 2 usage. Separate from src/cli.ts (which
// only runs it) so tests can call it in-process.
import { UsageError } from './usage.js';

const COMMANDS: Record<string, { summary: string; load: () => Promise<{ run(argv: string[]): Promise<number> }> }> = {
  fit: {
    summary: 'learn a model from a data file (.npy, .f64, .csv), streamed from disk',
    load: () => import('./fit.js'),
  },
  sample: {
    summary: 'draw rows from a model into a file (.npy, .f64, .csv), chunk by chunk',
    load: () => import('./sample.js'),
  },
  eval: {
    summary: 'compare a model with the truth (err_b, err_Sigma, KL, TV) or with data (goodness of fit)',
    load: () => import('./eval.js'),
  },
  experiment: {
    summary: "re-run the paper's experiments (Figure 1) and draw them",
    load: () => import('./experiment.js'),
  },
};

export function help(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`);
  return `usage: relu-density <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nrelu-density <command> --help for a command's options.\nExit codes: 0 ok, 1 failure, 2 usage.`;
}

async function dispatch(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    console.log(help());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) throw new UsageError(`unknown command '${name}'\n\n${help()}`);
  return (await command.load()).run(rest);
}

/** Runs a command line and returns its exit code; errors are printed to stderr. */
export async function main(argv: string[]): Promise<number> {
  try {
    return await dispatch(argv);
  } catch (err) {
    console.error(`relu-density: ${err instanceof Error ? err.message : String(err)}`);
    return err instanceof UsageError ? 2 : 1;
  }
}
