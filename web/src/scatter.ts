// b_hat against b*: one point per coordinate and method on a canvas, with the line y = x
// (a perfect fit lies on it). Methods differ in shape as well as colour.

export interface Series {
  label: string;
  /** Estimates, one per coordinate (y). */
  values: ArrayLike<number>;
  color: string;
  shape: 'circle' | 'cross';
}

const SIZE = 260;
const PAD = 44;

export function drawScatter(canvas: HTMLCanvasElement, truth: ArrayLike<number>, series: Series[]): void {
  const dpr = Math.max(1, Math.round(globalThis.devicePixelRatio ?? 1));
  canvas.width = canvas.height = SIZE * dpr;
  canvas.style.width = canvas.style.height = `${SIZE}px`;
  const ctx = canvas.getContext('2d');
  if (ctx === null) throw new Error('this browser gives no 2D canvas context');
  ctx.scale(dpr, dpr);
  ctx.clearRect(0, 0, SIZE, SIZE);

  let lo = Infinity;
  let hi = -Infinity;
  for (const v of [truth, ...series.map((s) => s.values)]) {
    for (let i = 0; i < v.length; i++) {
      lo = Math.min(lo, v[i]);
      hi = Math.max(hi, v[i]);
    }
  }
  const margin = Math.max(0.05, 0.06 * (hi - lo));
  lo -= margin;
  hi += margin;
  const px = (v: number) => PAD + ((v - lo) / (hi - lo)) * (SIZE - PAD - 8);
  const py = (v: number) => SIZE - PAD - ((v - lo) / (hi - lo)) * (SIZE - PAD - 8);

  ctx.strokeStyle = '#555';
  ctx.lineWidth = 1;
  ctx.strokeRect(PAD, 8, SIZE - PAD - 8, SIZE - PAD - 8);
  ctx.setLineDash([4, 3]);
  ctx.beginPath();
  ctx.moveTo(px(lo), py(lo));
  ctx.lineTo(px(hi), py(hi));
  ctx.stroke();
  ctx.setLineDash([]);

  ctx.fillStyle = '#222';
  ctx.font = '11px system-ui, sans-serif';
  ctx.textAlign = 'center';
  for (const v of [lo + margin, (lo + hi) / 2, hi - margin]) {
    ctx.fillText(v.toFixed(2), px(v), SIZE - PAD + 14);
    ctx.save();
    ctx.translate(PAD - 8, py(v));
    ctx.rotate(-Math.PI / 2);
    ctx.fillText(v.toFixed(2), 0, 0);
    ctx.restore();
  }
  ctx.fillText('b*', (PAD + SIZE) / 2, SIZE - 4);
  ctx.save();
  ctx.translate(10, (SIZE - PAD) / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText('b̂', 0, 0);
  ctx.restore();

  for (const s of series) {
    ctx.strokeStyle = ctx.fillStyle = s.color;
    ctx.lineWidth = 2;
    for (let i = 0; i < truth.length; i++) {
      const x = px(truth[i]);
      const y = py(s.values[i]);
      ctx.beginPath();
      if (s.shape === 'circle') {
        ctx.arc(x, y, 3.5, 0, 2 * Math.PI);
        ctx.stroke();
      } else {
        ctx.moveTo(x - 4, y - 4);
        ctx.lineTo(x + 4, y + 4);
        ctx.moveTo(x - 4, y + 4);
        ctx.lineTo(x + 4, y - 4);
        ctx.stroke();
      }
    }
  }
}
