// The process page's current step: where it stands, who holds it, until when, and the caseworker's
// forms (the step's fields from the chain definition, retry, skip).
import type { FieldSpec } from '../../core/domain/chains';
import { formatDateTime } from '../../core/format/dates';
import { stepPhaseLabel } from '../../core/format/labels';
import { csrfField, field, html, radios, select, textarea, type SafeHtml } from '../html';
import { stateOf, type FormState, type ProcessModel } from './process-model';

/** The form field id of a step's data field (data.<key> in the post). */
export const dataId = (key: string) => `data-${key}`;

function stepField(f: FieldSpec, value: string, error?: string): SafeHtml {
  const name = `data.${f.key}`;
  const id = `f-${dataId(f.key)}`;
  if (f.type === 'textarea') return textarea({ name, id, label: f.label, value, error, required: f.required, maxlength: 2000 });
  if (f.type === 'select') {
    return select({
      name,
      id,
      label: f.label,
      value,
      error,
      required: f.required,
      options: [['', '– bitte wählen –'], ...Object.entries(f.options ?? {})],
    });
  }
  // numbers as text with a decimal keyboard: a German "3,5" is accepted and converted
  const attrs =
    f.type === 'number' ? 'inputmode="decimal" autocomplete="off"' : f.type === 'text' ? 'maxlength="200" autocomplete="off"' : '';
  const range =
    f.type === 'number' && (f.min !== undefined || f.max !== undefined)
      ? f.min !== undefined && f.max !== undefined
        ? `Zahl von ${f.min} bis ${f.max}`
        : f.min !== undefined
          ? `Zahl, mindestens ${f.min}`
          : `Zahl, höchstens ${f.max}`
      : undefined;
  return field({
    name,
    id,
    label: f.label,
    value,
    type: f.type === 'number' ? 'text' : f.type,
    required: f.required,
    error,
    attrs,
    hint: range,
  });
}

function facts(m: ProcessModel): SafeHtml {
  const { cur, step, task, p } = m;
  if (!cur || !step) return html``;
  return html`<dl class="facts">
    <dt>Schritt</dt><dd>${step.title}</dd>
    <dt>Stand</dt><dd>${stepPhaseLabel(cur.phase)}${p.status === 'on_hold' ? ' (Kette angehalten)' : ''}${cur.overdue ? html` <strong class="overdue">überfällig</strong>` : ''}</dd>
    <dt>Liegt bei</dt><dd>${cur.phase === 'handoff' ? m.holder : `Fallmanagement (${m.userName(p.assigneeId)})`}</dd>
    ${cur.phase === 'consent' ? html`<dt>Übergabe an</dt><dd>${m.holder} (Einwilligung fehlt)</dd>` : ''}
    ${
      cur.phase === 'waiting'
        ? html`<dt>Beginnt</dt><dd>${cur.activeFrom ? `beginnt am ${formatDateTime(cur.activeFrom)}` : '–'}</dd>`
        : html`<dt>${cur.phase === 'handoff' && task?.status !== 'accepted' ? 'Eingang bestätigen bis' : 'Fällig bis'}</dt><dd>${m.due ? formatDateTime(m.due) : 'keine Frist'}</dd>`
    }
    ${cur.phase === 'handoff' && cur.taskId ? html`<dt>Übergabe</dt><dd><a href="/aufgaben/${cur.taskId}">Aufgabe der Stelle ansehen</a></dd>` : ''}
  </dl>`;
}

function notices(m: ProcessModel): SafeHtml {
  const { cur, p } = m;
  return html`
    ${m.declineReason ? html`<p class="notice warn"><strong>Begründung der Ablehnung:</strong> ${m.declineReason}</p>` : ''}
    ${
      cur?.phase === 'consent'
        ? html`<p class="notice warn" role="status"><strong>Einwilligung für ${m.holder} fehlt.</strong>
      Der Schritt wird an ${m.holder} übergeben, sobald eine gültige Einwilligung (Schweigepflichtentbindung) für diese Stelle erfasst ist.
      ${m.may.recordConsent ? html`<a href="/faelle/${p.caseId}#h-ew">Einwilligung im Fall erfassen</a>` : ''}</p>`
        : ''
    }
    ${p.status === 'on_hold' ? html`<p class="notice warn">Die Kette ist angehalten. Ergebnisse können erst nach dem Fortsetzen erfasst werden.</p>` : ''}`;
}

