// Shared by the task inbox and the e-mail link pages: the task summary and one form per action,
// whose fields come from the step's zod schema; parsing a posted form back into an action.
import { formatDate, formatDateTime } from '../../core/format/dates';
import { z } from 'zod';
import {
  cancelBody,
  checkHandoffData,
  declineBody,
  forwardBody,
  HANDOFF_STEPS,
  type HandoffAction,
  type TaskStatus,
} from '../../core/domain/handoff';
import { TASK_STATUS_LABELS } from '../../core/format/labels';
import { parseResultInput, type ResultField } from '../../core/domain/result-fields';
import type { TaskContext } from '../services/handoff-context';
import { validateForm, type FieldErrors } from './forms';
import { errorSummary, html, type SafeHtml } from '../html';

export const ACTION_TITLES: Record<string, string> = {
  accept: 'Eingang bestätigen',
  decline: 'Ablehnen',
  complete: 'Erledigen',
  forward: 'Weiterleiten',
  cancel: 'Abbrechen',
};

const FIELD_TITLES: Record<string, string> = {
  note: 'Anmerkung',
  validUntil: 'Gültig bis',
  rooms: 'Zimmer',
  approvedRent: 'Bewilligte Miete (EUR)',
  amount: 'Betrag (EUR)',
  releasedOn: 'Freigegeben am',
};

export interface TaskSummary {
  reference: string;
  stepKey: string;
  title: string;
  departmentName: string;
  status: TaskStatus;
  ackDueAt: Date | null;
  dueAt: Date | null;
  overdue: boolean;
  personName?: string;
  birthDate?: Date | null;
}

export function taskSummary(t: TaskSummary): SafeHtml {
  const due = t.status === 'accepted' ? t.dueAt : t.ackDueAt;
  return html`<dl class="facts">
    <dt>Fall</dt><dd>${t.reference}</dd>
    ${t.personName ? html`<dt>Person</dt><dd>${t.personName}${t.birthDate ? ` (geb. ${formatDate(t.birthDate)})` : ''}</dd>` : ''}
    <dt>Aufgabe</dt><dd>${HANDOFF_STEPS[t.stepKey]?.title ?? t.title}</dd>
    <dt>Stelle</dt><dd>${t.departmentName}</dd>
    <dt>Status</dt><dd><span class="status">${TASK_STATUS_LABELS[t.status]}</span>${t.overdue ? html` <strong class="overdue">überfällig</strong>` : ''}</dd>
    <dt>${t.status === 'accepted' ? 'Erledigen bis' : 'Bestätigen bis'}</dt><dd>${due ? formatDateTime(due) : '–'}</dd>
  </dl>`;
}

type Kind = 'text' | 'textarea' | 'number' | 'date';
const DATE_FIELDS = new Set(['validUntil', 'releasedOn']);
function fieldKind(key: string, schema: z.ZodType): Kind {
  if (key === 'note') return 'textarea';
  if (DATE_FIELDS.has(key)) return 'date';
  const inner = schema instanceof z.ZodOptional ? schema.unwrap() : schema;
  return inner instanceof z.ZodNumber ? 'number' : 'text';
}

function input(name: string, label: string, kind: Kind, value: string, error?: string, required = false): SafeHtml {
  const id = `f-${name.replace(/\W/g, '-')}`;
  const aria = error ? html` aria-invalid="true" aria-describedby="${id}-error"` : '';
  return html`<div class="field${error ? ' has-error' : ''}">
    <label for="${id}">${label}${required ? html` <span aria-hidden="true">*</span>` : ''}</label>
    ${error ? html`<p class="error" id="${id}-error">${error}</p>` : ''}
    ${
      kind === 'textarea'
        ? html`<textarea id="${id}" name="${name}" rows="3"${aria}${required ? html` required` : ''}>${value}</textarea>`
        : html`<input id="${id}" name="${name}" type="${kind}" value="${value}"${kind === 'number' ? html` step="0.01" inputmode="decimal"` : ''}${aria}${required ? html` required` : ''}>`
    }
  </div>`;
}

