// Vega-Lite spec -> Vega -> SVG string (headless: Vega's 'none' renderer, no browser), and
// SVG -> PNG with resvg (a maintained Rust SVG renderer, via @resvg/resvg-js). The one
// experiments module that needs Node (resvg is a native addon); the CLI imports it, neither
// the package root nor relu-density/experiments does.
//
// vega, vega-lite and @resvg/resvg-js are optional peer dependencies: some 80 packages and a
// native binary that only this figure needs. They are imported here, on demand, so that
// loading this module costs nothing and a missing package is reported by name instead of as
// a crash of the whole CLI at startup.
import type { TopLevelSpec } from 'vega-lite';
import type { Figure1Spec } from './spec.js';

/** The packages rendering needs, in the order users are told to install them. */
export const RENDER_PACKAGES = ['vega', 'vega-lite', '@resvg/resvg-js'] as const;

/** Some of RENDER_PACKAGES are not installed (resolvable) where relu-density is. */
export class MissingRenderPackagesError extends Error {
  override name = 'MissingRenderPackagesError';
  constructor(
    readonly missing: string[],
    options?: ErrorOptions,
  ) {
    const all = RENDER_PACKAGES.join(', ').replace(/, ([^,]*)$/, ' and $1');
    super(
      `rendering the figure needs the optional packages ${all}` +
        (missing.length < RENDER_PACKAGES.length ? ` (missing: ${missing.join(', ')})` : '') +
        `: npm install ${RENDER_PACKAGES.join(' ')}`,
      options,
    );
  }
}

export interface Renderer {
  /** The figure as an SVG document. */
  svg(spec: Figure1Spec): Promise<string>;
  /** An SVG document as PNG bytes, `scale` pixels per SVG unit, text in the system's fonts. */
  png(svg: string, scale?: number): Uint8Array;
}

/** Whether err says that `name` itself (not one of its own dependencies) cannot be found. */
function notFound(err: unknown, name: string): boolean {
  const { code, message } = (err ?? {}) as { code?: unknown; message?: unknown };
  // Node's ESM loader: "Cannot find package 'vega' imported from ..."; a CommonJS fallback
  // would say "Cannot find module 'vega'".
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && typeof message === 'string' && message.includes(`'${name}'`);
}

const IMPORTS: Record<(typeof RENDER_PACKAGES)[number], () => Promise<unknown>> = {
  vega: () => import('vega'),
  'vega-lite': () => import('vega-lite'),
  '@resvg/resvg-js': () => import('@resvg/resvg-js'),
};

/**
 * Loads the three packages; throws MissingRenderPackagesError naming the ones that are not
 * installed, or the loader's own error (with the package named) when one is installed but
 * broken (say, resvg without its native binary for this platform).
 */
export async function loadRenderer(): Promise<Renderer> {
  const settled = await Promise.allSettled(RENDER_PACKAGES.map((name) => IMPORTS[name]()));
  const missing = RENDER_PACKAGES.filter((name, i) => settled[i].status === 'rejected' && notFound((settled[i] as PromiseRejectedResult).reason, name));
  if (missing.length > 0) {
    const first = settled.find((s) => s.status === 'rejected') as PromiseRejectedResult;
    throw new MissingRenderPackagesError([...missing], { cause: first.reason });
  }
  settled.forEach((s, i) => {
    if (s.status === 'rejected') {
      const reason = s.reason instanceof Error ? s.reason.message : String(s.reason);
      throw new Error(`cannot load ${RENDER_PACKAGES[i]}, needed to render the figure: ${reason}`, { cause: s.reason });
    }
  });
  const [vega, vegaLite, resvg] = settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as [
    typeof import('vega'),
    typeof import('vega-lite'),
    typeof import('@resvg/resvg-js'),
  ];
  return {
    async svg(spec) {
      // The spec is built for vega-lite v6 (its $schema); figure1Spec only types it loosely.
      const view = new vega.View(vega.parse(vegaLite.compile(spec as unknown as TopLevelSpec).spec), { renderer: 'none' });
      try {
        return await view.toSVG();
      } finally {
        view.finalize();
      }
    },
    png(svg, scale = 2) {
      const r = new resvg.Resvg(svg, {
        fitTo: { mode: 'zoom', value: scale },
        background: 'white',
        font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
      });
      return r.render().asPng();
    },
  };
}
