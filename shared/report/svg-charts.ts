import { escapeHtml } from '../escape-html.ts';

/**
 * Small inline SVG charts for the cohort report: no script, no font, no request. Each chart is
 * an image with a title and a description (`role="img"`, `aria-labelledby`), scales with its
 * container (a `viewBox`, no fixed size), and labels its values in text, never by colour alone.
 */

export const palette = {
  ink: '#1f2933',
  muted: '#52606d',
  grid: '#d9dee3',
  blue: '#1d4ed8',
  orange: '#b45309',
  green: '#15803d',
  red: '#b91c1c',
  gray: '#7b8794',
} as const;

interface ChartText {
  /** Unique in the page: the ids of the title and description derive from it. */
  id: string;
  title: string;
  /** The chart in words: what a screen reader says, and what it shows in one sentence or two. */
  description: string;
}

const width = 400;
const font = 13;

function frame(chart: ChartText, height: number, body: string): string {
  const id = escapeHtml(chart.id);
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${width} ${height}" width="100%" preserveAspectRatio="xMidYMid meet" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif" font-size="${font}">
<title id="${id}-title">${escapeHtml(chart.title)}</title>
<desc id="${id}-desc">${escapeHtml(chart.description)}</desc>
${body}
</svg>`;
}

/** A chart's plot: the area inside its margins (for axis labels and values). */
function plotArea(height: number, margins: { left: number; right: number; top: number; bottom: number }) {
  return {
    height,
    ...margins,
    plotWidth: width - margins.left - margins.right,
    plotHeight: height - margins.top - margins.bottom,
  };
}

const text = (x: number, y: number, content: string, attributes = '') =>
  `<text x="${fixed(x)}" y="${fixed(y)}"${attributes ? ` ${attributes}` : ''}>${escapeHtml(content)}</text>`;
const fixed = (value: number) => String(Math.round(value * 10) / 10);

/** Cuts a label to fit a column of `max` characters. */
const truncate = (label: string, max: number) => (label.length > max ? `${label.slice(0, max - 1)}…` : label);

export interface Series {
  name: string;
  values: (number | null)[];
  color: string;
  /** Dashed lines tell series apart without colour. */
  dashed?: boolean;
}

/** Lines over rounds, on a 0–`yMax` scale; a missing value breaks its line. */
export function lineChart(
  chart: ChartText & {
    xLabels: string[];
    series: Series[];
    yMax: number;
    formatY: (value: number) => string;
  },
): string {
  const { height, left, right, top, bottom, plotWidth, plotHeight } = plotArea(230, {
    left: 46,
    right: 12,
    top: 14,
    bottom: 34,
  });
  const count = chart.xLabels.length;
  const x = (i: number) => left + (count <= 1 ? plotWidth / 2 : (plotWidth * i) / (count - 1));
  const y = (value: number) => top + plotHeight * (1 - Math.min(value, chart.yMax) / chart.yMax);
  const parts: string[] = [];
  for (const step of [0, 0.25, 0.5, 0.75, 1]) {
    const value = chart.yMax * step;
    parts.push(
      `<line x1="${left}" x2="${width - right}" y1="${fixed(y(value))}" y2="${fixed(y(value))}" stroke="${palette.grid}" stroke-width="1"/>`,
      text(left - 6, y(value) + 4, chart.formatY(value), `text-anchor="end" fill="${palette.muted}"`),
    );
  }
  const every = Math.max(1, Math.ceil(count / 10));
  chart.xLabels.forEach((label, i) => {
    if (i % every === 0 || i === count - 1)
      parts.push(text(x(i), height - bottom + 18, label, `text-anchor="middle" fill="${palette.muted}"`));
  });
  for (const series of chart.series) {
    const runs: string[][] = [[]];
    series.values.forEach((value, i) => {
      if (value === null) runs.push([]);
      else runs.at(-1)?.push(`${fixed(x(i))},${fixed(y(value))}`);
    });
    for (const run of runs.filter((points) => points.length > 1)) {
      parts.push(
        `<polyline points="${run.join(' ')}" fill="none" stroke="${series.color}" stroke-width="2.5"${series.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
      );
    }
    series.values.forEach((value, i) => {
      if (value === null) return;
      parts.push(
        `<circle cx="${fixed(x(i))}" cy="${fixed(y(value))}" r="3.5" fill="${series.color}"><title>${escapeHtml(`${series.name}, ${chart.xLabels[i]}: ${chart.formatY(value)}`)}</title></circle>`,
      );
    });
  }
  return frame(chart, height, parts.join('\n'));
}

export interface Bar {
  label: string;
  value: number;
  /** How the value is written beside its bar (default: the number). */
  display?: string;
  color?: string;
}

