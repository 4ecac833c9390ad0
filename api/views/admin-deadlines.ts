// The deadline rules page (/admin/fristen): the rules, the form to set one, and the defaults per step.
import { HANDOFF_STEPS } from '../../core/domain/handoff';
import { formatDateTime } from '../../core/format/dates';
import { csrfField, errorSummary, field, html, select, type SafeHtml } from '../html';
import type { listDeadlineRules } from '../services/deadlines';
import type { DepartmentRef } from '../services/departments';

export const DEADLINE_LABELS: Record<string, string> = {
  department: 'Stelle',
  step: 'Schritt',
  ackDays: 'Eingang bestätigen (Arbeitstage)',
  completeDays: 'Erledigen (Arbeitstage)',
};
const LABELS = DEADLINE_LABELS;
const ALL = '';
const days = (n: number) => `${n} ${n === 1 ? 'Arbeitstag' : 'Arbeitstage'}`;

export interface DeadlinesViewInput {
  rules: Awaited<ReturnType<typeof listDeadlineRules>>;
  departments: DepartmentRef[];
  csrf?: string;
  values: Record<string, string>;
  errors: Record<string, string>;
  notice?: string;
}

export function deadlinesView({ rules, departments, csrf, values, errors, notice }: DeadlinesViewInput): SafeHtml {
  const deptName = (id: string | null) => (id ? (departments.find((d) => d.id === id)?.name ?? id) : 'alle Stellen');
  const stepName = (key: string | null) => (key ? (HANDOFF_STEPS[key]?.title ?? key) : 'alle Schritte');
  return html`
      ${notice ? html`<p class="notice ok" role="status">${notice}</p>` : ''}
      ${errorSummary(errors)}
      <p>Fristen für Übergaben an Stellen in Arbeitstagen (Montag bis Freitag ohne Feiertage in NRW). Eine Regel gilt für neue Übergaben;
        die genaueste passende Regel gewinnt: Stelle und Schritt, dann Schritt (alle Stellen), dann Stelle (alle Schritte), dann „alle/alle“.
        Erst wenn keine Regel passt, gelten die Vorgaben je Schritt.</p>
      <section aria-labelledby="h-regeln"><h2 id="h-regeln">Regeln</h2>
        ${
          rules.length === 0
            ? html`<p>Noch keine Regeln – es gelten die Vorgaben je Schritt.</p>`
            : html`<table>
          <thead><tr><th scope="col">Stelle</th><th scope="col">Schritt</th><th scope="col">Eingang bestätigen</th><th scope="col">Erledigen</th><th scope="col">Geändert</th></tr></thead>
          <tbody>${rules.map(
            (r) => html`<tr><td>${deptName(r.departmentId)}</td><td>${stepName(r.stepKey)}</td>
            <td>${days(r.ackDays)}</td><td>${days(r.completeDays)}</td>
            <td>${formatDateTime(r.updatedAt)}${r.updatedByName ? ` von ${r.updatedByName}` : ''}</td></tr>`,
          )}</tbody></table>`
        }
      </section>
      <section aria-labelledby="h-setzen"><h2 id="h-setzen">Regel setzen</h2>
        <p class="hint">Gibt es für Stelle und Schritt schon eine Regel, wird sie überschrieben. Pflichtangaben sind mit * gekennzeichnet.</p>
        <form method="post" action="/admin/fristen" novalidate>
          ${csrfField(csrf)}
          ${select({
            name: 'department',
            label: 'Stelle',
            value: values.department ?? ALL,
            error: errors.department,
            options: [[ALL, 'alle Stellen'], ...departments.map((d): [string, string] => [d.id, d.name])],
          })}
          ${select({
            name: 'step',
            label: 'Schritt',
            value: values.step ?? ALL,
            error: errors.step,
            options: [[ALL, 'alle Schritte'], ...Object.values(HANDOFF_STEPS).map((s): [string, string] => [s.key, s.title])],
          })}
          ${field({ name: 'ackDays', label: LABELS.ackDays, type: 'number', required: true, value: values.ackDays, error: errors.ackDays, hint: 'ganze Tage, 0 bis 60', attrs: 'min="0" max="60" step="1" inputmode="numeric"' })}
          ${field({ name: 'completeDays', label: LABELS.completeDays, type: 'number', required: true, value: values.completeDays, error: errors.completeDays, hint: 'ganze Tage nach der Annahme, 0 bis 250', attrs: 'min="0" max="250" step="1" inputmode="numeric"' })}
          <button type="submit">Regel speichern</button>
        </form>
      </section>
      <section aria-labelledby="h-vorgaben"><h2 id="h-vorgaben">Vorgaben je Schritt (ohne Regel)</h2>
        <table><thead><tr><th scope="col">Schritt</th><th scope="col">Eingang bestätigen</th><th scope="col">Erledigen</th></tr></thead>
          <tbody>${Object.values(HANDOFF_STEPS).map((s) => html`<tr><td>${s.title}</td><td>${days(s.ackDays)}</td><td>${days(s.completeDays)}</td></tr>`)}</tbody></table>
      </section>`;
}
