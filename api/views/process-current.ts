// The process page's current step: where it stands, who holds it, until when, and the caseworker's
// forms (the step's fields from the chain definition, retry, skip).
import type { FieldSpec } from '../../core/domain/chains';
import { formatDateTime } from '../../core/format/dates';
import { stepPhaseLabel } from '../../core/format/labels';
import { csrfField, field, html, radios, select, textarea, type SafeHtml } from '../html';
import { branchHoldForm } from './process-branch-hold';
import { stateOf, type FormState, type ProcessModel } from './process-model';

/** The form field id of a step's data field (data.<key> in the post). */
export const dataId = (key: string) => `data-${key}`;

function stepField(f: FieldSpec, value: string, error?: string, prefix = ''): SafeHtml {
  const name = `data.${f.key}`;
  const id = `f-${prefix}${dataId(f.key)}`;
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

/** One open step as the page shows it (the current step, or one parallel branch). */
type Branch = ProcessModel['branches'][number];

function facts(m: ProcessModel, b: Branch): SafeHtml {
  const { cur, step, task } = b;
  const { p } = m;
  if (!step) return html``;
  return html`<dl class="facts">
    <dt>Schritt</dt><dd>${step.title}</dd>
    <dt>Stand</dt><dd>${stepPhaseLabel(cur.phase)}${p.status === 'on_hold' ? ' (Kette angehalten)' : ''}${cur.heldAt ? html` <strong class="held">(dieser Zweig angehalten seit ${formatDateTime(cur.heldAt)})</strong>` : ''}${cur.overdue ? html` <strong class="overdue">überfällig</strong>` : ''}</dd>
    ${cur.heldAt && cur.heldReason ? html`<dt>Angehalten, weil</dt><dd>${cur.heldReason}</dd>` : ''}
    <dt>Liegt bei</dt><dd>${cur.phase === 'handoff' ? b.holder : `Fallmanagement (${m.userName(p.assigneeId)})`}</dd>
    ${cur.phase === 'consent' ? html`<dt>Übergabe an</dt><dd>${b.holder} (Einwilligung fehlt)</dd>` : ''}
    ${
      cur.phase === 'waiting'
        ? html`<dt>Beginnt</dt><dd>${cur.activeFrom ? `beginnt am ${formatDateTime(cur.activeFrom)}` : '–'}</dd>`
        : html`<dt>${cur.phase === 'handoff' && task?.status !== 'accepted' ? 'Eingang bestätigen bis' : 'Fällig bis'}</dt><dd>${b.due ? formatDateTime(b.due) : 'keine Frist'}</dd>`
    }
    ${cur.phase === 'handoff' && cur.taskId ? html`<dt>Übergabe</dt><dd><a href="/aufgaben/${cur.taskId}">Aufgabe der Stelle ansehen</a></dd>` : ''}
  </dl>`;
}

function notices(m: ProcessModel, b: Branch, first: boolean): SafeHtml {
  const { cur } = b;
  const { p } = m;
  return html`
    ${b.declineReason ? html`<p class="notice warn"><strong>Begründung der Ablehnung:</strong> ${b.declineReason}</p>` : ''}
    ${
      cur.phase === 'consent'
        ? html`<p class="notice warn" role="status"><strong>Einwilligung für ${b.holder} fehlt.</strong>
      Der Schritt wird an ${b.holder} übergeben, sobald eine gültige Einwilligung (Schweigepflichtentbindung) für diese Stelle erfasst ist.
      ${m.may.recordConsent ? html`<a href="/faelle/${p.caseId}#h-ew">Einwilligung im Fall erfassen</a>` : ''}</p>`
        : ''
    }
    ${first && p.status === 'on_hold' ? html`<p class="notice warn">Die Kette ist angehalten. Ergebnisse können erst nach dem Fortsetzen erfasst werden.</p>` : ''}`;
}

/** The form of the first open step keeps its ids (f-data-<field>, f-outcome-…); a parallel branch's are prefixed with its key. */
function completeForm(m: ProcessModel, b: Branch, csrf: string | undefined, postStep: string, prefix: string, state?: FormState): SafeHtml {
  const own = stateOf(state, `step:${b.cur.key}`) ?? (prefix ? undefined : stateOf(state, 'step'));
  const sv = own?.values ?? {};
  const se = own?.errors ?? {};
  const step = b.step!;
  return html`
    <h3${prefix ? html` id="h-form-${prefix}"` : ''}>Ergebnis erfassen${prefix ? `: ${step.title}` : ''}</h3>
    <p class="hint">Pflichtangaben sind mit * gekennzeichnet.</p>
    <form method="post" action="${postStep}" novalidate>
      ${csrfField(csrf)}
      ${step.fields.map((f) => stepField(f, sv[`data.${f.key}`] ?? '', se[dataId(f.key)], prefix))}
      ${step.requiresDocument ? html`<p class="hint">Dieser Schritt verlangt ein Dokument (z. B. den unterschriebenen Mietvertrag): <a href="/faelle/${m.p.caseId}/dokumente?kette=${m.p.id}&amp;schritt=${b.cur.key}">Dokument für diesen Schritt hochladen</a></p>` : ''}
      ${radios({ name: 'outcome', ...(prefix ? { id: `f-${prefix}outcome` } : {}), legend: 'Ergebnis', required: true, value: sv.outcome, error: se.outcome, options: Object.entries(step.outcomes).map(([k, o]): [string, string] => [k, o.label]) })}
      <button type="submit">Ergebnis speichern</button>
    </form>`;
}

function retryAndSkip(b: Branch, csrf: string | undefined, postStep: string, first: boolean): SafeHtml {
  // a parallel branch's buttons name their step for screen readers (the first keeps its plain label)
  const which = !first && b.step ? html`<span class="visually-hidden">: ${b.step.title}</span>` : '';
  return html`
    ${
      b.may.retry
        ? html`
    <form method="post" action="${postStep}" class="inline-form">
      ${csrfField(csrf)}<input type="hidden" name="outcome" value="retry">
      <button type="submit">${b.cur.phase === 'consent' ? 'Einwilligung erneut prüfen' : 'Erneut übergeben'}${which}</button>
    </form>`
        : ''
    }
    ${
      b.may.skip
        ? html`
    <form method="post" action="${postStep}" class="inline-form">
      ${csrfField(csrf)}<input type="hidden" name="outcome" value="skip">
      <button type="submit" class="secondary">Überspringen${which}</button>
    </form>${b.cur.phase === 'handoff' ? html`<p class="hint">Überspringen bricht die offene Übergabe ab.</p>` : ''}`
        : ''
    }`;
}

function branchBody(m: ProcessModel, b: Branch, csrf: string | undefined, state: FormState | undefined, first: boolean): SafeHtml {
  const postStep = `/prozesse/${m.p.id}/schritte/${encodeURIComponent(b.cur.key)}`;
  const prefix = first ? '' : `${b.cur.key.replace(/[^\w-]/g, '')}-`;
  return html`
    ${facts(m, b)}
    ${notices(m, b, first)}
    ${b.may.complete ? completeForm(m, b, csrf, postStep, prefix, state) : ''}
    ${retryAndSkip(b, csrf, postStep, first)}
    ${branchHoldForm(m, b, csrf, state)}`;
}

export function currentStepSection(m: ProcessModel, csrf: string | undefined, state?: FormState): SafeHtml {
  const { cur, step, p } = m;
  const first =
    cur && step
      ? {
          cur,
          step,
          task: m.task,
          holder: m.holder,
          due: m.due,
          declineReason: m.declineReason,
          diagramCurrent: m.diagramCurrent!,
          may: {
            complete: m.may.complete,
            retry: m.may.retry,
            skip: m.may.skip,
            holdBranch: m.may.holdBranch,
            resumeBranch: m.may.resumeBranch,
          },
        }
      : undefined;
  return html`<section aria-labelledby="h-aktuell" class="current-step"><h2 id="h-aktuell">Aktueller Schritt</h2>
    ${
      !first
        ? html`<p>${p.status === 'completed' ? 'Die Kette ist abgeschlossen.' : p.status === 'cancelled' ? 'Die Kette wurde abgebrochen.' : 'Die Kette wird gestartet … Bitte die Seite in einigen Sekunden neu laden.'}</p>`
        : branchBody(m, first, csrf, state, true)
    }
    ${
      m.branches.length
        ? html`<h3>Weitere offene Schritte (parallel)</h3>
    <ul class="parallel-steps">${m.otherBranches.map(
      (b) =>
        html`<li>${b.title} – ${stepPhaseLabel(b.phase)}${b.heldAt ? ' (angehalten)' : ''}, liegt bei ${b.holder}${b.dueAt ? html`, fällig ${formatDateTime(b.dueAt)}` : ''}</li>`,
    )}</ul>
    ${m.branches.map(
      (
        b,
      ) => html`<section class="parallel-branch" aria-labelledby="h-branch-${b.cur.key}"><h3 id="h-branch-${b.cur.key}">Paralleler Zweig: ${b.step?.title ?? b.cur.key}</h3>
      ${branchBody(m, b, csrf, state, false)}</section>`,
    )}`
        : ''
    }
  </section>`;
}
