// The supervisor's dashboard (/leitung): key figures (services/dashboard.ts), the filterable process
// list (listProcesses; a GET form, cursor paging, CSV link with the same filters) and the workload per
// department and caseworker. Caseworkers see the same page for their own scope; everyone else gets
// 403. Live updates are progressive enhancement (app.js re-fetches this URL every few seconds and
// swaps the [data-live-part] sections); `Accept: application/json` returns the same data as JSON.
import type { Request, Response } from 'express';
import { reassignsInBulk, ROLES } from '../access';
import type { AppDeps } from '../deps';
import { actorOf } from '../auth';
import { HttpError } from '../errors';
import { errorSummary, html, type SafeHtml } from '../html';
import { bulkReassignBody } from '../routes/dashboard-api';
import { processQuery } from '../routes/chains-api';
import { bulkReassign, dashboardPage } from '../services/dashboard';
import { figuresView, scopeNote } from '../views/dashboard-figures';
import { filterForm, listValuesOf, processListView, qs } from '../views/dashboard-list';
import { reassignFormView, workloadView, type ReassignState } from '../views/dashboard-workload';
import { formValues, validateForm } from './forms';
import { analyticsSection } from './analytics-section';
import { layout, pageRouter } from './page-route';

const PAGE_SIZE = 25;
/** the list filters of the form, in the order they appear in URLs */
const FILTER_KEYS = ['type', 'status', 'department', 'caseworker', 'overdue', 'step', 'olderThanDays', 'q', 'sort', 'order'] as const;
const FIELD_IDS: Record<string, string> = {
  type: 'type',
  status: 'status',
  department: 'department',
  caseworker: 'caseworker',
  overdue: 'overdue',
  step: 'step',
  olderThanDays: 'olderThanDays',
  q: 'q',
  sort: 'sort',
  order: 'sort',
  cursor: 'q',
  limit: 'q',
  caseId: 'q',
};

/** the submitted filters without empty values (a GET form sends every field) */
function submitted(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of [...FILTER_KEYS, 'cursor'] as const) {
    const v = req.query[k];
    if (typeof v === 'string' && v.trim() !== '') out[k] = v.trim();
  }
  return out;
}

const DASHBOARD = { roles: ROLES.dashboard, denied: 'Nur für Leitung und Fallmanagement.' };

export function dashboardPages(deps: AppDeps) {
  const pages = pageRouter();

  pages.get('/leitung', DASHBOARD, (req: Request, res: Response) => render(req, res));

  pages.post(
    '/leitung/uebertragen',
    { roles: ROLES.supervision, denied: 'Nur die Leitung kann Ketten gesammelt übertragen.' },
    async (req: Request, res: Response) => {
      const values = formValues(req.body) as Record<string, string>;
      const v = validateForm(bulkReassignBody, values);
      const toForm = (errors: Record<string, string>) =>
        Object.fromEntries(
          Object.entries(errors).map(([f, m]) => [
            f === 'fromCaseworkerId' ? 'reassignFrom' : f === 'toCaseworkerId' ? 'reassignTo' : 'reassignReason',
            f === 'fromCaseworkerId'
              ? 'Von: bitte eine Fallmanagerin / einen Fallmanager wählen'
              : f === 'toCaseworkerId'
                ? 'An: bitte eine Fallmanagerin / einen Fallmanager wählen'
                : m,
          ]),
        );
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
    },
  );

  async function render(req: Request, res: Response, reassign: ReassignState = {}) {
    const user = req.user!;
    const values = submitted(req);
    const parsed = processQuery.safeParse({ ...values, limit: String(PAGE_SIZE) });
    const errors: Record<string, string> = {};
    if (!parsed.success) for (const i of parsed.error.issues) errors[FIELD_IDS[String(i.path[0])] ?? 'q'] ??= i.message;
    const data = await dashboardPage(deps.db, user, parsed.success ? parsed.data : { limit: PAGE_SIZE });

    if ((req.get('accept') ?? '').startsWith('application/json')) {
      res.setHeader('Cache-Control', 'no-store');
      return res.json({ figures: data.figures, workload: data.load, processes: data.list });
    }

    const listValues = listValuesOf(values);
    const csvHref = `/api/processes.csv${qs(listValues) ? `?${qs(listValues)}` : ''}`;
    const body: SafeHtml = html`
      ${errorSummary(errors)}
      ${scopeNote(data)}
      <p id="live-status" class="hint" role="status" aria-live="polite" data-live-refresh="5000">Die Seite aktualisiert sich automatisch.</p>
      <section aria-labelledby="h-kennzahlen"><h2 id="h-kennzahlen">Kennzahlen</h2>
        <div id="live-kennzahlen" data-live-part>${figuresView(data)}</div>
      </section>
      <section aria-labelledby="h-prozesse"><h2 id="h-prozesse">Prozesse</h2>
        ${filterForm(data, values, errors)}
        <p><a href="${csvHref}" download>Als CSV (Excel)</a> <span class="hint">– alle Prozesse zu diesen Filtern, höchstens 50.000 Zeilen</span></p>
        <div id="live-liste" data-live-part>${processListView(data, values)}</div>
      </section>
      ${await analyticsSection(deps, req)}
      <section aria-labelledby="h-auslastung"><h2 id="h-auslastung">Auslastung</h2>
        <div id="live-auslastung" data-live-part>${workloadView(data)}</div>
        ${reassignsInBulk(user) ? reassignFormView(data, req.csrfToken, reassign) : ''}
      </section>`;
    if (res.statusCode === 200 && !parsed.success) res.status(400);
    res.send(layout(deps, req, 'Leitung: Übersicht', body));
  }

  return pages.router;
}