/** A typed result field: amounts as text with a decimal keyboard (German "1.234,56" accepted), dates as dates. */
function resultInput(f: ResultField, value: string, error?: string): SafeHtml {
  const id = `f-data-${f.key}`;
  const aria = error ? html` aria-invalid="true" aria-describedby="${id}-error"` : '';
  const hint = f.type === 'money' ? 'Betrag in Euro, z. B. 1.234,56' : f.type === 'number' ? 'Zahl' : '';
  return html`<div class="field${error ? ' has-error' : ''}">
    <label for="${id}">${f.label}${f.required ? html` <span aria-hidden="true">*</span>` : ''}</label>
    ${hint ? html`<p class="hint" id="${id}-hint">${hint}</p>` : ''}
    ${error ? html`<p class="error" id="${id}-error">${error}</p>` : ''}
    <input id="${id}" name="data.${f.key}" type="${f.type === 'date' ? 'date' : 'text'}" value="${value}"${f.type === 'date' ? '' : html` inputmode="decimal" autocomplete="off"`}${aria}${f.required ? html` required` : ''}>
  </div>`;
}

/** What the department sees besides step and deadline: the chain's facts and the caseworker's messages. */
export function contextSection(ctx: TaskContext | undefined): SafeHtml | string {
  if (!ctx?.shown || (!ctx.facts.length && !ctx.messages.length)) return '';
  return html`<section aria-labelledby="h-kontext"><h2 id="h-kontext">Angaben aus dem Fall</h2>
    <p class="hint">Sichtbar, solange die Aufgabe offen ist und eine Einwilligung für Ihre Stelle vorliegt. Nicht in E-Mails weitergeben.</p>
    ${ctx.facts.length ? html`<dl class="facts context-facts">${ctx.facts.map((f) => html`<dt>${f.label}</dt><dd>${f.value}</dd>`)}</dl>` : ''}
    ${
      ctx.messages.length
        ? html`<h3>Nachricht des Fallmanagements</h3>${ctx.messages.map(
            (m) => html`<blockquote class="handoff-message"><p>${m.text}</p><footer>${formatDateTime(m.at)}</footer></blockquote>`,
          )}`
        : ''
    }
  </section>`;
}

export function actionForm(opts: {
  action: string;
  postUrl: string;
  stepKey: string;
  csrf?: string;
  departments?: Array<{ id: string; name: string }>;
  values?: Record<string, string>;
  errors?: FieldErrors;
  hidden?: Record<string, string>;
  /** the chain step's typed result fields (complete) */
  resultFields?: readonly ResultField[];
}): SafeHtml {
  const v = opts.values ?? {};
  const e = opts.errors ?? {};
  const step = HANDOFF_STEPS[opts.stepKey];
  let fields: SafeHtml | string = '';
  if (opts.action === 'decline' || opts.action === 'cancel')
    fields = input('reason', 'Begründung', 'textarea', v.reason ?? '', e.reason, true);
  if (opts.action === 'forward') {
    fields = html`<div class="field${e.department ? ' has-error' : ''}"><label for="f-department">An Stelle <span aria-hidden="true">*</span></label>
      ${e.department ? html`<p class="error" id="f-department-error">${e.department}</p>` : ''}
      <select id="f-department" name="department" required${e.department ? html` aria-invalid="true" aria-describedby="f-department-error"` : ''}>
        <option value="">– bitte wählen –</option>
        ${(opts.departments ?? []).map((d) => html`<option value="${d.id}"${d.id === v.department ? html` selected` : ''}>${d.name}</option>`)}
      </select></div>
      ${input('reason', 'Begründung', 'textarea', v.reason ?? '', e.reason, true)}`;
  }
  if (opts.action === 'complete' && step) {
    fields = html`<fieldset><legend>Ergebnis <span aria-hidden="true">*</span></legend>
      ${e.outcome ? html`<p class="error" id="f-outcome-error">${e.outcome}</p>` : ''}
      ${Object.entries(step.outcomes).map(
        ([key, label], i) => html`<div class="choice">
        <input type="radio" id="f-outcome-${i}" name="outcome" value="${key}"${v.outcome === key ? html` checked` : ''} required>
        <label for="f-outcome-${i}">${label}</label></div>`,
      )}
      </fieldset>
      ${(opts.resultFields ?? []).map((f) => resultInput(f, v[`data.${f.key}`] ?? '', e[`data.${f.key}`]))}
      ${Object.entries(step.data.shape)
        .filter(([key]) => !(opts.resultFields ?? []).some((f) => f.key === key))
        .map(([key, schema]) =>
          input(`data.${key}`, FIELD_TITLES[key] ?? key, fieldKind(key, schema as z.ZodType), v[`data.${key}`] ?? '', e[`data.${key}`]),
        )}`;
  }
  return html`<form method="post" action="${opts.postUrl}" novalidate>
    ${opts.csrf ? html`<input type="hidden" name="_csrf" value="${opts.csrf}">` : ''}
    ${Object.entries(opts.hidden ?? {}).map(([k, val]) => html`<input type="hidden" name="${k}" value="${val}">`)}
    ${errorSummary(e)}
    ${fields}
    <button type="submit">${ACTION_TITLES[opts.action] ?? opts.action}</button>
  </form>`;
}

