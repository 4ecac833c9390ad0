// The dashboard's workload per department and per caseworker, and the supervisor's form to reassign
// all chains of one caseworker (e.g. when someone leaves or is absent for long).
import { csrfField, errorSummary, html, select, textarea, type SafeHtml } from '../html';
import type { DashboardPage } from '../services/dashboard';

/** State of the bulk reassignment form after a post (its values, errors, or the result). */
export type ReassignState = { values?: Record<string, string>; errors?: Record<string, string>; notice?: string };

export function workloadView(data: DashboardPage): SafeHtml {
  const { load } = data;
  return html`
    <div class="dash-grid">
      <section aria-labelledby="h-last-stellen"><h3 id="h-last-stellen">Je Stelle</h3>
        <table><thead><tr><th scope="col">Stelle</th><th scope="col">offene Übergaben</th><th scope="col">davon überfällig</th><th scope="col">Median bis zur Annahme</th></tr></thead>
        <tbody>${load.departments.map((d) => html`<tr><th scope="row">${d.name}</th><td>${d.openTasks}</td><td>${d.overdueTasks}</td><td>${d.medianHoursToAccept === null ? '–' : `${d.medianHoursToAccept.toLocaleString('de-DE')} Std.`}</td></tr>`)}</tbody></table>
      </section>
      <section aria-labelledby="h-last-personen"><h3 id="h-last-personen">Je Fallmanager/in</h3>
        ${
          load.caseworkers.length
            ? html`<table><thead><tr><th scope="col">Name</th><th scope="col">laufende Ketten</th><th scope="col">davon überfällig</th></tr></thead>
        <tbody>${load.caseworkers.map((c) => html`<tr><th scope="row">${c.name}</th><td>${c.runningChains}</td><td>${c.overdue}</td></tr>`)}</tbody></table>`
            : html`<p>Keine laufenden Ketten.</p>`
        }
      </section>
    </div>`;
}

export function reassignFormView(data: DashboardPage, csrf: string | undefined, reassign: ReassignState): SafeHtml {
  const { load } = data;
  const activeCaseworkers = data.caseworkers.filter((u) => u.active);
  const re = reassign.errors ?? {};
  const rv = reassign.values ?? {};
  const withChains = load.caseworkers.filter((c) => c.runningChains > 0);
  return html`<section aria-labelledby="h-uebertragen"><h3 id="h-uebertragen">Ketten gesammelt übertragen</h3>
    ${reassign.notice ? html`<p class="notice ok" role="status">${reassign.notice}</p>` : ''}
    ${Object.keys(re).length ? errorSummary(re) : ''}
    <p class="hint">Alle laufenden und angehaltenen Ketten einer Fallmanagerin / eines Fallmanagers gehen an eine andere Person; jede Übertragung steht im Verlauf der Kette und im Protokoll.</p>
    <form method="post" action="/leitung/uebertragen" novalidate>
      ${csrfField(csrf)}
      ${select({
        name: 'fromCaseworkerId',
        id: 'f-reassignFrom',
        label: 'Von',
        required: true,
        value: rv.fromCaseworkerId,
        error: re.reassignFrom,
        options: [['', '– bitte wählen –'], ...withChains.map((c): [string, string] => [c.id, `${c.name} (${c.runningChains} laufend)`])],
      })}
      ${select({
        name: 'toCaseworkerId',
        id: 'f-reassignTo',
        label: 'An',
        required: true,
        value: rv.toCaseworkerId,
        error: re.reassignTo,
        options: [['', '– bitte wählen –'], ...activeCaseworkers.map((u): [string, string] => [u.id, u.name])],
      })}
      ${textarea({ name: 'reason', id: 'f-reassignReason', label: 'Begründung', required: true, value: rv.reason, error: re.reassignReason, maxlength: 1000 })}
      <button type="submit">Ketten übertragen</button>
    </form></section>`;
}
