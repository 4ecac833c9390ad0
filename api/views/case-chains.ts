// The chains of a case on the case page: a card per chain with its diagram, and the start form.
import { CHAIN_TYPES, chainDefinitionFor } from '../../core/domain/chains';
import type { StepPhase } from '../../core/domain/chains/state';
import { formatDateTime } from '../../core/format/dates';
import { chainTitle, processStatusLabel } from '../../core/format/labels';
import { csrfField, html, select, type SafeHtml } from '../html';
import { chainDiagram } from '../pages/chain-diagram';
import type { CaseOverview } from '../services/cases';
import { departmentName } from '../services/departments';
import type { CaseViewCtx, CaseViewState } from './case-detail';

type Process = CaseOverview['processes'][number];

/** Where the chain stands now, for the diagram (undefined when it has ended). */
function currentOf(p: Process, o: CaseOverview) {
  if (p.status === 'completed' || p.status === 'cancelled' || !p.currentStep || !p.currentStatus) return undefined;
  const latest = [...p.steps].reverse().find((x) => x.key === p.currentStep);
  const task = latest?.taskId ? o.tasks.find((t) => t.id === latest.taskId) : undefined;
  const due =
    p.currentStatus === 'handoff'
      ? (p.dueAt ?? (task ? (task.status === 'accepted' ? task.dueAt : task.ackDueAt) : null))
      : p.currentStatus === 'waiting'
        ? null
        : p.dueAt;
  return {
    key: p.currentStep,
    phase: p.currentStatus as StepPhase,
    holder: p.currentStatus === 'handoff' ? departmentName(o.departments, p.currentDepartment ?? task?.departmentId) : 'Fallmanagement',
    dueAt: due,
    activeFrom: p.currentStatus === 'waiting' ? p.dueAt : null,
    overdue: p.overdue,
  };
}

function chainCard(p: Process, o: CaseOverview): SafeHtml {
  const def = chainDefinitionFor(p.type, p.version);
  const current = currentOf(p, o);
  return html`<section class="card" aria-labelledby="h-kette-${p.id}"><h3 id="h-kette-${p.id}">${chainTitle(p.type)}</h3>
    <dl class="facts">
      <dt>Status</dt><dd><span class="status status-${p.status}">${processStatusLabel(p.status)}</span>${p.reason && p.status !== 'running' ? html` – ${p.reason}` : ''}</dd>
      <dt>Gestartet</dt><dd>${formatDateTime(p.startedAt)}</dd>
      ${current ? html`<dt>Aktueller Schritt</dt><dd>${p.currentTitle ?? p.currentStep}${p.overdue ? html` <strong class="overdue">überfällig</strong>` : ''}</dd>` : ''}
    </dl>
    ${def ? chainDiagram({ id: p.id, definition: def, status: p.status, steps: p.steps, current }) : ''}
    <p><a href="/prozesse/${p.id}">Prozess öffnen: ${chainTitle(p.type)}</a></p>
  </section>`;
}

function startForm(caseId: string, ctx: CaseViewCtx, s: CaseViewState): SafeHtml {
  return html`<h3 id="h-kette-start">Kette starten</h3>
    <form method="post" action="/faelle/${caseId}/ketten" novalidate aria-labelledby="h-kette-start">
      ${csrfField(ctx.csrf)}
      ${select({
        name: 'type',
        id: 'f-chainType',
        label: 'Art der Kette',
        required: true,
        value: s.typed.chainType,
        error: s.errors.chainType,
        options: CHAIN_TYPES.map((t): [string, string] => [t, chainTitle(t)]),
      })}
      <button type="submit">Kette starten</button>
    </form>`;
}

export function caseChainsSection(o: CaseOverview, ctx: CaseViewCtx, s: CaseViewState, canChange: boolean): SafeHtml {
  return html`<section aria-labelledby="h-ketten"><h2 id="h-ketten">Ketten</h2>
    ${o.processes.length === 0 ? html`<p>Für diesen Fall läuft noch keine Kette.</p>` : html`<div class="cards">${o.processes.map((p) => chainCard(p, o))}</div>`}
    ${canChange ? startForm(o.record.id, ctx, s) : ''}
  </section>`;
}
