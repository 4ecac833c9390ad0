// The bottleneck section of /leitung: the three slowest steps in a sentence, two SVG charts (per step,
// per month) each followed by its data table, the throughput table, a GET filter form (chain type,
// department, period) and the CSV link with the same filters. Durations in working days.
import { deNumber } from '../../core/domain/analytics';
import { CHAIN_TITLES } from '../../core/domain/chains';
import { barChartSvg } from '../../core/format/bar-chart';
import { formatDay } from '../../core/format/dates';
import { html, select, field, type SafeHtml } from '../html';
import type { StepAnalytics } from '../services/analytics';
import { departmentName } from '../services/departments';

/** the section's query parameters on /leitung (German, apart from the process list's filters) */
export const ANALYTICS_PARAMS = { type: 'ketteArt', department: 'stelle', from: 'von', to: 'bis' } as const;

const val = (n: number | null) => (n === null ? '–' : deNumber(n));
const pct = (n: number | null) => (n === null ? '–' : `${deNumber(Math.round(n * 1000) / 10)} %`);
const MONTHS = ['Jan.', 'Feb.', 'März', 'Apr.', 'Mai', 'Juni', 'Juli', 'Aug.', 'Sep.', 'Okt.', 'Nov.', 'Dez.'];
export const monthLabel = (m: string) => `${MONTHS[Number(m.slice(5, 7)) - 1]} ${m.slice(0, 4)}`;

