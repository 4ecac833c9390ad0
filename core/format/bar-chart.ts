// Horizontal bar charts as accessible SVG, server-rendered (no client framework): role="img" with a
// <title> and a <desc> that states every value in words, so the chart reads without seeing it; the
// pages put the same numbers in a data table right after it. A viewBox makes it scale to its card.
// Pure (no Node imports): the pages and the report PDF's text alternatives use the same description.
import { html, SafeHtml } from '../html';

export interface Bar {
  label: string;
  /** main value (drawn dark) */
  value: number | null;
  /** optional second value drawn lighter behind it (e.g. the 90th percentile) */
  secondary?: number | null;
}

export interface BarChart {
  id: string;
  title: string;
  unit: string;
  valueName: string;
  secondaryName?: string;
  bars: Bar[];
}

const de = (n: number) => n.toLocaleString('de-DE', { maximumFractionDigits: 1 });

/** the chart in words: "Median: Mietübernahme 9 Arbeitstage (90. Perzentil 12); …" */
export function describeChart(c: BarChart): string {
  if (!c.bars.length) return `${c.title}: keine Daten.`;
  return `${c.title}. ${c.bars
    .map(
      (b) =>
        `${b.label}: ${c.valueName} ${b.value === null ? 'keine Angabe' : `${de(b.value)} ${c.unit}`}` +
        (c.secondaryName && b.secondary !== undefined && b.secondary !== null ? ` (${c.secondaryName} ${de(b.secondary)})` : ''),
    )
    .join('; ')}.`;
}

export function barChartSvg(c: BarChart): SafeHtml {
  const labelW = 340;
  const barW = 380;
  const rowH = 26;
  const top = 8;
  const height = top + Math.max(1, c.bars.length) * rowH + 24;
  const max = Math.max(1, ...c.bars.flatMap((b) => [b.value ?? 0, b.secondary ?? 0]));
  const x = (v: number) => Math.round((v / max) * barW);
  const clip = (s: string) => (s.length > 44 ? `${s.slice(0, 43)}…` : s);
  return html`<svg class="chart" viewBox="0 0 ${labelW + barW + 70} ${height}" role="img" aria-labelledby="${c.id}-title ${c.id}-desc" preserveAspectRatio="xMinYMin meet">
  <title id="${c.id}-title">${c.title}</title>
  <desc id="${c.id}-desc">${describeChart(c)}</desc>
  ${c.bars.map((b, i) => {
    const y = top + i * rowH;
    return html`<g>
    <text x="${labelW - 6}" y="${y + 17}" text-anchor="end" font-size="12">${clip(b.label)}</text>
    ${b.secondary !== undefined && b.secondary !== null ? html`<rect x="${labelW}" y="${y + 4}" width="${x(b.secondary)}" height="18" fill="#9fb8d6"></rect>` : ''}
    <rect x="${labelW}" y="${y + 8}" width="${x(b.value ?? 0)}" height="10" fill="#1d4f91"></rect>
    <text x="${labelW + Math.max(x(b.value ?? 0), x(b.secondary ?? 0)) + 6}" y="${y + 17}" font-size="12">${b.value === null ? '–' : de(b.value)}</text>
  </g>`;
  })}
  <text x="${labelW}" y="${height - 6}" font-size="12">${c.valueName} (dunkel)${c.secondaryName ? `, ${c.secondaryName} (hell)` : ''} in ${c.unit}</text>
</svg>`;
}
