// The situation analysis page (/bestand/lage, issue 15): the gaps in text, an accessible SVG bar chart
// (waiting households vs fitting open flats by household size) with the same figures as a table,
// filterable by district, and the monthly trend. Partners: api/pages/partner-pages.ts.
import type { Request, Response } from 'express';
import { currentSituation, situationTrend } from '../../core/inventory-data';
import type { Situation } from '../../core/domain/inventory/situation';
import { ROLES } from '../access';
import type { AppDeps } from '../deps';
import { html, type SafeHtml } from '../html';
import { layout, pageRouter } from './page-route';
import { educationSituationData } from '../services/education';
import { educationSituationSection } from '../views/education-situation';

const ACCESS = { roles: ROLES.caseFiles, denied: 'Die Bestandsaufnahme ist für Fallmanagement und Leitung.' };

function chart(s: Situation): SafeHtml {
  const max = Math.max(1, ...s.rows.flatMap((r) => [r.waiting, r.fittingFlats]));
  const w = 520,
    h = 220,
    left = 40,
    base = 180,
    group = (w - left) / s.rows.length;
  const y = (v: number) => base - (v / max) * 150;
  return html`<figure>
    <svg role="img" aria-labelledby="chart-title chart-desc" viewBox="0 0 ${w} ${h}" width="100%" style="max-width:${w}px">
      <title id="chart-title">Wartende Haushalte und passende freie Wohnungen nach Haushaltsgröße</title>
      <desc id="chart-desc">${s.rows.map((r) => `${r.householdSize} Pers.: ${r.waiting} wartend, ${r.fittingFlats} passend frei`).join('; ')}</desc>
      <line x1="${left}" y1="${base}" x2="${w}" y2="${base}" stroke="#333"></line>
      ${s.rows.map((r, i) => {
        const x = left + i * group + 8;
        return html`<g>
          <rect x="${x}" y="${y(r.waiting)}" width="${group / 2 - 10}" height="${base - y(r.waiting)}" fill="#0b4f8a"><title>${r.householdSize} Pers.: ${r.waiting} wartend</title></rect>
          <rect x="${x + group / 2 - 6}" y="${y(r.fittingFlats)}" width="${group / 2 - 10}" height="${base - y(r.fittingFlats)}" fill="#6aa84f"><title>${r.householdSize} Pers.: ${r.fittingFlats} passend frei</title></rect>
          <text x="${x + group / 2 - 8}" y="${base + 16}" text-anchor="middle" font-size="12">${r.householdSize}</text>
          <text x="${x + group / 4 - 5}" y="${y(r.waiting) - 4}" text-anchor="middle" font-size="11">${r.waiting}</text>
          <text x="${x + (3 * group) / 4 - 11}" y="${y(r.fittingFlats) - 4}" text-anchor="middle" font-size="11">${r.fittingFlats}</text>
        </g>`;
      })}
      <text x="${left}" y="${h - 4}" font-size="12">Haushaltsgröße (Personen) – blau: wartend, grün: passend frei</text>
    </svg>
    <figcaption>Die Zahlen des Diagramms stehen auch in der Tabelle.</figcaption>
  </figure>`;
}

const num = (v: number | null) => (v === null ? '–' : v.toLocaleString('de-DE'));

export function situationPages(deps: AppDeps) {
  const pages = pageRouter();
  pages.get('/bestand/lage', ACCESS, async (req: Request, res: Response) => {
    const district = typeof req.query.district === 'string' ? req.query.district.trim().slice(0, 100) : '';
    const [s, trend, districts, education] = await Promise.all([
      currentSituation(deps.db, { district: district || undefined }),
      situationTrend(deps.db),
      // GROUP BY in PostgreSQL (Prisma's `distinct` reads every row and dedupes in JS)
      deps.db.housingOffer.groupBy({ by: ['district'], orderBy: { district: 'asc' }, take: 200 }),
      educationSituationData(deps.db, { district: district || undefined }),
    ]);
    const q = district ? `?district=${encodeURIComponent(district)}` : '';
    res.send(
      layout(
        deps,
        req,
        'Situationsanalyse Wohnen',
        html`<form method="get" action="/bestand/lage" class="filters">
          <label for="f-district">Stadtteil</label>
          <select id="f-district" name="district"><option value="">alle</option>${districts.map(
            (d) => html`<option${d.district === district ? html` selected` : ''}>${d.district}</option>`,
          )}</select>
          <button type="submit">Anzeigen</button>
        </form>
        <p>${s.waitingTotal} Haushalte warten auf eine Wohnung; ${s.openTotal} Wohnungen sind frei${s.district ? ` (Stadtteil ${s.district})` : ''}.</p>
        <h2>Lücken</h2>
        ${s.gaps.length ? html`<ul>${s.gaps.map((g) => html`<li>${g}</li>`)}</ul>` : html`<p>Keine Lücke: für jede Haushaltsgröße gibt es genug passende Wohnungen.</p>`}
        <h2>Bedarf und Angebot nach Haushaltsgröße</h2>
        ${chart(s)}
        <table><caption>Bedarf und Angebot nach Haushaltsgröße</caption>
          <thead><tr><th scope="col">Haushaltsgröße</th><th scope="col">Wartend</th><th scope="col">Wartezeit Median (Tage)</th><th scope="col">Mietobergrenze (EUR)</th><th scope="col">Frei (Zimmerzahl passend)</th><th scope="col">Davon passend</th><th scope="col">Bruttokaltmiete Median (EUR)</th><th scope="col">Lücke</th></tr></thead>
          <tbody>${s.rows.map(
            (r) =>
              html`<tr><th scope="row">${r.householdSize}</th><td>${r.waiting}</td><td>${num(r.medianWaitingDays)}</td><td>${num(r.rentCap)}</td><td>${r.openFlats}</td><td>${r.fittingFlats}</td><td>${num(r.medianGrossRent)}</td><td>${r.gap}</td></tr>`,
          )}</tbody>
        </table>
        ${educationSituationSection(education)}
        <p><a href="/api/situation.csv${q}">Als CSV (Excel) herunterladen</a></p>
        <h2>Verlauf (Monatswerte)</h2>
        ${
          trend.length
            ? html`<table><caption>Monatswerte</caption><thead><tr><th scope="col">Monat</th><th scope="col">Wartende Haushalte</th><th scope="col">Freie Wohnungen</th><th scope="col">Bildungsbedarf</th><th scope="col">Freie Kursplätze</th></tr></thead>
            <tbody>${trend.map((t) => html`<tr><th scope="row">${t.month}</th><td>${t.waitingTotal}</td><td>${t.openTotal}</td><td>${num(t.educationNeeded)}</td><td>${num(t.freeSeats)}</td></tr>`)}</tbody></table>`
            : html`<p>Noch keine Monatswerte.</p>`
        }`,
      ),
    );
  });

  return pages.router;
}
