/**
 * A small hand-written SVG line chart: one or more panels, each with a
 * logarithmic y axis, the same x values (pool sizes) on every panel, and a
 * line per series. No dependency; the output is a plain string.
 */

/** One line. */
export interface Series {
  readonly label: string;
  readonly color: string;
  /** One y per x; must be positive (the y axis is logarithmic). */
  readonly values: readonly number[];
}

/** One panel. */
export interface Panel {
  readonly title: string;
  readonly unit: string;
  readonly series: readonly Series[];
}

const WIDTH = 360;
const HEIGHT = 240;
const MARGIN = { left: 56, right: 16, top: 34, bottom: 44 };

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Powers of ten spanning [min, max]. */
function decades(min: number, max: number): number[] {
  const ticks: number[] = [];
  for (let p = Math.floor(Math.log10(min)); p <= Math.ceil(Math.log10(max)); p++) {
    ticks.push(10 ** p);
  }
  return ticks;
}

function formatTick(value: number): string {
  return value >= 1000 ? `${value / 1000}k` : String(value);
}

function renderPanel(panel: Panel, xs: readonly number[], offsetX: number): string {
  const values = panel.series.flatMap((s) => s.values).filter((v) => v > 0);
  const ticks = decades(Math.min(...values), Math.max(...values));
  const [lo = 1, hi = 10] = [ticks[0], ticks[ticks.length - 1]];
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (i: number): number => offsetX + MARGIN.left + (xs.length === 1 ? plotW / 2 : (i * plotW) / (xs.length - 1));
  const y = (v: number): number => MARGIN.top + plotH - ((Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo) || 1)) * plotH;
  const parts: string[] = [`<text x="${offsetX + WIDTH / 2}" y="18" text-anchor="middle" font-weight="bold">${escapeXml(panel.title)}</text>`];
  for (const t of ticks) {
    parts.push(`<line x1="${offsetX + MARGIN.left}" x2="${offsetX + WIDTH - MARGIN.right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#ddd"/>`);
    parts.push(`<text x="${offsetX + MARGIN.left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${formatTick(t)}</text>`);
  }
  xs.forEach((value, i) => {
    parts.push(`<text x="${x(i).toFixed(1)}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle">${value}</text>`);
  });
  parts.push(`<text x="${offsetX + WIDTH / 2}" y="${HEIGHT - 8}" text-anchor="middle">VMs in the pool</text>`);
  const midY = MARGIN.top + plotH / 2;
  parts.push(`<text x="${offsetX + 14}" y="${midY}" text-anchor="middle" transform="rotate(-90 ${offsetX + 14} ${midY})">${escapeXml(panel.unit)} (log scale)</text>`);
  for (const s of panel.series) {
    const points = s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`);
    parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${points.join(" ")}"/>`);
    s.values.forEach((v, i) => {
      parts.push(`<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3" fill="${s.color}"><title>${escapeXml(`${s.label}: ${v} at ${xs[i] ?? ""} VMs`)}</title></circle>`);
    });
  }
  return parts.join("\n");
}

/** The chart: panels side by side, a shared legend below. */
export function renderLineChart(panels: readonly Panel[], xs: readonly number[]): string {
  const width = WIDTH * panels.length;
  const legend = (panels[0]?.series ?? []).map((s, i) => `<rect x="${16 + i * 170}" y="${HEIGHT + 6}" width="12" height="12" fill="${s.color}"/><text x="${34 + i * 170}" y="${HEIGHT + 16}">${escapeXml(s.label)}</text>`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${HEIGHT + 28}" viewBox="0 0 ${width} ${HEIGHT + 28}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    ...panels.map((p, i) => renderPanel(p, xs, i * WIDTH)),
    ...legend,
    "</svg>",
    "",
  ].join("\n");
}