/** Vertical bars with their values on top: a distribution, or a figure per round. */
export function columnChart(
  chart: ChartText & {
    bars: Bar[];
    yMax?: number;
    /** Said when every bar is 0. */
    empty: string;
  },
): string {
  const { height, left, right, top, bottom, plotWidth, plotHeight } = plotArea(220, {
    left: 12,
    right: 12,
    top: 22,
    bottom: 34,
  });
  const max = chart.yMax ?? Math.max(1, ...chart.bars.map((bar) => bar.value));
  const slot = plotWidth / Math.max(1, chart.bars.length);
  const barWidth = Math.max(2, slot * 0.7);
  const every = Math.max(1, Math.ceil(chart.bars.length / 12));
  const parts = [
    `<line x1="${left}" x2="${width - right}" y1="${top + plotHeight}" y2="${top + plotHeight}" stroke="${palette.grid}" stroke-width="1"/>`,
  ];
  chart.bars.forEach((bar, i) => {
    const h = (plotHeight * Math.min(bar.value, max)) / max;
    const cx = left + slot * i + slot / 2;
    const display = bar.display ?? String(bar.value);
    parts.push(
      `<rect x="${fixed(cx - barWidth / 2)}" y="${fixed(top + plotHeight - h)}" width="${fixed(barWidth)}" height="${fixed(h)}" fill="${bar.color ?? palette.blue}"><title>${escapeHtml(`${bar.label}: ${display}`)}</title></rect>`,
    );
    if (i % every === 0 || i === chart.bars.length - 1) {
      if (chart.bars.length <= 16 || bar.value > 0)
        parts.push(text(cx, top + plotHeight - h - 5, display, `text-anchor="middle" fill="${palette.ink}"`));
      parts.push(
        text(
          cx,
          height - bottom + 18,
          truncate(bar.label, 8),
          `text-anchor="middle" fill="${palette.muted}"`,
        ),
      );
    }
  });
  if (chart.bars.every((bar) => bar.value === 0))
    parts.push(
      text(width / 2, top + plotHeight / 2, chart.empty, `text-anchor="middle" fill="${palette.muted}"`),
    );
  return frame(chart, height, parts.join('\n'));
}

/** Horizontal bars with a label on the left and the value on the right: a funnel, a ranking. */
export function barList(chart: ChartText & { bars: Bar[]; max?: number }): string {
  const row = 28;
  const top = 6;
  const labelWidth = 156;
  const valueWidth = 56;
  const height = top * 2 + row * Math.max(1, chart.bars.length);
  const plotWidth = width - labelWidth - valueWidth;
  const max = chart.max ?? Math.max(1, ...chart.bars.map((bar) => bar.value));
  const parts = chart.bars.map((bar, i) => {
    const y = top + row * i;
    const w = Math.max(bar.value > 0 ? 2 : 0, (plotWidth * Math.min(bar.value, max)) / max);
    const display = bar.display ?? String(bar.value);
    return [
      text(
        labelWidth - 8,
        y + row / 2 + 4,
        truncate(bar.label, 18),
        `text-anchor="end" fill="${palette.ink}"`,
      ),
      `<rect x="${labelWidth}" y="${fixed(y + 5)}" width="${fixed(w)}" height="${row - 10}" rx="2" fill="${bar.color ?? palette.blue}"><title>${escapeHtml(`${bar.label}: ${display}`)}</title></rect>`,
      text(labelWidth + w + 6, y + row / 2 + 4, display, `fill="${palette.ink}"`),
    ].join('');
  });
  return frame(chart, height, parts.join('\n'));
}

/** One bar split into parts (e.g. detractors, passives, promoters), each labelled below it. */
export function stackedBar(chart: ChartText & { parts: Bar[] }): string {
  const height = 86;
  const left = 12;
  const plotWidth = width - left * 2;
  const total = chart.parts.reduce((sum, part) => sum + part.value, 0);
  const pieces: string[] = [];
  let offset = left;
  for (const part of chart.parts) {
    const w = total ? (plotWidth * part.value) / total : 0;
    const display = part.display ?? String(part.value);
    if (w > 0)
      pieces.push(
        `<rect x="${fixed(offset)}" y="10" width="${fixed(w)}" height="30" fill="${part.color ?? palette.blue}"><title>${escapeHtml(`${part.label}: ${display}`)}</title></rect>`,
      );
    offset += w;
  }
  const slot = plotWidth / Math.max(1, chart.parts.length);
  chart.parts.forEach((part, i) => {
    const x = left + slot * i;
    pieces.push(
      `<rect x="${fixed(x)}" y="56" width="12" height="12" fill="${part.color ?? palette.blue}"/>`,
      text(x + 17, 67, `${part.label}: ${part.display ?? part.value}`, `fill="${palette.ink}"`),
    );
  });
  if (total === 0)
    pieces.push(
      `<rect x="${left}" y="10" width="${plotWidth}" height="30" fill="none" stroke="${palette.grid}"/>`,
      text(width / 2, 30, 'no answers yet', `text-anchor="middle" fill="${palette.muted}"`),
    );
  return frame(chart, height, pieces.join('\n'));
}