function completeForm(m: ProcessModel, csrf: string | undefined, postStep: string, state?: FormState): SafeHtml {
  const sv = stateOf(state, 'step')?.values ?? {};
  const se = stateOf(state, 'step')?.errors ?? {};
  const step = m.step!;
  return html`
    <h3>Ergebnis erfassen</h3>
    <p class="hint">Pflichtangaben sind mit * gekennzeichnet.</p>
    <form method="post" action="${postStep}" novalidate>
      ${csrfField(csrf)}
      ${step.fields.map((f) => stepField(f, sv[`data.${f.key}`] ?? '', se[dataId(f.key)]))}
      ${step.requiresDocument ? html`<p class="hint">Dieser Schritt verlangt ein Dokument (z. B. den unterschriebenen Mietvertrag): <a href="/faelle/${m.p.caseId}/dokumente?kette=${m.p.id}&amp;schritt=${m.cur!.key}">Dokument für diesen Schritt hochladen</a></p>` : ''}
      ${radios({ name: 'outcome', legend: 'Ergebnis', required: true, value: sv.outcome, error: se.outcome, options: Object.entries(step.outcomes).map(([k, o]): [string, string] => [k, o.label]) })}
      <button type="submit">Ergebnis speichern</button>
    </form>`;
}

function retryAndSkip(m: ProcessModel, csrf: string | undefined, postStep: string): SafeHtml {
  return html`
    ${
      m.may.retry
        ? html`
    <form method="post" action="${postStep}" class="inline-form">
      ${csrfField(csrf)}<input type="hidden" name="outcome" value="retry">
      <button type="submit">${m.cur!.phase === 'consent' ? 'Einwilligung erneut prüfen' : 'Erneut übergeben'}</button>
    </form>`
        : ''
    }
    ${
      m.may.skip
        ? html`
    <form method="post" action="${postStep}" class="inline-form">
      ${csrfField(csrf)}<input type="hidden" name="outcome" value="skip">
      <button type="submit" class="secondary">Überspringen</button>
    </form>${m.cur!.phase === 'handoff' ? html`<p class="hint">Überspringen bricht die offene Übergabe ab.</p>` : ''}`
        : ''
    }`;
}

export function currentStepSection(m: ProcessModel, csrf: string | undefined, state?: FormState): SafeHtml {
  const { cur, step, p } = m;
  const postStep = `/prozesse/${p.id}/schritte/${encodeURIComponent(cur?.key ?? '')}`;
  return html`<section aria-labelledby="h-aktuell" class="current-step"><h2 id="h-aktuell">Aktueller Schritt</h2>
    ${
      !cur || !step
        ? html`<p>${p.status === 'completed' ? 'Die Kette ist abgeschlossen.' : p.status === 'cancelled' ? 'Die Kette wurde abgebrochen.' : 'Die Kette wird gestartet … Bitte die Seite in einigen Sekunden neu laden.'}</p>`
        : html`
    ${facts(m)}
    ${notices(m)}
    ${m.may.complete ? completeForm(m, csrf, postStep, state) : ''}
    ${retryAndSkip(m, csrf, postStep)}`
    }
    ${
      m.otherBranches.length
        ? html`<h3>Weitere offene Schritte (parallel)</h3>
    <ul class="parallel-steps">${m.otherBranches.map(
      (b) =>
        html`<li>${b.title} – ${stepPhaseLabel(b.phase)}, liegt bei ${b.holder}${b.dueAt ? html`, fällig ${formatDateTime(b.dueAt)}` : ''}</li>`,
    )}</ul>`
        : ''
    }
  </section>`;
}
