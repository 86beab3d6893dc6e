import typescript from '@rollup/plugin-typescript';

// ESM bundles of the library and of the programs shipped with it; dependencies stay external
// (the optional vega stack too: src/experiments/render.ts imports it at run time, if present).
export default {
  input: {
    index: 'src/index.ts',
    kernels: 'src/kernels/index.ts',
    compat: 'src/compat/index.ts',
    experiments: 'src/experiments/index.ts',
    demo: 'src/demo.ts',
    cli: 'src/cli.ts',
    worker: 'src/worker.ts',
  },
  output: {
    dir: 'dist',
    format: 'es',
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
    banner: (chunk) => (chunk.name === 'cli' ? '#!/usr/bin/env node' : ''),
    // no bare `import './chunk'` lines for ordering: esbuild warns on each one ("ignoring this
    // import ... marked as having no side effects") in every app that bundles the package
    hoistTransitiveImports: false,
  },
  external: [/^ml-matrix/, /^csv-parse/, /^npyjs/, /^@assemblyscript\/loader/, /^@stdlib\//, /^vega/, /^@resvg\//, /^node:/],
  plugins: [typescript({ tsconfig: './tsconfig.json', declaration: false, noEmitOnError: true })],
};
