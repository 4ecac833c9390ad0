// The dashboard's process list: the filter form (a GET form), one page of processes with who holds the
// current step and until when, and the links to the next page.
import { CHAIN_TITLES, CHAIN_TYPES, chainDefinitionFor } from '../../core/domain/chains';
import { formatDateTime } from '../../core/format/dates';
import { chainTitle, PROCESS_STATUS_LABELS } from '../../core/format/labels';
import { html, select, type SafeHtml } from '../html';
import type { DashboardPage } from '../services/dashboard';
import { departmentName } from '../services/departments';

const AGE_OPTIONS: Array<[string, string]> = [
  ['', 'beliebig'],
  ['7', 'älter als 7 Tage'],
  ['14', 'älter als 14 Tage'],
  ['30', 'älter als 30 Tage'],
  ['90', 'älter als 90 Tage'],
];
const SORT_OPTIONS: Array<[string, string]> = [
  ['', 'neueste zuerst'],
  ['dueAt', 'dringendste zuerst (Fälligkeit)'],
];

/** every step key of the installed chain definitions, with its title */
function stepOptions(): Array<[string, string]> {
  const seen = new Map<string, string>();
  for (const type of CHAIN_TYPES) {
    const def = chainDefinitionFor(type);
    for (const [key, s] of Object.entries(def?.steps ?? {})) if (!seen.has(key)) seen.set(key, `${s.title} (${CHAIN_TITLES[type]})`);
  }
  return [...seen.entries()];
}

export const qs = (values: Record<string, string>) => new URLSearchParams(values).toString();
/** the filters in URLs (without the cursor) */
export const listValuesOf = (values: Record<string, string>) => Object.fromEntries(Object.entries(values).filter(([k]) => k !== 'cursor'));

export function processListView(data: DashboardPage, values: Record<string, string>): SafeHtml {
  const { list, openTasks } = data;
  const deptName = (id?: string | null) => departmentName(data.departments, id);
  const taskOf = (processId: string) => openTasks.find((t) => t.processId === processId);
  const userName = (id: string) =>
    data.assignees.find((u) => u.id === id)?.name ?? data.caseworkers.find((u) => u.id === id)?.name ?? 'unbekannt';
  const listValues = listValuesOf(values);
  const overdueCount = list.items.filter((p) => p.currentStep?.overdue).length;
  const summary = `${list.total} ${list.total === 1 ? 'Prozess' : 'Prozesse'} gefunden${list.items.length < list.total ? `, ${list.items.length} auf dieser Seite` : ''}; davon auf dieser Seite ${overdueCount} überfällig.`;
  const rows = list.items.map((p) => {
    const cur = p.currentStep;
    const task = cur?.status === 'handoff' ? taskOf(p.id) : undefined;
    const holder = !cur
      ? '–'
      : cur.status === 'handoff'
        ? deptName(cur.department) || 'zuständige Stelle'
        : `Fallmanagement (${userName(cur.assignee)})${cur.status === 'consent' ? ' – Einwilligung fehlt' : ''}`;
    return html`<tr>
      <td><a href="/prozesse/${p.id}">${p.caseReference}</a></td>
      <td>${chainTitle(p.type)}</td>
      <td>${PROCESS_STATUS_LABELS[p.status] ?? p.status}</td>
      <td>${cur ? (p.currentSteps.length > 1 ? html`${p.currentSteps.map((s) => (s.heldSince ? `${s.title} (angehalten)` : s.title)).join(' + ')} <span class="hint">(parallel)</span>` : cur.heldSince ? `${cur.title} (angehalten)` : cur.title) : '–'}</td>
      <td>${holder}</td>
      <td>${
        cur?.dueAt
          ? formatDateTime(cur.dueAt)
          : task?.status === 'accepted' && task.dueAt
            ? formatDateTime(task.dueAt)
            : task?.ackDueAt
              ? `Eingang bestätigen bis ${formatDateTime(task.ackDueAt)}`
              : '–'
      }</td>
      <td>${cur?.overdue ? html`<strong class="overdue-mark">überfällig</strong>` : task?.overdue ? html`<strong class="overdue-mark">Übergabe überfällig</strong>` : 'nein'}</td>
    </tr>`;
  });
  return html`
    <p id="liste-summary" data-live-summary>${summary}</p>
    ${
      list.items.length
        ? html`<table class="process-list"><caption class="visually-hidden">Prozesse nach den gewählten Filtern</caption>
      <thead><tr><th scope="col">Aktenzeichen</th><th scope="col">Kette</th><th scope="col">Status</th><th scope="col">Aktueller Schritt</th><th scope="col">Liegt bei</th><th scope="col">Fällig</th><th scope="col">Überfällig</th></tr></thead>
      <tbody>${rows}</tbody></table>`
        : html`<p>Keine Prozesse zu diesen Filtern.</p>`
    }
    <p class="list-links">
      ${values.cursor ? html`<a href="/leitung${qs(listValues) ? `?${qs(listValues)}` : ''}">Zum Anfang der Liste</a>` : ''}
      ${list.nextCursor ? html`<a href="/leitung?${qs({ ...listValues, cursor: list.nextCursor })}" rel="next">Weitere</a>` : ''}
    </p>`;
}