export function analyticsView(a: StepAnalytics, values: Record<string, string>, errors: Record<string, string>): SafeHtml {
  const dept = (id: string | null) => (id ? departmentName(a.departments, id) : 'Fallmanagement');
  const stepLabel = (i: { title: string; department: string | null }) => `${i.title} (${dept(i.department)})`;
  const q = new URLSearchParams();
  if (a.type) q.set('type', a.type);
  if (a.department) q.set('department', a.department);
  q.set('from', a.from);
  q.set('to', a.to);
  const top = a.items.slice(0, 12);
  return html`<section aria-labelledby="h-engpaesse" id="engpaesse"><h2 id="h-engpaesse">Engpässe: Dauer der Schritte</h2>
    <p class="hint">Dauer in Arbeitstagen (Montag bis Freitag ohne gesetzliche Feiertage in NRW), gezählt wie Fristen: vom Tag, an dem der Schritt aktiv wurde, bis zu dem Tag, an dem er erledigt war. Zeitraum ${formatDay(a.from)} bis ${formatDay(a.to)}${a.scope === 'own' ? '; nur Ihre eigenen Fälle' : ''}.</p>
    <form method="get" action="/leitung#engpaesse" class="filters" aria-label="Engpässe filtern">
      <div class="filter-grid">
        ${select({ name: ANALYTICS_PARAMS.type, id: 'a-type', label: 'Kette', value: values[ANALYTICS_PARAMS.type] ?? '', options: [['', 'alle'], ...Object.entries(CHAIN_TITLES)], error: errors.type })}
        ${select({ name: ANALYTICS_PARAMS.department, id: 'a-department', label: 'Stelle', value: values[ANALYTICS_PARAMS.department] ?? '', options: [['', 'alle'], ...a.departments.map((d): [string, string] => [d.id, d.name])], error: errors.department })}
        ${field({ name: ANALYTICS_PARAMS.from, id: 'a-from', label: 'Von', type: 'date', value: values[ANALYTICS_PARAMS.from] ?? a.from, error: errors.from })}
        ${field({ name: ANALYTICS_PARAMS.to, id: 'a-to', label: 'Bis', type: 'date', value: values[ANALYTICS_PARAMS.to] ?? a.to, error: errors.to })}
      </div>
      <button type="submit">Auswerten</button> <a href="/leitung#engpaesse">Zurücksetzen</a>
    </form>
    <p id="engpaesse-satz" class="summary"><strong>${a.summary}</strong></p>
    <p><a href="/api/analytics/steps.csv?${q.toString()}" download>Engpässe als CSV (Excel)</a></p>
    <div class="dash-grid wide">
      <section class="card full" aria-labelledby="h-je-schritt"><h3 id="h-je-schritt">Dauer je Schritt und Stelle</h3>
        ${barChartSvg({
          id: 'chart-steps',
          title: 'Dauer je Schritt und Stelle (die 12 langsamsten)',
          unit: 'Arbeitstagen',
          valueName: 'Median',
          secondaryName: '90. Perzentil',
          bars: top.map((i) => ({ label: stepLabel(i), value: i.medianDays, secondary: i.p90Days })),
        })}
        <div class="table-wrap" tabindex="0" role="region" aria-labelledby="h-je-schritt"><table id="table-steps"><caption>Daten zum Diagramm „Dauer je Schritt und Stelle“</caption>
          <thead><tr><th scope="col">Schritt</th><th scope="col">Stelle</th><th scope="col">erledigt</th><th scope="col">Median</th><th scope="col">90. Perz.</th><th scope="col">Frist</th><th scope="col">fristgerecht</th></tr></thead>
          <tbody>${
            a.items.length
              ? a.items.map(
                  (i) =>
                    html`<tr><th scope="row">${i.title}</th><td>${dept(i.department)}</td><td>${i.count}</td><td>${val(i.medianDays)}</td><td>${val(i.p90Days)}</td><td>${val(i.deadlineDays)}</td><td>${pct(i.onTimeShare)}</td></tr>`,
                )
              : html`<tr><td colspan="7">Keine erledigten Schritte im Zeitraum.</td></tr>`
          }</tbody></table></div>
      </section>
      <section class="card full" aria-labelledby="h-je-monat"><h3 id="h-je-monat">Dauer je Monat</h3>
        ${barChartSvg({
          id: 'chart-months',
          title: 'Dauer der erledigten Schritte je Monat',
          unit: 'Arbeitstagen',
          valueName: 'Median',
          secondaryName: '90. Perzentil',
          bars: a.months.map((m) => ({ label: monthLabel(m.month), value: m.medianDays, secondary: m.p90Days })),
        })}
        <div class="table-wrap" tabindex="0" role="region" aria-labelledby="h-je-monat"><table id="table-months"><caption>Daten zum Diagramm „Dauer je Monat“</caption>
          <thead><tr><th scope="col">Monat</th><th scope="col">erledigt</th><th scope="col">Median</th><th scope="col">90. Perz.</th><th scope="col">fristgerecht</th></tr></thead>
          <tbody>${a.months.map(
            (m) =>
              html`<tr><th scope="row">${monthLabel(m.month)}</th><td>${m.count}</td><td>${val(m.medianDays)}</td><td>${val(m.p90Days)}</td><td>${pct(m.onTimeShare)}</td></tr>`,
          )}</tbody></table></div>
      </section>
      <section class="card full" aria-labelledby="h-durchsatz"><h3 id="h-durchsatz">Durchsatz je Schritt</h3>
        <div class="table-wrap" tabindex="0" role="region" aria-labelledby="h-durchsatz"><table id="table-throughput"><caption>Schritte, die im Zeitraum aktiv wurden (Zugang) und erledigt wurden (Abgang)</caption>
          <thead><tr><th scope="col">Schritt</th><th scope="col">Stelle</th><th scope="col">Zugang</th><th scope="col">Abgang</th></tr></thead>
          <tbody>${
            a.throughput.length
              ? a.throughput.map(
                  (t) =>
                    html`<tr><th scope="row">${t.title}</th><td>${dept(t.department)}</td><td>${t.entered}</td><td>${t.left}</td></tr>`,
                )
              : html`<tr><td colspan="4">Keine Schritte im Zeitraum.</td></tr>`
          }</tbody></table></div>
      </section>
    </div>
  </section>`;
}
