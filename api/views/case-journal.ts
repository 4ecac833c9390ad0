// The journal page (/faelle/:id/verlauf): a new dated entry by kind with an optional goal, the entries
// newest first with their author, and for an edited entry its earlier versions (never overwritten
// silently). /faelle/:id/verlauf/:entryId is the edit form.
import { JOURNAL_KINDS } from '../../core/domain/case-cycle';
import { JOURNAL_KIND_LABELS, LIFE_AREA_LABELS } from '../../core/format/case-cycle-labels';
import { formatDateTime } from '../../core/format/dates';
import { csrfField, errorSummary, field, html, select, textarea, type SafeHtml } from '../html';
import type { FormState } from './case-assessment';

export interface JournalItem {
  id: string;
  kind: string;
  text: string;
  at: string;
  authorId: string;
  goalId: string | null;
  history: Array<{ kind: string; text: string; at: string; editedById: string; editedAt: string }>;
}
export interface GoalChoice {
  id: string;
  label: string;
}

export const goalLabel = (g: { area: string; text: string }, planVersion: number) =>
  `${LIFE_AREA_LABELS[g.area] ?? g.area}: ${g.text.length > 60 ? g.text.slice(0, 59) + '…' : g.text} (Hilfeplan ${planVersion})`;

export function journalFields(s: FormState, goals: GoalChoice[], withGoal = true): SafeHtml {
  const { values: v, errors } = s;
  return html`${select({
    name: 'kind',
    label: 'Art',
    required: true,
    value: v.kind ?? '',
    error: errors.kind,
    options: [['', '– bitte wählen –'], ...JOURNAL_KINDS.map((k): [string, string] => [k, JOURNAL_KIND_LABELS[k]])],
  })}
    ${field({ name: 'at', label: 'Datum und Uhrzeit', type: 'datetime-local', required: true, value: v.at, error: errors.at })}
    ${withGoal ? select({ name: 'goalId', label: 'Zu Ziel (optional)', value: v.goalId ?? '', error: errors.goalId, options: [['', '– kein Ziel –'], ...goals.map((g): [string, string] => [g.id, g.label])] }) : ''}
    ${textarea({ name: 'text', label: 'Text des Eintrags', required: true, value: v.text, error: errors.text, rows: 5, maxlength: 10000 })}`;
}

function entryView(
  caseId: string,
  e: JournalItem,
  names: Record<string, string>,
  goals: Record<string, string>,
  canChange: boolean,
): SafeHtml {
  return html`<article aria-labelledby="e-${e.id}"><h3 id="e-${e.id}">${JOURNAL_KIND_LABELS[e.kind] ?? e.kind} am ${formatDateTime(e.at)}</h3>
    <p class="hint">von ${names[e.authorId] ?? 'unbekannt'}${e.goalId ? html` · zu Ziel ${goals[e.goalId] ?? ''}` : ''}${e.history.length ? ' · geändert' : ''}</p>
    <p class="pre">${e.text}</p>
    ${canChange ? html`<p><a href="/faelle/${caseId}/verlauf/${e.id}">Eintrag vom ${formatDateTime(e.at)} bearbeiten</a></p>` : ''}
    ${
      e.history.length
        ? html`<details><summary>Frühere Fassungen (${e.history.length})</summary><ol>${e.history.map(
            (h) =>
              html`<li><p class="hint">${JOURNAL_KIND_LABELS[h.kind] ?? h.kind} am ${formatDateTime(h.at)} · ersetzt am ${formatDateTime(h.editedAt)} von ${names[h.editedById] ?? 'unbekannt'}</p><p class="pre">${h.text}</p></li>`,
          )}</ol></details>`
        : ''
    }</article>`;
}

export function journalPageView(o: {
  caseId: string;
  csrf?: string;
  canChange: boolean;
  items: JournalItem[];
  names: Record<string, string>;
  goals: GoalChoice[];
  state: FormState;
}): SafeHtml {
  const goalNames = Object.fromEntries(o.goals.map((g) => [g.id, g.label]));
  return html`${o.state.notice ? html`<p class="notice ok" role="status">${o.state.notice}</p>` : ''}
    ${o.state.problem ?? errorSummary(o.state.errors)}
    ${
      o.canChange
        ? html`<section aria-labelledby="h-neu"><h2 id="h-neu">Neuer Eintrag</h2>
      <form method="post" action="/faelle/${o.caseId}/verlauf" novalidate>${csrfField(o.csrf, o.state.key)}${journalFields(o.state, o.goals)}
      <button type="submit">Eintrag speichern</button></form></section>`
        : ''
    }
    <section aria-labelledby="h-eintraege"><h2 id="h-eintraege">Einträge</h2>
    ${o.items.length ? o.items.map((e) => entryView(o.caseId, e, o.names, goalNames, o.canChange)) : html`<p>Noch keine Einträge.</p>`}</section>`;
}

export function journalEditView(o: { caseId: string; entryId: string; csrf?: string; state: FormState }): SafeHtml {
  return html`${o.state.problem ?? errorSummary(o.state.errors)}
    <p><a href="/faelle/${o.caseId}/verlauf">Zurück zur Verlaufsdokumentation</a></p>
    <p class="hint">Die bisherige Fassung bleibt in der Verlaufsdokumentation sichtbar.</p>
    <form method="post" action="/faelle/${o.caseId}/verlauf/${o.entryId}" novalidate>${csrfField(o.csrf, o.state.key)}${journalFields(o.state, [], false)}
    <button type="submit">Änderung speichern</button></form>`;
}
