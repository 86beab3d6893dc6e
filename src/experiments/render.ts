// Vega-Lite spec -> Vega -> SVG string (headless: Vega's 'none' renderer, no browser), and
// SVG -> PNG with resvg (a maintained Rust SVG renderer, via @resvg/resvg-js). The one
// experiments module that needs Node (resvg is a native addon); the CLI imports it, the
// package root does not.
import { Resvg } from '@resvg/resvg-js';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** The figure as an SVG document. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** An SVG document as PNG bytes, `scale` pixels per SVG unit, text in the system's fonts. */
export function svgToPng(svg: string, scale = 2): Uint8Array {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}
