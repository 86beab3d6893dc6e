/// <reference types="node" />
// The `relu-density` command line: one subcommand per file in src/cli/, loaded on demand so
// `--help` and light commands never pay for the heavy ones. Exit codes: 0 ok, 1 failure,
// 2 usage.
import { UsageError } from './cli/usage.js';

const COMMANDS: Record<string, { summary: string; load: () => Promise<{ run(argv: string[]): Promise<number> }> }> = {
  experiment: {
    summary: "re-run the paper's experiments (Figure 1) and draw them",
    load: () => import('./cli/experiment.js'),
  },
};

function help(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`);
  return `usage: relu-density <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nrelu-density <command> --help for a command's options.`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    console.log(help());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) throw new UsageError(`unknown command '${name}'\n\n${help()}`);
  return (await command.load()).run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) {
      console.error(`relu-density: ${err.message}`);
      process.exitCode = 2;
    } else {
      console.error(`relu-density: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = 1;
    }
  },
);
