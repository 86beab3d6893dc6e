import typescript from '@rollup/plugin-typescript';

// ESM bundles of the library and of the programs shipped with it; dependencies stay external.
export default {
  input: { index: 'src/index.ts', demo: 'src/demo.ts' },
  output: { dir: 'dist', format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
  external: [/^ml-matrix/, /^@assemblyscript\/loader/, /^node:/],
  plugins: [typescript({ tsconfig: './tsconfig.json', declaration: false, noEmitOnError: true })],
};
