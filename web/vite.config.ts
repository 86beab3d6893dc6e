// The demo page imports the package by its name; the alias points at the repository's own
// build (dist/, made by `npm run build`), so the page runs exactly what is published.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const dist = (file: string) => fileURLToPath(new URL(`../dist/${file}`, import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  resolve: {
    alias: [
      { find: /^relu-density$/, replacement: dist('index.js') },
      { find: /^relu-density\/(.*)$/, replacement: dist('$1.js') },
    ],
  },
  worker: { format: 'es' },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 1024 },
  server: { host: '127.0.0.1', port: 5173, strictPort: false },
  preview: { host: '127.0.0.1', port: 4173 },
});
