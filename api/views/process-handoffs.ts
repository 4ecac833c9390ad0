// The process page's handoffs of the chain and every e-mail sent for them or the chain, with their
// status, and the link into the Temporal Web UI (in the configured namespace) for the technical side.
import { formatDateTime } from '../../core/format/dates';
import { mailStatusLabel } from '../../core/format/labels';
import { seesTemporalLink } from '../access';
import { html, type PageUser, type SafeHtml } from '../html';
import type { ProcessPage } from '../services/chains';

/** The workflow's page in the Temporal Web UI. */
export const temporalWorkflowUrl = (uiUrl: string, namespace: string, workflowId: string) =>
  `${uiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;

export interface TemporalUi {
  url?: string;
  namespace: string;
}

export function handoffsSection(data: ProcessPage, user: PageUser, ui: TemporalUi): SafeHtml {
  const { tasks, mails } = data;
  return html`<section aria-labelledby="h-uebergaben"><h2 id="h-uebergaben">Übergaben und E-Mails</h2>
    ${
      tasks.length === 0
        ? html`<p>Noch keine Übergaben.</p>`
        : html`<table><caption class="hint">Übergaben dieser Kette</caption>
      <thead><tr><th scope="col">Aufgabe</th><th scope="col">Stelle</th><th scope="col">Status</th><th scope="col">Angelegt</th></tr></thead>
      <tbody>${tasks.map((t) => html`<tr><td><a href="/aufgaben/${t.id}">${t.title}</a></td><td>${t.department.name}</td><td>${t.status}${t.overdue ? ' (überfällig)' : ''}</td><td>${formatDateTime(t.createdAt)}</td></tr>`)}</tbody></table>`
    }
    ${
      mails.length === 0
        ? html`<p>Noch keine E-Mails.</p>`
        : html`<table><caption class="hint">E-Mails, älteste zuerst</caption>
      <thead><tr><th scope="col">Betreff</th><th scope="col">An</th><th scope="col">Status</th><th scope="col">Erstellt</th></tr></thead>
      <tbody>${mails.map((m) => html`<tr><td>${m.subject}</td><td>${m.to.join(', ')}</td><td>${mailStatusLabel(m.status)}${m.status === 'sent' && m.sentAt ? ` ${formatDateTime(m.sentAt)}` : m.attempts > 1 ? ` (${m.attempts} Versuche)` : ''}</td><td>${formatDateTime(m.createdAt)}</td></tr>`)}</tbody></table>`
    }
    ${ui.url && seesTemporalLink(user) ? html`<p class="hint">Für Technik: <a href="${temporalWorkflowUrl(ui.url, ui.namespace, data.process.workflowId)}">Prozess in der Temporal Web UI</a></p>` : ''}
  </section>`;
}
