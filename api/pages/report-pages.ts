// /berichte: the archived committee reports (PDF and CSV links) and, for supervisors, a form to produce
// one for a past period on demand. A repeated submit finds the same archived report (the id comes from
// definition and period), so a double submit never makes a second one.
import type { Request, Response } from 'express';
import { audit } from '../../core/audit';
import { actorOf } from '../auth';
import type { AppDeps } from '../deps';
import { HttpError } from '../errors';
import { csrfField, errorSummary, field, html, select } from '../html';
import { formatDay } from '../../core/format/dates';
import { PERIOD_LABELS, type Period } from '../../core/domain/report-figures';
import { getReport, listReports, REPORT_ROLES, reportInput, requestReport } from '../services/reports';
import { formValues, validateForm } from './forms';
import { layout, pageRouter } from './page-route';

const ACCESS = { roles: REPORT_ROLES, denied: 'Berichte nur für Leitung und Administration.' };

export function reportPages(deps: AppDeps) {
  const pages = pageRouter();

  async function render(
    req: Request,
    res: Response,
    state: { values?: Record<string, string>; errors?: Record<string, string>; notice?: string } = {},
  ) {
    const user = req.user!;
    const [reports, definitions] = await Promise.all([
      listReports(deps.db, user),
      deps.db.reportDefinition.findMany({ orderBy: { id: 'asc' } }),
    ]);
    const v = state.values ?? {};
    const errors = state.errors ?? {};
    const body = html`${errorSummary(errors)}
      ${state.notice ? html`<p class="notice" role="status">${state.notice}</p>` : ''}
      <p class="hint">Berichte enthalten nur zusammengefasste Zahlen; Werte von 1 bis 4 erscheinen als „&lt; 5“.</p>
      <section aria-labelledby="h-archiv"><h2 id="h-archiv">Archiv</h2>
        ${
          reports.length
            ? html`<table><thead><tr><th scope="col">Bericht</th><th scope="col">Zeitraum</th><th scope="col">erstellt</th><th scope="col">Dateien</th></tr></thead>
          <tbody>${reports.map(
            (r) =>
              html`<tr><th scope="row">${r.title}</th><td>${formatDay(r.from)} – ${formatDay(r.to)}</td><td>${r.trigger === 'schedule' ? 'planmäßig' : 'auf Anforderung'}</td>
              <td><a href="${r.pdf}">PDF</a> · <a href="${r.csv}">CSV (Excel)</a></td></tr>`,
          )}</tbody></table>`
            : html`<p>Noch keine Berichte.</p>`
        }
      </section>
      <section aria-labelledby="h-def"><h2 id="h-def">Berichtsarten</h2>
        <table><thead><tr><th scope="col">Bericht</th><th scope="col">Zeitraum</th><th scope="col">Abschnitte</th></tr></thead>
        <tbody>${definitions.map((d) => html`<tr><th scope="row">${d.title}</th><td>${PERIOD_LABELS[d.period as Period] ?? d.period}</td><td>${d.sections.length}</td></tr>`)}</tbody></table>
      </section>
      ${
        user.role === 'supervisor'
          ? html`<section aria-labelledby="h-neu"><h2 id="h-neu">Bericht erstellen</h2>
        <form method="post" action="/berichte" novalidate>
          ${csrfField(req.csrfToken)}
          ${select({ name: 'definition', label: 'Bericht', value: v.definition ?? '', options: [['', '– bitte wählen –'], ...definitions.map((d): [string, string] => [d.id, d.title])], error: errors.definition })}
          ${field({ name: 'from', label: 'Von', type: 'date', value: v.from, error: errors.from })}
          ${field({ name: 'to', label: 'Bis', type: 'date', value: v.to, error: errors.to })}
          <button type="submit">Bericht erstellen</button>
        </form></section>`
          : ''
      }`;
    res.send(layout(deps, req, 'Berichte', body));
  }

  pages.get('/berichte', ACCESS, (req: Request, res: Response) => render(req, res));
  // the page a scheduled report's mail links to: what it is and its files (behind the login)
  pages.get('/berichte/:id', ACCESS, async (req: Request, res: Response) => {
    const r = await getReport(deps.db, req.user!, String(req.params.id));
    await audit(deps.db, actorOf(req), 'report.read', { type: 'Report', id: r.id }, { format: 'page' });
    const body = html`<p>Zeitraum: ${formatDay(r.from)} – ${formatDay(r.to)} · ${r.trigger === 'schedule' ? 'planmäßig erstellt' : 'auf Anforderung erstellt'}</p>
      <p><a href="/api/reports/${r.id}.pdf">PDF</a> · <a href="/api/reports/${r.id}.csv">CSV (Excel)</a></p>
      <h2>Inhalt</h2><ul>${r.figures.map((f) => html`<li>${f.title}</li>`)}</ul>
      <p><a href="/berichte">Alle Berichte</a></p>`;
    res.send(layout(deps, req, r.definition.title, body));
  });
  pages.post('/berichte', { roles: ['supervisor'], denied: 'Berichte erstellt die Leitung.' }, async (req: Request, res: Response) => {
    const values = formValues(req.body) as Record<string, string>;
    const parsed = validateForm(reportInput, values);
    if (!parsed.ok) return render(req, res.status(400), { values, errors: parsed.errors });
    try {
      await requestReport(deps.db, req.user!, actorOf(req), parsed.data);
      return render(req, res, { notice: 'Bericht erstellt und archiviert.' });
    } catch (err) {
      if (err instanceof HttpError && err.status === 400) {
        return render(req, res.status(400), { values, errors: Object.fromEntries(err.details.map((d) => [d.field, d.message])) });
      }
      throw err;
    }
  });
  return pages.router;
}
