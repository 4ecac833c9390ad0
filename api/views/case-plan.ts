// The help plan pages: /faelle/:id/hilfeplan (the plan in force with goals, the chains started from
// them, agreed actions, the review form; earlier versions read-only) and /faelle/:id/hilfeplan/neu (a
// new version, started from the open goals of the last one).
import { GOAL_RATINGS, LIFE_AREAS } from '../../core/domain/case-cycle';
import { CHAIN_TYPES } from '../../core/domain/chains';
import { LIFE_AREA_LABELS, ownerLabel, RATING_LABELS } from '../../core/format/case-cycle-labels';
import { formatDateTime, formatDay } from '../../core/format/dates';
import { chainTitle, processStatusLabel } from '../../core/format/labels';
import { csrfField, errorSummary, field, html, radios, select, textarea, type SafeHtml } from '../html';
import type { planView } from '../services/case-cycle';
import type { FormState } from './case-assessment';

export type PlanView = ReturnType<typeof planView>;
export const GOAL_ROWS_MAX = 20;
export const ACTION_ROWS_MAX = 50;

/** the chain a goal of this life area usually starts */
const CHAIN_FOR_AREA: Record<string, string> = { housing: 'move-out', education_work: 'education-work' };

function goalView(
  caseId: string,
  plan: PlanView,
  g: PlanView['goals'][number],
  n: number,
  o: { csrf?: string; canStart: boolean; chainError?: string },
): SafeHtml {
  return html`<li id="ziel-${g.id}"><h4>Ziel ${n}: ${LIFE_AREA_LABELS[g.area] ?? g.area}</h4>
    <p class="pre">${g.text}</p>
    <p>Zieldatum: ${formatDay(g.targetDate)}${g.rating ? html` · Bewertung: <strong>${RATING_LABELS[g.rating] ?? g.rating}</strong>${g.ratingNote ? ` – ${g.ratingNote}` : ''}` : ''}</p>
    ${
      g.chains.length
        ? html`<p>Ketten aus diesem Ziel:</p><ul>${g.chains.map((c) => html`<li><a href="/prozesse/${c.id}">${chainTitle(c.type)}</a> (${processStatusLabel(c.status)})</li>`)}</ul>`
        : ''
    }
    ${
      o.canStart
        ? html`<form method="post" action="/faelle/${caseId}/hilfeplan/${plan.id}/ziele/${g.id}/kette" novalidate>
      ${csrfField(o.csrf)}
      ${select({
        name: 'type',
        id: `f-chainType-${g.id}`,
        label: `Kette für Ziel ${n}`,
        value: CHAIN_FOR_AREA[g.area] ?? '',
        error: o.chainError,
        options: [['', '– bitte wählen –'], ...CHAIN_TYPES.map((t): [string, string] => [t, chainTitle(t)])],
      })}
      <button type="submit">Kette aus Ziel ${n} starten</button></form>`
        : ''
    }</li>`;
}

function planSection(
  caseId: string,
  p: PlanView,
  o: { csrf?: string; current: boolean; canChange: boolean; departments: Record<string, string>; chainErrors: Record<string, string> },
): SafeHtml {
  const hid = `h-plan-${p.version}`;
  return html`<section aria-labelledby="${hid}"><h2 id="${hid}">Hilfeplan, Fassung ${p.version}${o.current ? ' (in Kraft)' : ' (frühere Fassung, nur lesbar)'}</h2>
    <dl class="facts"><dt>Angelegt</dt><dd>${formatDateTime(p.createdAt)}</dd>
      <dt>Überprüfung am</dt><dd>${formatDay(p.reviewDate)}</dd>
      <dt>Überprüft</dt><dd>${p.reviewedAt ? formatDateTime(p.reviewedAt) : 'noch nicht'}</dd></dl>
    <p><a href="/api/cases/${caseId}/plans/${p.id}.pdf">Hilfeplan, Fassung ${p.version} als PDF (zur Unterschrift)</a></p>
    <h3>Ziele</h3>
    <ol class="goals">${p.goals.map((g, i) =>
      goalView(caseId, p, g, i + 1, {
        csrf: o.csrf,
        canStart: o.current && o.canChange && !['achieved', 'dropped'].includes(g.rating ?? ''),
        chainError: o.chainErrors[g.id],
      }),
    )}</ol>
    <h3>Vereinbarte Maßnahmen</h3>
    ${
      p.actions.length
        ? html`<table><thead><tr><th scope="col">Maßnahme</th><th scope="col">Wer</th><th scope="col">Fällig am</th></tr></thead>
      <tbody>${p.actions.map((a) => html`<tr><td class="pre">${a.text}</td><td>${ownerLabel(a.owner, o.departments)}</td><td>${formatDay(a.dueDate)}</td></tr>`)}</tbody></table>`
        : html`<p>Keine Maßnahmen vereinbart.</p>`
    }</section>`;
}

