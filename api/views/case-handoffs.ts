// The handoffs of a case on the case page: the table with status and deadline, and the form to hand a
// step to a department.
import { HANDOFF_STEPS, OPEN_TASK_STATUSES } from '../../core/domain/handoff';
import { formatDateTime } from '../../core/format/dates';
import { handoffStepTitle, TASK_STATUS_LABELS } from '../../core/format/labels';
import { csrfField, html, select, type SafeHtml } from '../html';
import type { CaseOverview } from '../services/cases';
import { departmentName } from '../services/departments';
import type { CaseViewCtx, CaseViewState } from './case-detail';

type Task = CaseOverview['tasks'][number];

function taskRow(t: Task, o: CaseOverview): SafeHtml {
  const due = t.status === 'accepted' ? t.dueAt : t.ackDueAt;
  const isOpen = OPEN_TASK_STATUSES.includes(t.status);
  return html`<tr><td><a href="/aufgaben/${t.id}">${handoffStepTitle(t.stepKey, t.title)}</a></td><td>${departmentName(o.departments, t.departmentId)}</td>
    <td>${TASK_STATUS_LABELS[t.status]}${t.overdue && isOpen ? html` <strong class="overdue">überfällig</strong>` : ''}</td>
    <td>${due && isOpen ? html`${t.status === 'accepted' ? 'erledigen bis' : 'bestätigen bis'} ${formatDateTime(due)}` : '–'}</td></tr>`;
}

function handoffForm(o: CaseOverview, ctx: CaseViewCtx, s: CaseViewState): SafeHtml {
  return html`<h3 id="h-uebergabe-neu">Schritt an eine Stelle übergeben</h3>
    <form method="post" action="/faelle/${o.record.id}/uebergaben" novalidate aria-labelledby="h-uebergabe-neu">
      ${csrfField(ctx.csrf)}
      ${select({
        name: 'step',
        id: 'f-handoffStep',
        label: 'Schritt',
        required: true,
        value: s.typed.handoffStep,
        error: s.errors.handoffStep,
        options: [['', '– bitte wählen –'], ...Object.values(HANDOFF_STEPS).map((h): [string, string] => [h.key, h.title])],
      })}
      ${select({
        name: 'department',
        id: 'f-handoffDepartment',
        label: 'An Stelle',
        required: true,
        value: s.typed.handoffDepartment,
        error: s.errors.handoffDepartment,
        options: [['', '– bitte wählen –'], ...o.departments.map((d): [string, string] => [d.id, d.name])],
      })}
      <button type="submit">Übergeben</button>
    </form>`;
}

export function caseHandoffsSection(o: CaseOverview, ctx: CaseViewCtx, s: CaseViewState, canChange: boolean): SafeHtml {
  return html`<section aria-labelledby="h-uebergaben"><h2 id="h-uebergaben">Übergaben</h2>
    ${
      o.tasks.length === 0
        ? html`<p>Keine Übergaben.</p>`
        : html`<table>
      <caption class="hint">${o.tasks.length === 1 ? '1 Übergabe' : `${o.tasks.length} Übergaben`}, neueste zuerst</caption>
      <thead><tr><th scope="col">Schritt</th><th scope="col">Stelle</th><th scope="col">Status</th><th scope="col">Frist</th></tr></thead>
      <tbody>${o.tasks.map((t) => taskRow(t, o))}</tbody></table>`
    }
    ${canChange ? handoffForm(o, ctx, s) : ''}
  </section>`;
}