/** A posted action form → the fields of the action, or per-field errors. */
/** A handoff action as a posted form gives it; the page adds who acts. */
export type ActionFields = HandoffAction extends infer A ? (A extends HandoffAction ? Omit<A, 'actor'> : never) : never;

export function parseActionForm(
  action: string,
  stepKey: string,
  body: Record<string, unknown>,
  resultFields: readonly ResultField[] = [],
): { ok: true; fields: ActionFields } | { ok: false; errors: FieldErrors; values: Record<string, string> } {
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(body ?? {})) if (typeof v === 'string' && !k.startsWith('_')) values[k] = v;
  const str = (k: string) => (values[k] ?? '').trim();
  if (action === 'accept') return { ok: true, fields: { action } };
  if (action === 'decline' || action === 'cancel') {
    const r = validateForm(action === 'decline' ? declineBody : cancelBody, { reason: str('reason') || undefined });
    return r.ok ? { ok: true, fields: { action, reason: r.data.reason } } : { ok: false, errors: r.errors, values };
  }
  if (action === 'forward') {
    const r = validateForm(forwardBody, { department: str('department') || undefined, reason: str('reason') || undefined });
    return r.ok
      ? { ok: true, fields: { action, departmentId: r.data.department, reason: r.data.reason } }
      : { ok: false, errors: r.errors, values };
  }
  if (action === 'complete') {
    const step = HANDOFF_STEPS[stepKey];
    const errors: FieldErrors = {};
    const outcome = str('outcome');
    if (!outcome) errors.outcome = 'Ergebnis: bitte auswählen';
    else if (!step || !(outcome in step.outcomes)) errors.outcome = 'Ergebnis: nicht erlaubt';
    const data: Record<string, unknown> = {};
    for (const f of resultFields) {
      const raw = str(`data.${f.key}`);
      if (raw) data[f.key] = parseResultInput(f, raw);
    }
    for (const [key, schema] of Object.entries(step?.data.shape ?? {})) {
      if (resultFields.some((f) => f.key === key)) continue;
      const raw = str(`data.${key}`);
      if (!raw) continue;
      if (fieldKind(key, schema as z.ZodType) === 'number') {
        const n = Number(raw.replace(',', '.'));
        if (Number.isNaN(n)) {
          errors[`data.${key}`] = `${FIELD_TITLES[key] ?? key}: Zahl erwartet`;
          continue;
        }
        data[key] = n;
      } else data[key] = raw;
    }
    if (step) {
      const r = checkHandoffData(step, data, resultFields);
      if (!r.ok)
        for (const i of r.issues) {
          const key = String(i.path[0]);
          // result fields' messages name their label already
          errors[`data.${i.path.join('.')}`] ??= resultFields.some((f) => f.key === key)
            ? i.message
            : `${FIELD_TITLES[key] ?? key}: ${i.message}`;
        }
    }
    return Object.keys(errors).length ? { ok: false, errors, values } : { ok: true, fields: { action, outcome, data } };
  }
  return { ok: false, errors: { action: 'Unbekannte Aktion' }, values };
}
