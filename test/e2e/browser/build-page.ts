// Builds a page with Vite the way an application would: `relu-density` resolves to this
// repository's build (dist/), its dependencies from node_modules, everything bundled.
import { fileURLToPath } from 'node:url';
import { build, createLogger } from 'vite';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Builds the page at `root` (an index.html) into `outDir`; the web demo passes its own config
 * file. Returns Vite's warnings (what an application's build would print about the package).
 */
export async function buildPage(root: string, outDir: string, configFile: string | false = false): Promise<string[]> {
  const warnings: string[] = [];
  const logger = createLogger('warn');
  logger.warn = (msg) => void warnings.push(msg);
  logger.warnOnce = (msg) => void warnings.push(msg);
  await build({
    root,
    configFile,
    customLogger: logger,
    logLevel: 'warn',
    base: './',
    ...(configFile
      ? {}
      : {
          resolve: {
            alias: [
              { find: /^relu-density$/, replacement: `${REPO}dist/index.js` },
              { find: /^relu-density\/(.*)$/, replacement: `${REPO}dist/$1.js` },
            ],
          },
        }),
    build: { outDir, emptyOutDir: true, target: 'es2022', minify: false, reportCompressedSize: false },
  });
  return warnings;
}
