// The supervisor's dashboard (/leitung): key figures (services/dashboard.ts), the filterable process
// list (listProcesses; a GET form, cursor paging, CSV link with the same filters) and the workload per
// department and caseworker. Caseworkers see the same page for their own scope; everyone else gets
// 403. Live updates are progressive enhancement (app.js re-fetches this URL every few seconds and
// swaps the [data-live-part] sections); `Accept: application/json` returns the same data as JSON.
import { formatDate, formatDateTime } from '../../core/format/dates';
import { Router, type Request, type Response } from 'express';
import { CHAIN_TITLES, CHAIN_TYPES, chainDefinitionFor } from '../../core/domain/chains';
import type { AppDeps } from '../deps';
import { actorOf } from '../auth';
import { forbidden, HttpError } from '../errors';
import { csrfField, errorSummary, html, page, select, textarea, type SafeHtml } from '../html';
import { bulkReassignBody } from '../routes/dashboard-api';
import { processQuery } from '../routes/chains-api';
import { listProcesses } from '../services/chains';
import { bulkReassign, dashboard, workload } from '../services/dashboard';
import { formValues, validateForm } from './forms';
import { chainTitle, PROCESS_STATUS_LABELS } from '../../core/format/labels';

const PAGE_SIZE = 25;
/** the list filters of the form, in the order they appear in URLs */
const FILTER_KEYS = ['type', 'status', 'department', 'caseworker', 'overdue', 'step', 'olderThanDays', 'q', 'sort', 'order'] as const;
const AGE_OPTIONS: Array<[string, string]> = [['', 'beliebig'], ['7', 'älter als 7 Tage'], ['14', 'älter als 14 Tage'], ['30', 'älter als 30 Tage'], ['90', 'älter als 90 Tage']];
const SORT_OPTIONS: Array<[string, string]> = [['', 'neueste zuerst'], ['dueAt', 'dringendste zuerst (Fälligkeit)']];
const FIELD_IDS: Record<string, string> = { type: 'type', status: 'status', department: 'department', caseworker: 'caseworker', overdue: 'overdue', step: 'step', olderThanDays: 'olderThanDays', q: 'q', sort: 'sort', order: 'sort', cursor: 'q', limit: 'q', caseId: 'q' };

/** every step key of the installed chain definitions, with its title */
function stepOptions(): Array<[string, string]> {
  const seen = new Map<string, string>();
  for (const type of CHAIN_TYPES) {
    const def = chainDefinitionFor(type);
    for (const [key, s] of Object.entries(def?.steps ?? {})) if (!seen.has(key)) seen.set(key, `${s.title} (${CHAIN_TITLES[type]})`);
  }
  return [...seen.entries()];
}

/** the submitted filters without empty values (a GET form sends every field) */
function submitted(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of [...FILTER_KEYS, 'cursor'] as const) {
    const v = req.query[k];
    if (typeof v === 'string' && v.trim() !== '') out[k] = v.trim();
  }
  return out;
}

const qs = (values: Record<string, string>) => new URLSearchParams(values).toString();

