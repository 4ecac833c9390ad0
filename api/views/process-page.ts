// The process page (/prozesse/:id) from its parts: the header facts, the diagram next to the current
// step, the chain actions, the handoffs with their e-mails, and the history.
import { formatDateTime } from '../../core/format/dates';
import { chainTitle, processStatusLabel } from '../../core/format/labels';
import { errorSummary, html, type PageUser, type SafeHtml } from '../html';
import { chainDiagram } from '../pages/chain-diagram';
import type { ProcessPage } from '../services/chains';
import { chainActionsSection } from './process-actions';
import { handoffContextSection } from './process-context';
import { currentStepSection } from './process-current';
import { handoffsSection, type TemporalUi } from './process-handoffs';
import { historySection } from './process-history';
import { processModel, type FormState, type ProcessModel } from './process-model';

export const processTitle = (data: ProcessPage) => `${chainTitle(data.process.type)} – ${data.process.case.reference}`;

function header(m: ProcessModel): SafeHtml {
  const { p } = m;
  return html`<dl class="facts">
    <dt>Fall</dt><dd><a href="/faelle/${p.caseId}">${p.case.reference}</a></dd>
    <dt>Kette</dt><dd>${chainTitle(p.type)}</dd>
    <dt>Status</dt><dd><span class="status status-${p.status}">${processStatusLabel(p.status)}</span>${p.reason && p.status !== 'running' ? html` – Begründung: ${p.reason}` : ''}${!m.ended && !m.live ? html` <span class="hint">(Prozess-Server nicht erreichbar – gespeicherter Stand)</span>` : ''}</dd>
    <dt>Version</dt><dd>${p.version}</dd>
    <dt>Fallmanagement</dt><dd>${m.userName(p.assigneeId)}</dd>
    <dt>Gestartet</dt><dd>${formatDateTime(p.startedAt)} von ${m.userName(p.startedById)}</dd>
    ${p.completedAt ? html`<dt>Beendet</dt><dd>${formatDateTime(p.completedAt)}</dd>` : ''}
  </dl>`;
}

function diagram(m: ProcessModel): SafeHtml {
  const { p, def } = m;
  return html`<section aria-labelledby="h-ablauf"><h2 id="h-ablauf">Ablauf</h2>
    ${
      def
        ? chainDiagram({
            id: p.id,
            definition: def,
            status: p.status,
            steps: p.steps,
            current: m.diagramCurrent,
            currents: m.diagramCurrents,
          })
        : html`<p>Die Definition ${p.type} in Version ${p.version} ist nicht mehr installiert.</p>`
    }
  </section>`;
}

export function processPageView(
  data: ProcessPage,
  ctx: { user: PageUser; csrf?: string; ui: TemporalUi; evidence?: SafeHtml },
  state?: FormState,
  notice?: string,
): SafeHtml {
  const m = processModel(data, ctx.user);
  const problem = state?.message
    ? html`<div class="error-summary" role="alert" tabindex="-1" id="fehler"><h2>Aktion nicht möglich</h2><p>${state.message}</p></div>`
    : '';
  return html`
    ${notice ? html`<p class="notice ok" role="status">${notice}</p>` : ''}
    ${problem || errorSummary(state?.errors ?? {})}
    ${header(m)}
    <div class="process-layout">
      ${diagram(m)}
      ${currentStepSection(m, ctx.csrf, state)}
    </div>
    ${ctx.evidence ?? ''}
    ${handoffContextSection(m, data, ctx.csrf, state)}
    ${chainActionsSection(m, data.caseworkers, ctx.csrf, state)}
    ${handoffsSection(data, ctx.user, ctx.ui)}
    ${historySection(m)}`;
}
