// The assessment page (/faelle/:id/anamnese): the form of a new version by life area — situation, need,
// resources — started from the newest version, and every version read-only below it, newest first.
import { LIFE_AREAS, NEED_LEVELS, type AssessmentInput } from '../../core/domain/case-cycle';
import { LIFE_AREA_LABELS, NEED_LABELS } from '../../core/format/case-cycle-labels';
import { formatDateTime } from '../../core/format/dates';
import { csrfField, errorSummary, html, select, textarea, type SafeHtml } from '../html';

export interface AssessmentVersion {
  id: string;
  version: number;
  createdAt: string;
  areas: AssessmentInput['areas'];
}

export type FormState = {
  values: Record<string, string>;
  errors: Record<string, string>;
  key?: string;
  notice?: string;
  problem?: SafeHtml;
};

/** The newest version as the form's values (a re-assessment starts from it). */
export function assessmentFormValues(latest?: AssessmentVersion): Record<string, string> {
  const v: Record<string, string> = {};
  for (const a of latest?.areas ?? []) {
    v[`situation_${a.area}`] = a.situation;
    v[`need_${a.area}`] = a.need;
    v[`resources_${a.area}`] = a.resources ?? '';
  }
  return v;
}

function versionView(a: AssessmentVersion, newest: boolean): SafeHtml {
  return html`<section aria-labelledby="h-v${a.version}"><h2 id="h-v${a.version}">Fassung ${a.version} vom ${formatDateTime(a.createdAt)}${newest ? ' (aktuell)' : ' (frühere Fassung, nur lesbar)'}</h2>
    <table><thead><tr><th scope="col">Lebensbereich</th><th scope="col">Situation</th><th scope="col">Bedarf</th><th scope="col">Ressourcen</th></tr></thead>
    <tbody>${a.areas.map(
      (x) =>
        html`<tr><th scope="row">${LIFE_AREA_LABELS[x.area] ?? x.area}</th><td class="pre">${x.situation}</td><td>${NEED_LABELS[x.need] ?? x.need}</td><td class="pre">${x.resources ?? '–'}</td></tr>`,
    )}</tbody></table></section>`;
}

export function assessmentPageView(o: {
  caseId: string;
  csrf?: string;
  canChange: boolean;
  versions: AssessmentVersion[];
  state: FormState;
}): SafeHtml {
  const { values: v, errors } = o.state;
  const form = html`<section aria-labelledby="h-neu"><h2 id="h-neu">${o.versions.length ? 'Neue Fassung erfassen' : 'Anamnese erfassen'}</h2>
    <p class="hint">Nur ausgefüllte Lebensbereiche werden gespeichert. ${o.versions.length ? 'Die bisherige Fassung bleibt erhalten.' : ''}</p>
    <form method="post" action="/faelle/${o.caseId}/anamnese" novalidate>
      ${csrfField(o.csrf, o.state.key)}
      ${LIFE_AREAS.map((area) => {
        const label = LIFE_AREA_LABELS[area];
        return html`<fieldset><legend>${label}</legend>
        ${textarea({ name: `situation_${area}`, label: `Situation (${label})`, value: v[`situation_${area}`], error: errors[`situation_${area}`], rows: 3, maxlength: 4000 })}
        ${select({
          name: `need_${area}`,
          label: `Bedarf (${label})`,
          value: v[`need_${area}`] ?? '',
          error: errors[`need_${area}`],
          options: [['', '– nicht erfasst –'], ...NEED_LEVELS.map((n): [string, string] => [n, NEED_LABELS[n]])],
        })}
        ${textarea({ name: `resources_${area}`, label: `Ressourcen (${label}, optional)`, value: v[`resources_${area}`], error: errors[`resources_${area}`], rows: 2, maxlength: 4000 })}
      </fieldset>`;
      })}
      <button type="submit">Anamnese speichern</button>
    </form></section>`;
  return html`${o.state.notice ? html`<p class="notice ok" role="status">${o.state.notice}</p>` : ''}
    ${o.state.problem ?? errorSummary(errors)}
    ${o.canChange ? form : ''}
    ${o.versions.length ? o.versions.map((a, i) => versionView(a, i === 0)) : html`<p>Noch keine Anamnese erfasst.</p>`}`;
}