export function dashboardPages(deps: AppDeps) {
  const router = Router();

  /** State of the bulk reassignment form after a post (its values, errors, or the result). */
  type ReassignState = { values?: Record<string, string>; errors?: Record<string, string>; notice?: string };

  router.get('/leitung', (req: Request, res: Response) => render(req, res));

  router.post('/leitung/uebertragen', async (req: Request, res: Response) => {
    if (req.user!.role !== 'supervisor') throw forbidden('Nur die Leitung kann Ketten gesammelt übertragen.');
    const values = formValues(req.body) as Record<string, string>;
    const v = validateForm(bulkReassignBody, values);
    const toForm = (errors: Record<string, string>) => Object.fromEntries(Object.entries(errors).map(([f, m]) => [
      f === 'fromCaseworkerId' ? 'reassignFrom' : f === 'toCaseworkerId' ? 'reassignTo' : 'reassignReason',
      f === 'fromCaseworkerId' ? 'Von: bitte eine Fallmanagerin / einen Fallmanager wählen'
        : f === 'toCaseworkerId' ? 'An: bitte eine Fallmanagerin / einen Fallmanager wählen' : m,
    ]));
    if (!v.ok) return render(req, res.status(400), { values, errors: toForm(v.errors) });
    try {
      const r = await bulkReassign(deps, req.user!, actorOf(req), v.data);
      const notice = `${r.reassigned} ${r.reassigned === 1 ? 'Kette' : 'Ketten'} übertragen${r.failed.length ? `; ${r.failed.length} nicht übertragen (bitte einzeln prüfen)` : ''}.`;
      return render(req, res, { notice });
    } catch (err) {
      if (err instanceof HttpError && err.status === 400) {
        return render(req, res.status(400), { values, errors: toForm(Object.fromEntries(err.details.map((d) => [d.field, d.message]))) });
      }
      throw err;
    }
  });

  async function render(req: Request, res: Response, reassign: ReassignState = {}) {
    const user = req.user!;
    if (user.role !== 'supervisor' && user.role !== 'caseworker') throw forbidden('Nur für Leitung und Fallmanagement.');
    const values = submitted(req);
    const parsed = processQuery.safeParse({ ...values, limit: String(PAGE_SIZE) });
    const errors: Record<string, string> = {};
    if (!parsed.success) for (const i of parsed.error.issues) errors[FIELD_IDS[String(i.path[0])] ?? 'q'] ??= i.message;
    const filters = parsed.success ? parsed.data : { limit: PAGE_SIZE };

    const [figures, load, list, departments, caseworkers] = await Promise.all([
      dashboard(deps.db, user),
      workload(deps.db, user),
      listProcesses(deps.db, user, filters),
      deps.db.department.findMany({ select: { id: true, name: true }, orderBy: { name: 'asc' } }),
      deps.db.user.findMany({
        where: { role: 'caseworker', ...(user.role === 'supervisor' ? {} : user.departmentId ? { OR: [{ id: user.id }, { departmentId: user.departmentId }] } : { id: user.id }) },
        select: { id: true, name: true, active: true }, orderBy: { name: 'asc' },
      }),
    ]);
    const activeCaseworkers = caseworkers.filter((u) => u.active);

    if ((req.get('accept') ?? '').startsWith('application/json')) {
      res.setHeader('Cache-Control', 'no-store');
      return res.json({ figures, workload: load, processes: list });
    }

    const deptName = (id?: string | null) => (id ? departments.find((d) => d.id === id)?.name ?? id : '');
    const assigneeIds = [...new Set(list.items.map((p) => p.currentStep?.assignee).filter((x): x is string => Boolean(x)))];
    const handoffIds = list.items.filter((p) => p.currentStep?.status === 'handoff').map((p) => p.id);
    const [named, openTasks] = await Promise.all([
      assigneeIds.length ? deps.db.user.findMany({ where: { id: { in: assigneeIds } }, select: { id: true, name: true } }) : [],
      // a handoff's deadlines and overdue flag live on its task (Process.overdue covers caseworker steps only)
      handoffIds.length ? deps.db.task.findMany({
        where: { processId: { in: handoffIds }, status: { in: ['created', 'notified', 'accepted'] } },
        select: { processId: true, status: true, ackDueAt: true, dueAt: true, overdue: true }, orderBy: { createdAt: 'desc' },
      }) : [],
    ]);
    const taskOf = (processId: string) => openTasks.find((t) => t.processId === processId);
    const userName = (id: string) => named.find((u) => u.id === id)?.name ?? caseworkers.find((u) => u.id === id)?.name ?? 'unbekannt';

    // --- key figures ------------------------------------------------------------------------
    const scopeNote = figures.scope === 'own' ? html`<p class="hint">Sie sehen die Zahlen Ihrer eigenen Fälle und Ihres Teams.</p>` : '';
    const kennzahlen = html`
      <div class="dash-grid">
        <section aria-labelledby="h-laufend" class="card"><h3 id="h-laufend">Laufende Ketten je Art</h3>
          ${figures.runningByType.length ? html`<table><thead><tr><th scope="col">Kette</th><th scope="col">läuft</th><th scope="col">angehalten</th></tr></thead>
            <tbody>${figures.runningByType.map((r) => html`<tr><th scope="row">${r.title}</th><td>${r.running}</td><td>${r.onHold}</td></tr>`)}</tbody></table>`
            : html`<p>Keine laufenden Ketten.</p>`}
        </section>
        <section aria-labelledby="h-ueberfaellig" class="card"><h3 id="h-ueberfaellig">Überfällige Übergaben je Stelle</h3>
          ${figures.overdueHandoffsByDepartment.length ? html`<table><thead><tr><th scope="col">Stelle</th><th scope="col">überfällig</th></tr></thead>
            <tbody>${figures.overdueHandoffsByDepartment.map((r) => html`<tr><th scope="row">${deptName(r.department)}</th><td>${r.overdue}</td></tr>`)}</tbody></table>`
            : html`<p>Keine überfälligen Übergaben.</p>`}
        </section>
        <section aria-labelledby="h-monat" class="card"><h3 id="h-monat">Dieser Monat</h3>
          <dl class="facts"><dt>Gestartet</dt><dd>${figures.thisMonth.started}</dd><dt>Abgeschlossen</dt><dd>${figures.thisMonth.completed}</dd></dl>
          <p class="hint">seit ${formatDate(figures.thisMonth.since)}</p>
        </section>
        <section aria-labelledby="h-median" class="card"><h3 id="h-median">Dauer bis zum Auszug</h3>
          <p>${figures.medianDaysToMove.days === null ? 'Noch kein abgeschlossener Umzug.'
            : `Median ${figures.medianDaysToMove.days.toLocaleString('de-DE')} Tage (${figures.medianDaysToMove.chains} ${figures.medianDaysToMove.chains === 1 ? 'Kette' : 'Ketten'})`}</p>
        </section>
      </div>
      <section aria-labelledby="h-aelteste"><h3 id="h-aelteste">Am längsten wartende Schritte</h3>
        ${figures.oldestWaitingSteps.length ? html`<table><thead><tr><th scope="col">Aktenzeichen</th><th scope="col">Kette</th><th scope="col">Schritt</th><th scope="col">Liegt bei</th><th scope="col">Wartet seit</th><th scope="col">Fällig</th></tr></thead>
          <tbody>${figures.oldestWaitingSteps.map((s) => html`<tr><td><a href="/prozesse/${s.processId}">${s.caseReference}</a></td><td>${chainTitle(s.type)}</td><td>${s.title}</td>
            <td>${s.department ? deptName(s.department) : 'Fallmanagement'}</td><td>${formatDateTime(s.startedAt)} (${s.waitingDays} ${s.waitingDays === 1 ? 'Tag' : 'Tage'})</td><td>${s.dueAt ? formatDateTime(s.dueAt) : 'keine Frist'}</td></tr>`)}</tbody></table>`
          : html`<p>Keine offenen Schritte.</p>`}
      </section>`;

    // --- process list -------------------------------------------------------------------------
    const listValues = Object.fromEntries(Object.entries(values).filter(([k]) => k !== 'cursor'));
    const overdueCount = list.items.filter((p) => p.currentStep?.overdue).length;
    const summary = `${list.total} ${list.total === 1 ? 'Prozess' : 'Prozesse'} gefunden${list.items.length < list.total ? `, ${list.items.length} auf dieser Seite` : ''}; davon auf dieser Seite ${overdueCount} überfällig.`;
    const rows = list.items.map((p) => {
      const cur = p.currentStep;
      const task = cur?.status === 'handoff' ? taskOf(p.id) : undefined;
      const holder = !cur ? '–' : cur.status === 'handoff' ? deptName(cur.department) || 'zuständige Stelle'
        : `Fallmanagement (${userName(cur.assignee)})${cur.status === 'consent' ? ' – Einwilligung fehlt' : ''}`;
      return html`<tr>
        <td><a href="/prozesse/${p.id}">${p.caseReference}</a></td>
        <td>${chainTitle(p.type)}</td>
        <td>${PROCESS_STATUS_LABELS[p.status] ?? p.status}</td>
        <td>${cur ? cur.title : '–'}</td>
        <td>${holder}</td>
        <td>${cur?.dueAt ? formatDateTime(cur.dueAt) : task?.status === 'accepted' && task.dueAt ? formatDateTime(task.dueAt)
          : task?.ackDueAt ? `Eingang bestätigen bis ${formatDateTime(task.ackDueAt)}` : '–'}</td>
        <td>${cur?.overdue ? html`<strong class="overdue-mark">überfällig</strong>` : task?.overdue ? html`<strong class="overdue-mark">Übergabe überfällig</strong>` : 'nein'}</td>
      </tr>`;
    });
    const liste = html`
      <p id="liste-summary" data-live-summary>${summary}</p>
      ${list.items.length ? html`<table class="process-list"><caption class="visually-hidden">Prozesse nach den gewählten Filtern</caption>
        <thead><tr><th scope="col">Aktenzeichen</th><th scope="col">Kette</th><th scope="col">Status</th><th scope="col">Aktueller Schritt</th><th scope="col">Liegt bei</th><th scope="col">Fällig</th><th scope="col">Überfällig</th></tr></thead>
        <tbody>${rows}</tbody></table>` : html`<p>Keine Prozesse zu diesen Filtern.</p>`}
      <p class="list-links">
        ${values.cursor ? html`<a href="/leitung${qs(listValues) ? `?${qs(listValues)}` : ''}">Zum Anfang der Liste</a>` : ''}
        ${list.nextCursor ? html`<a href="/leitung?${qs({ ...listValues, cursor: list.nextCursor })}" rel="next">Weitere</a>` : ''}
      </p>`;

    // --- workload -----------------------------------------------------------------------------
    const auslastung = html`
      <div class="dash-grid">
        <section aria-labelledby="h-last-stellen"><h3 id="h-last-stellen">Je Stelle</h3>
          <table><thead><tr><th scope="col">Stelle</th><th scope="col">offene Übergaben</th><th scope="col">davon überfällig</th><th scope="col">Median bis zur Annahme</th></tr></thead>
          <tbody>${load.departments.map((d) => html`<tr><th scope="row">${d.name}</th><td>${d.openTasks}</td><td>${d.overdueTasks}</td><td>${d.medianHoursToAccept === null ? '–' : `${d.medianHoursToAccept.toLocaleString('de-DE')} Std.`}</td></tr>`)}</tbody></table>
        </section>
        <section aria-labelledby="h-last-personen"><h3 id="h-last-personen">Je Fallmanager/in</h3>
          ${load.caseworkers.length ? html`<table><thead><tr><th scope="col">Name</th><th scope="col">laufende Ketten</th><th scope="col">davon überfällig</th></tr></thead>
          <tbody>${load.caseworkers.map((c) => html`<tr><th scope="row">${c.name}</th><td>${c.runningChains}</td><td>${c.overdue}</td></tr>`)}</tbody></table>`
          : html`<p>Keine laufenden Ketten.</p>`}
        </section>
      </div>`;

    // --- bulk reassignment (supervisors): e.g. when a caseworker leaves or is absent for long ------
    const re = reassign.errors ?? {};
    const rv = reassign.values ?? {};
    const withChains = load.caseworkers.filter((c) => c.runningChains > 0);
    const reassignForm = html`<section aria-labelledby="h-uebertragen"><h3 id="h-uebertragen">Ketten gesammelt übertragen</h3>
      ${reassign.notice ? html`<p class="notice ok" role="status">${reassign.notice}</p>` : ''}
      ${Object.keys(re).length ? errorSummary(re) : ''}
      <p class="hint">Alle laufenden und angehaltenen Ketten einer Fallmanagerin / eines Fallmanagers gehen an eine andere Person; jede Übertragung steht im Verlauf der Kette und im Protokoll.</p>
      <form method="post" action="/leitung/uebertragen" novalidate>
        ${csrfField(req.csrfToken)}
        ${select({ name: 'fromCaseworkerId', id: 'f-reassignFrom', label: 'Von', required: true, value: rv.fromCaseworkerId, error: re.reassignFrom,
          options: [['', '– bitte wählen –'], ...withChains.map((c): [string, string] => [c.id, `${c.name} (${c.runningChains} laufend)`])] })}
        ${select({ name: 'toCaseworkerId', id: 'f-reassignTo', label: 'An', required: true, value: rv.toCaseworkerId, error: re.reassignTo,
          options: [['', '– bitte wählen –'], ...activeCaseworkers.map((u): [string, string] => [u.id, u.name])] })}
        ${textarea({ name: 'reason', id: 'f-reassignReason', label: 'Begründung', required: true, value: rv.reason, error: re.reassignReason, maxlength: 1000 })}
        <button type="submit">Ketten übertragen</button>
      </form></section>`;

    // --- filter form ----------------------------------------------------------------------------
    const v = (k: string) => values[k] ?? '';
    const form = html`<form method="get" action="/leitung" class="filters" aria-labelledby="h-filter">
      <h3 id="h-filter">Filter</h3>
      <div class="filter-grid">
        ${select({ name: 'type', label: 'Kette', value: v('type'), error: errors.type, options: [['', 'alle'], ...CHAIN_TYPES.map((t): [string, string] => [t, CHAIN_TITLES[t]])] })}
        ${select({ name: 'status', label: 'Status', value: v('status'), error: errors.status, options: [['', 'alle'], ...Object.entries(PROCESS_STATUS_LABELS)] })}
        ${select({ name: 'department', label: 'Stelle (aktueller Schritt)', value: v('department'), error: errors.department, options: [['', 'alle'], ...departments.map((d): [string, string] => [d.id, d.name])] })}
        ${select({ name: 'caseworker', label: 'Fallmanager/in', value: v('caseworker'), error: errors.caseworker, options: [['', 'alle'], ...caseworkers.map((u): [string, string] => [u.id, u.name])] })}
        ${select({ name: 'overdue', label: 'Überfällig', value: v('overdue'), error: errors.overdue, options: [['', 'egal'], ['true', 'nur überfällige'], ['false', 'nur nicht überfällige']] })}
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

    const csvHref = `/api/processes.csv${qs(listValues) ? `?${qs(listValues)}` : ''}`;
    const body: SafeHtml = html`
      ${errorSummary(errors)}
      ${scopeNote}
      <p id="live-status" class="hint" role="status" aria-live="polite" data-live-refresh="5000">Die Seite aktualisiert sich automatisch.</p>
      <section aria-labelledby="h-kennzahlen"><h2 id="h-kennzahlen">Kennzahlen</h2>
        <div id="live-kennzahlen" data-live-part>${kennzahlen}</div>
      </section>
      <section aria-labelledby="h-prozesse"><h2 id="h-prozesse">Prozesse</h2>
        ${form}
        <p><a href="${csvHref}" download>Als CSV (Excel)</a> <span class="hint">– alle Prozesse zu diesen Filtern, höchstens 50.000 Zeilen</span></p>
        <div id="live-liste" data-live-part>${liste}</div>
      </section>
      <section aria-labelledby="h-auslastung"><h2 id="h-auslastung">Auslastung</h2>
        <div id="live-auslastung" data-live-part>${auslastung}</div>
        ${user.role === 'supervisor' ? reassignForm : ''}
      </section>`;
    if (res.statusCode === 200 && !parsed.success) res.status(400);
    res.send(page({ title: 'Leitung: Übersicht', body, user, csrf: req.csrfToken, devInbox: Boolean(deps.capture) }));
  }

  return router;
}
