// The layers of src/, and every import pointing down them (cycles are npm test's dpdm step):
// surfaces (the entry points, cli, kernels, compat, experiments) -> the verbs (fit, sample) ->
// the model and estimators -> file sources (io) and streaming -> workers -> the kernel backend
// -> numerics and input checks (and the public types). A module may import its own layer or
// any below it, never one above: so a reader can take the layers one at a time, bottom up.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../../src');

/** Layer of a file of src/ by its folder (or its name, at the root); higher imports lower. */
const LAYERS: Record<string, number> = {
  'types.ts': 0,
  numerics: 0,
  input: 0,
  backend: 1,
  parallel: 2,
  stream: 3,
  io: 3,
  estimators: 4,
  model: 5,
  'fit.ts': 6,
  'sample.ts': 6,
  'index.ts': 7,
  'cli.ts': 7,
  'worker.ts': 7,
  'demo.ts': 7,
  cli: 7,
  kernels: 7,
  compat: 7,
  experiments: 7,
};

const layerOf = (file: string) => {
  const top = relative(SRC, file).split('/')[0];
  const layer = LAYERS[top];
  if (layer === undefined) throw new Error(`${relative(SRC, file)}: no layer for '${top}' (add it to test/unit/layers.test.ts)`);
  return layer;
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Relative module specifiers of a file: imports, re-exports and dynamic import()s. */
function imports(file: string): string[] {
  const src = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const visit = (n: ts.Node): void => {
    if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier))
      out.push(n.moduleSpecifier.text);
    if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword && ts.isStringLiteral(n.arguments[0])) out.push(n.arguments[0].text);
    ts.forEachChild(n, visit);
  };
  visit(src);
  return out.filter((s) => s.startsWith('.'));
}

describe('layers of src/', () => {
  const files = sources(SRC);

  it('every import points to the same layer or one below', () => {
    const upward: string[] = [];
    for (const file of files) {
      for (const spec of imports(file)) {
        const target = normalize(join(dirname(file), spec)).replace(/\.js$/, '.ts');
        if (layerOf(target) > layerOf(file)) upward.push(`${relative(SRC, file)} -> ${relative(SRC, target)}`);
      }
    }
    expect(files.length).toBeGreaterThan(90);
    expect(upward).toEqual([]);
  });

  it('the root of src/ holds only the entry points, the public types and the two verbs', () => {
    const root = readdirSync(SRC, { withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => e.name)
      .sort();
    expect(root).toEqual(['cli.ts', 'demo.ts', 'fit.ts', 'index.ts', 'sample.ts', 'types.ts', 'worker.ts']);
  });

  it('exactly one module calls the Wasm exports (backend/wasm/adapter.ts); the others only hand them on', () => {
    const holders = files.filter((f) => /\bKernelExports\b|\bkernelExports(Async)?\(/.test(readFileSync(f, 'utf8'))).map((f) => relative(SRC, f));
    // (select.ts and the worker handler only await the instantiation)
    expect(holders.sort()).toEqual([
      'backend/select.ts',
      'backend/wasm/adapter.ts',
      'backend/wasm/backend.ts',
      'backend/wasm/instance.ts',
      'kernels/index.ts',
      'kernels/wasm-engine.ts',
      'parallel/handler.ts',
    ]);
    // outside the adapter and the loader, the exports object is never called or read into
    for (const f of holders.filter((h) => !['backend/wasm/adapter.ts', 'backend/wasm/instance.ts'].includes(h))) {
      expect(readFileSync(join(SRC, f), 'utf8'), f).not.toMatch(/\b(ex|exports|kernelExports\(\))\.\w+/);
    }
  });
});
