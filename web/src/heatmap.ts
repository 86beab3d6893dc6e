// Canvas heatmaps of d x d matrices on a diverging scale (blue < 0 < red, white at 0), so a
// covariance and an error matrix read the same way; the scale is symmetric about 0.

/** Red-white-blue for t in [-1, 1]; |t| > 1 saturates. */
export function divergingColor(t: number): [number, number, number] {
  const s = Math.max(-1, Math.min(1, t));
  const a = Math.abs(s);
  // towards (178, 24, 43) above 0 and (33, 102, 172) below: ColorBrewer RdBu's ends
  const end = s >= 0 ? [178, 24, 43] : [33, 102, 172];
  return [0, 1, 2].map((c) => Math.round(255 + (end[c] - 255) * a)) as [number, number, number];
}

/** Largest |value| (at least a tiny positive number, so a zero matrix still draws). */
export function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i]));
  return m > 0 ? m : 1e-300;
}

/**
 * Draws the row-major d x d `values` on `canvas`, one square per entry, colour = value / scale.
 * The canvas keeps its CSS size; its pixel size is set to a multiple of d so cells are sharp.
 */
export function drawHeatmap(canvas: HTMLCanvasElement, values: ArrayLike<number>, d: number, scale: number): void {
  const cell = Math.max(1, Math.floor(240 / d));
  canvas.width = canvas.height = cell * d;
  const ctx = canvas.getContext('2d');
  if (ctx === null) throw new Error('this browser gives no 2D canvas context');
  const img = ctx.createImageData(cell * d, cell * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      const [r, g, b] = divergingColor(values[i * d + j] / scale);
      for (let y = i * cell; y < (i + 1) * cell; y++) {
        for (let x = j * cell; x < (j + 1) * cell; x++) {
          const p = 4 * (y * cell * d + x);
          img.data[p] = r;
          img.data[p + 1] = g;
          img.data[p + 2] = b;
          img.data[p + 3] = 255;
        }
      }
    }
  }
  ctx.putImageData(img, 0, 0);
}