function reviewForm(caseId: string, p: PlanView, csrf: string | undefined, s: FormState): SafeHtml {
  return html`<section aria-labelledby="h-review"><h2 id="h-review">Hilfeplan überprüfen</h2>
    <p class="hint">Bitte jedes Ziel bewerten. Ziele, die nicht erreicht oder nur teilweise erreicht sind, gehen in die nächste Fassung über.</p>
    <form method="post" action="/faelle/${caseId}/hilfeplan/${p.id}/ueberpruefung" novalidate>
      ${csrfField(csrf, s.key)}
      ${p.goals.map(
        (g, i) => html`<div class="goal-review">
        ${radios({
          name: `rating_${g.id}`,
          legend: `Ziel ${i + 1} (${LIFE_AREA_LABELS[g.area] ?? g.area}): ${g.text}`,
          required: true,
          value: s.values[`rating_${g.id}`],
          error: s.errors[`rating_${g.id}`],
          options: GOAL_RATINGS.map((r): [string, string] => [r, RATING_LABELS[r]]),
        })}
        ${textarea({ name: `note_${g.id}`, label: `Anmerkung zu Ziel ${i + 1} (optional)`, value: s.values[`note_${g.id}`], error: s.errors[`note_${g.id}`], rows: 2, maxlength: 2000 })}
      </div>`,
      )}
      <button type="submit">Überprüfung speichern</button>
    </form></section>`;
}

export function planPageView(o: {
  caseId: string;
  csrf?: string;
  canChange: boolean;
  plans: PlanView[];
  departments: Record<string, string>;
  review: FormState;
  chainErrors?: Record<string, string>;
}): SafeHtml {
  const [current, ...earlier] = o.plans;
  const common = { csrf: o.csrf, canChange: o.canChange, departments: o.departments, chainErrors: o.chainErrors ?? {} };
  return html`${o.review.notice ? html`<p class="notice ok" role="status">${o.review.notice}</p>` : ''}
    ${o.review.problem ?? errorSummary({ ...o.review.errors, ...Object.fromEntries(Object.entries(o.chainErrors ?? {}).map(([g, m]) => [`chainType-${g}`, m])) })}
    ${o.canChange ? html`<p><a href="/faelle/${o.caseId}/hilfeplan/neu">${current ? 'Neue Fassung des Hilfeplans anlegen' : 'Hilfeplan anlegen'}</a></p>` : ''}
    ${current ? planSection(o.caseId, current, { ...common, current: true }) : html`<p>Noch kein Hilfeplan angelegt.</p>`}
    ${current && !current.reviewedAt && o.canChange ? reviewForm(o.caseId, current, o.csrf, o.review) : ''}
    ${earlier.length ? html`<h2>Frühere Fassungen</h2>${earlier.map((p) => planSection(o.caseId, p, { ...common, current: false }))}` : ''}`;
}

/** The new version's form values: the open goals of the last version, empty rows after them. */
export function newPlanFormValues(last?: PlanView): Record<string, string> {
  const v: Record<string, string> = {};
  const open = (last?.goals ?? []).filter((g) => !['achieved', 'dropped'].includes(g.rating ?? ''));
  open.forEach((g, i) => {
    v[`fromGoalId_${i}`] = g.id;
    v[`goalArea_${i}`] = g.area;
    v[`goalText_${i}`] = g.text;
    v[`goalTarget_${i}`] = g.targetDate;
  });
  return v;
}

