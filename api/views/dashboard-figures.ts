// The dashboard's key figures: running chains per type, overdue handoffs per department, this month,
// the median time to the move, and the steps waiting longest.
import { formatDate, formatDateTime } from '../../core/format/dates';
import { chainTitle, closureCodeLabel } from '../../core/format/labels';
import { html, type SafeHtml } from '../html';
import type { DashboardPage } from '../services/dashboard';
import { departmentName } from '../services/departments';

export function scopeNote(data: DashboardPage): SafeHtml | string {
  return data.figures.scope === 'own' ? html`<p class="hint">Sie sehen die Zahlen Ihrer eigenen Fälle und Ihres Teams.</p>` : '';
}

export function figuresView(data: DashboardPage): SafeHtml {
  const { figures } = data;
  const deptName = (id?: string | null) => departmentName(data.departments, id);
  return html`
    <div class="dash-grid">
      <section aria-labelledby="h-laufend" class="card"><h3 id="h-laufend">Laufende Ketten je Art</h3>
        ${
          figures.runningByType.length
            ? html`<table><thead><tr><th scope="col">Kette</th><th scope="col">läuft</th><th scope="col">angehalten</th></tr></thead>
          <tbody>${figures.runningByType.map((r) => html`<tr><th scope="row">${r.title}</th><td>${r.running}</td><td>${r.onHold}</td></tr>`)}</tbody></table>`
            : html`<p>Keine laufenden Ketten.</p>`
        }
      </section>
      <section aria-labelledby="h-ueberfaellig" class="card"><h3 id="h-ueberfaellig">Überfällige Übergaben je Stelle</h3>
        ${
          figures.overdueHandoffsByDepartment.length
            ? html`<table><thead><tr><th scope="col">Stelle</th><th scope="col">überfällig</th></tr></thead>
          <tbody>${figures.overdueHandoffsByDepartment.map((r) => html`<tr><th scope="row">${deptName(r.department)}</th><td>${r.overdue}</td></tr>`)}</tbody></table>`
            : html`<p>Keine überfälligen Übergaben.</p>`
        }
      </section>
      <section aria-labelledby="h-monat" class="card"><h3 id="h-monat">Dieser Monat</h3>
        <dl class="facts"><dt>Gestartet</dt><dd>${figures.thisMonth.started}</dd><dt>Abgeschlossen</dt><dd>${figures.thisMonth.completed}</dd></dl>
        <p class="hint">seit ${formatDate(figures.thisMonth.since)}</p>
      </section>
      <section aria-labelledby="h-abschluss" class="card"><h3 id="h-abschluss">Abgeschlossene Fälle nach Grund</h3>
        ${
          figures.closureReasons.some((r) => r.count)
            ? html`<table><thead><tr><th scope="col">Grund</th><th scope="col">Fälle</th></tr></thead>
          <tbody>${figures.closureReasons.filter((r) => r.count).map((r) => html`<tr><th scope="row">${r.code === 'none' ? 'ohne Angabe' : closureCodeLabel(r.code)}</th><td>${r.count}</td></tr>`)}</tbody></table>`
            : html`<p>Noch keine abgeschlossenen Fälle.</p>`
        }
      </section>
      <section aria-labelledby="h-median" class="card"><h3 id="h-median">Dauer bis zum Auszug</h3>
        <p>${
          figures.medianDaysToMove.days === null
            ? 'Noch kein abgeschlossener Umzug.'
            : `Median ${figures.medianDaysToMove.days.toLocaleString('de-DE')} Tage (${figures.medianDaysToMove.chains} ${figures.medianDaysToMove.chains === 1 ? 'Kette' : 'Ketten'})`
        }</p>
      </section>
      <section aria-labelledby="h-abschluss" class="card"><h3 id="h-abschluss">Beendete Ketten nach Abschluss</h3>
        ${
          figures.endedByEndCode.length
            ? html`<table><thead><tr><th scope="col">Kette</th><th scope="col">Abschluss</th><th scope="col">Anzahl</th></tr></thead>
          <tbody>${figures.endedByEndCode.map((r) => html`<tr><th scope="row">${chainTitle(r.type)}</th><td>${r.label}</td><td>${r.count}</td></tr>`)}</tbody></table>`
            : html`<p>Noch keine beendete Kette.</p>`
        }
      </section>
    </div>
    <section aria-labelledby="h-aelteste"><h3 id="h-aelteste">Am längsten wartende Schritte</h3>
      ${
        figures.oldestWaitingSteps.length
          ? html`<table><thead><tr><th scope="col">Aktenzeichen</th><th scope="col">Kette</th><th scope="col">Schritt</th><th scope="col">Liegt bei</th><th scope="col">Wartet seit</th><th scope="col">Fällig</th></tr></thead>
        <tbody>${figures.oldestWaitingSteps.map(
          (
            s,
          ) => html`<tr><td><a href="/prozesse/${s.processId}">${s.caseReference}</a></td><td>${chainTitle(s.type)}</td><td>${s.title}</td>
          <td>${s.department ? deptName(s.department) : 'Fallmanagement'}</td><td>${formatDateTime(s.startedAt)} (${s.waitingDays} ${s.waitingDays === 1 ? 'Tag' : 'Tage'})</td><td>${s.dueAt ? formatDateTime(s.dueAt) : 'keine Frist'}</td></tr>`,
        )}</tbody></table>`
          : html`<p>Keine offenen Schritte.</p>`
      }
    </section>`;
}
