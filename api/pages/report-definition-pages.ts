// /admin/berichte: the report definitions for the administration — the list, a form for a new one and
// one to edit each (name, period, figures from core/domain/report-figures.ts, recipients' addresses, one
// per line). Errors at the field, input kept; a double submit of the new-definition form answers as the
// first (services/report-definitions.ts), the edit is the same change again.
import type { Request, Response } from 'express';
import { ROLES } from '../access';
import { actorOf } from '../auth';
import type { AppDeps } from '../deps';
import { HttpError } from '../errors';
import { checkboxes, csrfField, errorSummary, field, html, select, textarea } from '../html';
import { FIGURES, PERIOD_LABELS, type Period } from '../../core/domain/report-figures';
import {
  createReportDefinition,
  getReportDefinition,
  listReportDefinitions,
  reportDefinitionInput,
  reportDefinitionUpdate,
  updateReportDefinition,
} from '../services/report-definitions';
import { validateForm, type FieldErrors } from './forms';
import { layout, pageRouter } from './page-route';

const ADMIN = { roles: ROLES.administration, denied: 'Nur die Administration verwaltet Berichtsarten.' };
const TITLE = 'Berichtsarten';

interface Values {
  id?: string;
  title?: string;
  period?: string;
  sections?: string[];
  recipients?: string;
  _key?: string;
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');
function valuesOf(body: Record<string, unknown>): Values {
  const s = body.sections;
  return {
    id: str(body.id).trim(),
    title: str(body.title).trim(),
    period: str(body.period),
    sections: Array.isArray(s) ? s.filter((x): x is string => typeof x === 'string') : typeof s === 'string' ? [s] : [],
    recipients: str(body.recipients),
    _key: str(body._key),
  };
}
/** the form's values as the API's input (addresses one per line, or separated by commas or semicolons) */
const inputOf = (v: Values, withId: boolean) => ({
  ...(withId ? { id: v.id || undefined } : {}),
  title: v.title || undefined,
  period: v.period || undefined,
  sections: v.sections ?? [],
  recipients: (v.recipients ?? '')
    .split(/[\s,;]+/)
    .map((a) => a.trim())
    .filter(Boolean),
});

function form(req: Request, action: string, v: Values, errors: FieldErrors, isNew: boolean) {
  return html`${errorSummary(errors)}
    <form method="post" action="${action}" novalidate>
      ${csrfField(req.csrfToken, v._key)}
      ${isNew ? field({ name: 'id', label: 'Kürzel', value: v.id, required: true, error: errors.id, hint: 'z. B. integrationsrat (Kleinbuchstaben, Ziffern, Bindestriche)' }) : ''}
      ${field({ name: 'title', label: 'Name (Empfänger des Berichts)', value: v.title, required: true, error: errors.title })}
      ${select({
        name: 'period',
        label: 'Zeitraum',
        value: v.period ?? '',
        required: true,
        options: [['', '– bitte wählen –'], ...Object.entries(PERIOD_LABELS)],
        error: errors.period,
      })}
      ${checkboxes({
        name: 'sections',
        legend: 'Kennzahlen',
        options: Object.values(FIGURES).map((f): [string, string] => [f.id, f.title]),
        values: v.sections,
        required: true,
        error: errors.sections,
      })}
      ${textarea({
        name: 'recipients',
        label: 'Empfänger (E-Mail-Adressen, eine je Zeile)',
        value: v.recipients,
        error: errors.recipients,
        hint: 'Sie erhalten zum Ende jedes Zeitraums einen Link auf den Bericht, keine Zahlen in der E-Mail.',
        rows: 4,
      })}
      <button type="submit">${isNew ? 'Berichtsart anlegen' : 'Speichern'}</button>
    </form>`;
}

export function reportDefinitionPages(deps: AppDeps) {
  const pages = pageRouter();

  async function renderList(req: Request, res: Response, status = 200, v: Values = {}, errors: FieldErrors = {}, notice?: string) {
    const defs = await listReportDefinitions(deps.db);
    const body = html`${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
      <table><thead><tr><th scope="col">Berichtsart</th><th scope="col">Zeitraum</th><th scope="col">Kennzahlen</th><th scope="col">Empfänger</th></tr></thead>
      <tbody>${defs.map(
        (d) =>
          html`<tr><th scope="row"><a href="/admin/berichte/${d.id}">${d.title}</a></th><td>${PERIOD_LABELS[d.period as Period] ?? d.period}</td><td>${d.sections.length}</td><td>${d.recipients.length}</td></tr>`,
      )}</tbody></table>
      <section aria-labelledby="h-neu"><h2 id="h-neu">Neue Berichtsart</h2>${form(req, '/admin/berichte', v, errors, true)}</section>`;
    res.status(status).send(layout(deps, req, TITLE, body));
  }

  pages.get('/admin/berichte', ADMIN, (req: Request, res: Response) =>
    renderList(req, res, 200, {}, {}, req.query.ok === '1' ? 'Gespeichert.' : undefined),
  );
  pages.post('/admin/berichte', ADMIN, async (req: Request, res: Response) => {
    const v = valuesOf(req.body);
    const parsed = validateForm(reportDefinitionInput, inputOf(v, true));
    if (!parsed.ok) return renderList(req, res, 400, v, parsed.errors);
    try {
      await createReportDefinition(deps.db, actorOf(req), parsed.data);
    } catch (err) {
      if (err instanceof HttpError && err.status === 409) return renderList(req, res, 409, v, { id: err.message });
      throw err;
    }
    res.redirect(303, '/admin/berichte?ok=1');
  });

  const renderEdit = async (req: Request, res: Response, status: number, v: Values | null, errors: FieldErrors = {}) => {
    const d = await getReportDefinition(deps.db, String(req.params.id));
    const values = v ?? { ...d, recipients: d.recipients.join('\n') };
    res.status(status).send(layout(deps, req, `${TITLE}: ${d.title}`, form(req, `/admin/berichte/${d.id}`, values, errors, false)));
  };
  pages.get('/admin/berichte/:id', ADMIN, (req: Request, res: Response) => renderEdit(req, res, 200, null));
  pages.post('/admin/berichte/:id', ADMIN, async (req: Request, res: Response) => {
    const v = valuesOf(req.body);
    const parsed = validateForm(reportDefinitionUpdate, inputOf(v, false));
    if (!parsed.ok) return renderEdit(req, res, 400, v, parsed.errors);
    await updateReportDefinition(deps.db, actorOf(req), String(req.params.id), parsed.data);
    res.redirect(303, '/admin/berichte?ok=1');
  });
  return pages.router;
}