/** rows shown: those with a value, at least `min`, plus two empty ones */
function rowCount(values: Record<string, string>, prefix: string, min: number, max: number) {
  let last = -1;
  for (const k of Object.keys(values)) {
    const m = new RegExp(`^${prefix}_(\\d+)$`).exec(k);
    if (m && values[k]) last = Math.max(last, Number(m[1]));
  }
  return Math.min(max, Math.max(min, last + 3));
}

export function newPlanView(o: {
  caseId: string;
  csrf?: string;
  state: FormState;
  owners: Array<[string, string]>;
  carried: number;
}): SafeHtml {
  const { values: v, errors } = o.state;
  const goals = rowCount(v, '(?:goalText|goalTarget|fromGoalId)', 3, GOAL_ROWS_MAX);
  const actions = rowCount(v, '(?:actionText|actionDue)', 3, ACTION_ROWS_MAX);
  return html`${o.state.problem ?? errorSummary(errors)}
    <p><a href="/faelle/${o.caseId}/hilfeplan">Zurück zum Hilfeplan</a></p>
    ${o.carried ? html`<p class="hint">${o.carried} offene${o.carried === 1 ? 's Ziel' : ' Ziele'} aus der letzten Fassung übernommen; ein geleertes Ziel entfällt.</p>` : ''}
    <form method="post" action="/faelle/${o.caseId}/hilfeplan/neu" novalidate>
      ${csrfField(o.csrf, o.state.key)}
      <h2>Ziele</h2><p class="hint">Leere Zeilen werden nicht gespeichert.</p>
      ${Array.from(
        { length: goals },
        (_, i) => html`<fieldset><legend>Ziel ${i + 1}</legend>
        ${v[`fromGoalId_${i}`] ? html`<input type="hidden" name="fromGoalId_${i}" value="${v[`fromGoalId_${i}`]}"><p class="hint">aus der letzten Fassung übernommen</p>` : ''}
        ${select({ name: `goalArea_${i}`, label: `Lebensbereich (Ziel ${i + 1})`, value: v[`goalArea_${i}`] ?? '', error: errors[`goalArea_${i}`], options: [['', '– bitte wählen –'], ...LIFE_AREAS.map((a): [string, string] => [a, LIFE_AREA_LABELS[a]])] })}
        ${textarea({ name: `goalText_${i}`, label: `Formulierung (Ziel ${i + 1})`, value: v[`goalText_${i}`], error: errors[`goalText_${i}`], rows: 2, maxlength: 1000 })}
        ${field({ name: `goalTarget_${i}`, label: `Zieldatum (Ziel ${i + 1})`, type: 'date', value: v[`goalTarget_${i}`], error: errors[`goalTarget_${i}`] })}
      </fieldset>`,
      )}
      <h2>Vereinbarte Maßnahmen</h2>
      ${Array.from(
        { length: actions },
        (_, i) => html`<fieldset><legend>Maßnahme ${i + 1}</legend>
        ${textarea({ name: `actionText_${i}`, label: `Was (Maßnahme ${i + 1})`, value: v[`actionText_${i}`], error: errors[`actionText_${i}`], rows: 2, maxlength: 1000 })}
        ${select({ name: `actionOwner_${i}`, label: `Wer (Maßnahme ${i + 1})`, value: v[`actionOwner_${i}`] ?? '', error: errors[`actionOwner_${i}`], options: [['', '– bitte wählen –'], ...o.owners] })}
        ${field({ name: `actionDue_${i}`, label: `Fällig am (Maßnahme ${i + 1})`, type: 'date', value: v[`actionDue_${i}`], error: errors[`actionDue_${i}`] })}
      </fieldset>`,
      )}
      <h2>Überprüfung</h2>
      ${field({ name: 'reviewDate', label: 'Überprüfung des Hilfeplans am', type: 'date', required: true, value: v.reviewDate, error: errors.reviewDate })}
      <button type="submit">Hilfeplan speichern</button>
    </form>`;
}
