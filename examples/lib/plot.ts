/**
 * Tiny SVG plots for the examples: a spike raster and a line chart, as strings a person can open
 * in any browser. No dependencies; not part of the library.
 */
export interface RasterData {
  title: string;
  timesMs: ArrayLike<number>;
  ranks: ArrayLike<number>;
  durationMs: number;
  neurons: number;
}

const W = 640;
const H = 220;
const M = { left: 48, right: 12, top: 24, bottom: 32 };

function frame(title: string, xLabel: string, yLabel: string, body: string): string {
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11">
<rect width="${W}" height="${H}" fill="white"/>
<text x="${M.left}" y="15" font-weight="bold">${escape(title)}</text>
<g transform="translate(${M.left},${M.top})">
<rect width="${pw}" height="${ph}" fill="none" stroke="#999"/>
${body}
<text x="${pw / 2}" y="${ph + 26}" text-anchor="middle">${escape(xLabel)}</text>
<text transform="translate(-34,${ph / 2}) rotate(-90)" text-anchor="middle">${escape(yLabel)}</text>
</g></svg>`;
}

export function rasterSvg(d: RasterData): string {
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const dots: string[] = [];
  for (let k = 0; k < d.timesMs.length; k++) {
    const x = ((d.timesMs[k] as number) / d.durationMs) * pw;
    const y = ph - (((d.ranks[k] as number) + 0.5) / d.neurons) * ph;
    dots.push(`M${x.toFixed(1)} ${y.toFixed(1)}h1`);
  }
  const body = `<path d="${dots.join('')}" stroke="black" stroke-width="1.2"/>
<text x="0" y="${ph + 12}">0</text><text x="${pw}" y="${ph + 12}" text-anchor="end">${d.durationMs}</text>
<text x="-4" y="${ph}" text-anchor="end">0</text><text x="-4" y="8" text-anchor="end">${d.neurons - 1}</text>`;
  return frame(d.title, 'time (ms)', 'neuron', body);
}

export function lineSvg(title: string, xs: number[], ys: number[], xLabel: string, yLabel: string): string {
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const y1 = Math.max(...ys, 1e-9) * 1.1;
  const px = (x: number) => ((x - x0) / (x1 - x0 || 1)) * pw;
  const py = (y: number) => ph - (y / y1) * ph;
  const path = xs.map((x, i) => `${i ? 'L' : 'M'}${px(x).toFixed(1)} ${py(ys[i] as number).toFixed(1)}`).join('');
  const points = xs.map((x, i) => `<circle cx="${px(x).toFixed(1)}" cy="${py(ys[i] as number).toFixed(1)}" r="3"/>`).join('');
  const body = `<path d="${path}" fill="none" stroke="steelblue" stroke-width="2"/>${points}
<text x="0" y="${ph + 12}">${x0}</text><text x="${pw}" y="${ph + 12}" text-anchor="end">${x1}</text>
<text x="-4" y="${ph}" text-anchor="end">0</text><text x="-4" y="8" text-anchor="end">${y1.toFixed(1)}</text>`;
  return frame(title, xLabel, yLabel, body);
}

/** An HTML page stacking several SVG figures. */
export function page(title: string, figures: string[]): string {
  return `<!doctype html><meta charset="utf-8"><title>${escape(title)}</title>
<body style="font-family:sans-serif"><h1>${escape(title)}</h1>
${figures.map((f) => `<div>${f}</div>`).join('\n')}</body>`;
}

function escape(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
}
