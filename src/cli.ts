/// <reference types="node" />
// The `relu-density` command line (commands and exit codes: src/cli/main.ts).
import { main } from './cli/main.js';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
