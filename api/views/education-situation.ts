// The situation page's education part (issue 15): needs by kind and level against free seats, the gaps
// in text, an accessible SVG chart and the same figures as a table.
import { courseKindLabel } from '../../core/format/labels';
import { html, type SafeHtml } from '../html';
import type { EducationSituation } from '../services/education';

function chart(e: EducationSituation): SafeHtml {
  const max = Math.max(1, ...e.rows.flatMap((r) => [r.needed, r.freeSeats]));
  const w = 520,
    rowH = 34,
    left = 230,
    h = e.rows.length * rowH + 30;
  const len = (v: number) => (v / max) * (w - left - 40);
  return html`<figure>
    <svg role="img" aria-labelledby="edu-chart-title edu-chart-desc" viewBox="0 0 ${w} ${h}" width="100%" style="max-width:${w}px">
      <title id="edu-chart-title">Bildungsbedarf und freie Kursplätze nach Art und Niveau</title>
      <desc id="edu-chart-desc">${e.rows.map((r) => `${courseKindLabel(r.kind)} ${r.level}: ${r.needed} Bedarf, ${r.freeSeats} frei`).join('; ')}</desc>
      ${e.rows.map((r, i) => {
        const y = i * rowH + 4;
        return html`<g>
          <text x="0" y="${y + 18}" font-size="11">${courseKindLabel(r.kind)} ${r.level}</text>
          <rect x="${left}" y="${y}" width="${len(r.needed)}" height="13" fill="#0b4f8a"><title>${r.needed} Bedarf</title></rect>
          <text x="${left + len(r.needed) + 4}" y="${y + 11}" font-size="11">${r.needed}</text>
          <rect x="${left}" y="${y + 15}" width="${len(r.freeSeats)}" height="13" fill="#6aa84f"><title>${r.freeSeats} frei</title></rect>
          <text x="${left + len(r.freeSeats) + 4}" y="${y + 26}" font-size="11">${r.freeSeats}</text>
        </g>`;
      })}
      <text x="0" y="${h - 4}" font-size="12">blau: Bedarf (wartende Ketten), grün: freie Plätze</text>
    </svg>
    <figcaption>Die Zahlen des Diagramms stehen auch in der Tabelle.</figcaption>
  </figure>`;
}

export function educationSituationSection(e: EducationSituation): SafeHtml {
  return html`<h2>Bildung: Bedarf und freie Plätze</h2>
    <p>${e.neededTotal} ${e.neededTotal === 1 ? 'Kette wartet' : 'Ketten warten'} auf ein Bildungsangebot; ${e.freeSeatsTotal} Kursplätze sind frei${e.district ? ` (Stadtteil ${e.district}: Bedarfe dort oder ohne Stadtteil, Kurse dort oder stadtweit)` : ''}.</p>
    ${e.gaps.length ? html`<ul>${e.gaps.map((g) => html`<li>${g}</li>`)}</ul>` : html`<p>Keine Lücke bei den Bildungsangeboten.</p>`}
    ${e.rows.length ? chart(e) : ''}
    <table><caption>Bildungsbedarf und freie Plätze nach Art und Niveau</caption>
      <thead><tr><th scope="col">Art</th><th scope="col">Niveau</th><th scope="col">Bedarf</th><th scope="col">Freie Plätze</th><th scope="col">Lücke</th></tr></thead>
      <tbody>${e.rows.map(
        (r) =>
          html`<tr><th scope="row">${courseKindLabel(r.kind)}</th><td>${r.level}</td><td>${r.needed}</td><td>${r.freeSeats}</td><td>${r.gap}</td></tr>`,
      )}</tbody>
    </table>`;
}