export function filterForm(data: DashboardPage, values: Record<string, string>, errors: Record<string, string>): SafeHtml {
  const { departments, caseworkers } = data;
  const v = (k: string) => values[k] ?? '';
  return html`<form method="get" action="/leitung" class="filters" aria-labelledby="h-filter">
    <h3 id="h-filter">Filter</h3>
    <div class="filter-grid">
      ${select({ name: 'type', label: 'Kette', value: v('type'), error: errors.type, options: [['', 'alle'], ...CHAIN_TYPES.map((t): [string, string] => [t, CHAIN_TITLES[t]])] })}
      ${select({ name: 'status', label: 'Status', value: v('status'), error: errors.status, options: [['', 'alle'], ...Object.entries(PROCESS_STATUS_LABELS)] })}
      ${select({ name: 'department', label: 'Stelle (aktueller Schritt)', value: v('department'), error: errors.department, options: [['', 'alle'], ...departments.map((d): [string, string] => [d.id, d.name])] })}
      ${select({ name: 'caseworker', label: 'Fallmanager/in', value: v('caseworker'), error: errors.caseworker, options: [['', 'alle'], ...caseworkers.map((u): [string, string] => [u.id, u.name])] })}
      ${select({
        name: 'overdue',
        label: 'Überfällig',
        value: v('overdue'),
        error: errors.overdue,
        options: [
          ['', 'egal'],
          ['true', 'nur überfällige'],
          ['false', 'nur nicht überfällige'],
        ],
      })}
      ${select({ name: 'step', label: 'Aktueller Schritt', value: v('step'), error: errors.step, options: [['', 'alle'], ...stepOptions()] })}
      ${select({ name: 'olderThanDays', label: 'Alter der Kette', value: v('olderThanDays'), error: errors.olderThanDays, options: AGE_OPTIONS.some(([k]) => k === v('olderThanDays')) ? AGE_OPTIONS : [...AGE_OPTIONS, [v('olderThanDays'), `älter als ${v('olderThanDays')} Tage`]] })}
      <div class="field${errors.q ? ' has-error' : ''}">
        <label for="f-q">Aktenzeichen enthält</label>
        ${errors.q ? html`<p class="error" id="f-q-error">${errors.q}</p>` : ''}
        <input id="f-q" name="q" type="search" value="${v('q')}" maxlength="64" autocomplete="off"${errors.q ? html` aria-invalid="true" aria-describedby="f-q-error"` : ''}>
      </div>
      ${select({ name: 'sort', label: 'Sortierung', value: v('sort'), error: errors.sort, options: SORT_OPTIONS })}
    </div>
    <button type="submit">Filtern</button> <a href="/leitung">Filter zurücksetzen</a>
  </form>`;
}
