// Caseworker pages: case list (paged, searchable), new person, new case, case detail with live status,
// follow-up and status (with reason), chains and handoffs. Routes declare their roles (page-route.ts);
// services query, check access and audit; the markup is in api/views/case-*.ts.
import type { Request, Response } from 'express';
import { caseInput, caseStatusInput, followUpInput, personInput } from '../../core/domain/records';
import { CHAIN_TYPES } from '../../core/domain/chains';
import { createHandoffBody } from '../../core/domain/handoff';
import { berlinLocalToIso } from '../../core/format/dates';
import { CASE_STATUS_LABELS } from '../../core/format/labels';
import { ROLES, seesCaseFiles, worksOnCases } from '../access';
import { startPage } from '../services/start-page';
import { startPageView } from '../views/start-page';
import { actorOf } from '../auth';
import type { AppDeps } from '../deps';
import { HttpError } from '../errors';
import { html, type SafeHtml } from '../html';
import {
  caseOverview,
  createCase,
  createPerson,
  pageCases,
  personsForNewCase,
  setFollowUp,
  setStatus,
  storedCaseStatus,
} from '../services/cases';
import { startChain, waitForFirstStep } from '../services/chains';
import { createHandoff } from '../services/tasks';
import { caseDetailView } from '../views/case-detail';
import { caseFormView, personFormView } from '../views/case-forms';
import { caseListView, noCaseFilesView } from '../views/case-list';
import { consentPages } from './consent-pages';
import { formValues, validateForm, type FieldErrors } from './forms';
import { layout, LOGIN, pageRouter } from './page-route';
import { formKey } from '../submission';

const CASE_WORK = { roles: ROLES.caseWork, denied: 'Nur das Fallmanagement kann Personen und Fälle anlegen.' };
const CASE_CHANGE = { roles: ROLES.caseWork, denied: 'Nur das Fallmanagement kann Fälle ändern.' };

const NOTICES: Record<string, string> = {
  wv: 'Wiedervorlage gespeichert.',
  status: 'Status gespeichert.',
  uebergabe: 'Übergabe angelegt; die Stelle wird per E-Mail benachrichtigt.',
  einwilligung: 'Einwilligung gespeichert. Schritte, die auf sie gewartet haben, werden jetzt übergeben.',
  widerruf:
    'Einwilligung widerrufen. Offene Übergaben an Stellen, die sie nicht mehr abdeckt, wurden abgebrochen und die Stellen informiert.',
};

/** A 409 with a link to what already runs: the message in an alert, not an error summary of fields. */
const conflictBox = (
  message: string,
  link?: { href: string; text: string },
) => html`<div class="error-summary" role="alert" tabindex="-1" id="fehler">
  <h2>Nicht möglich</h2><p>${message}${link ? html` <a href="${link.href}">${link.text}</a>` : ''}</p></div>`;

export function casePages(deps: AppDeps) {
  const pages = pageRouter();
  const view = (req: Request, title: string, body: SafeHtml) => layout(deps, req, title, body);

  // the caseworker's start page (my cases, what is due next); everyone else: the case list
  pages.get('/', LOGIN, async (req: Request, res: Response) => {
    if (!worksOnCases(req.user!)) return res.redirect(303, '/faelle');
    res.send(view(req, 'Meine Fälle', startPageView(await startPage(deps.db, req.user!, actorOf(req)))));
  });

  // --- case list ----------------------------------------------------------------------------
  pages.get('/faelle', LOGIN, async (req: Request, res: Response) => {
    if (!seesCaseFiles(req.user!)) return res.send(view(req, 'Fälle', noCaseFilesView()));
    const q = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, 100) : '';
    const page = typeof req.query.seite === 'string' && /^\d{1,6}$/.test(req.query.seite) ? Number(req.query.seite) : 1;
    const result = await pageCases(deps, req.user!, actorOf(req), { q, page });
    const created = typeof req.query.angelegt === 'string' ? req.query.angelegt : undefined;
    res.send(view(req, 'Fälle', caseListView(req.user!, result, q, created)));
  });

  // --- new person, new case -------------------------------------------------------------------
  const personForm = (req: Request, values: Record<string, unknown> = {}, errors: FieldErrors = {}) =>
    view(req, 'Neue Person', personFormView(req.csrfToken, values, errors));
  const caseForm = async (req: Request, values: Record<string, unknown> = {}, errors: FieldErrors = {}) =>
    view(req, 'Neuer Fall', caseFormView(req.csrfToken, await personsForNewCase(deps, req.user!), values, errors));

  pages.get('/personen/neu', CASE_WORK, (req, res) => {
    res.send(personForm(req));
  });
  pages.post('/personen/neu', CASE_WORK, async (req: Request, res: Response) => {
    const values = formValues(req.body, ['householdSize']);
    const v = validateForm(personInput, values);
    if (!v.ok) return res.status(400).send(personForm(req, { ...values, _key: req.body._key }, v.errors));
    const p = await createPerson(deps, req.user!, actorOf(req), v.data, formKey(req));
    res.redirect(303, `/faelle/neu?personId=${p.id}`);
  });

  pages.get('/faelle/neu', CASE_WORK, async (req, res) => {
    res.send(await caseForm(req, { personId: req.query.personId }));
  });
  pages.post('/faelle/neu', CASE_WORK, async (req: Request, res: Response) => {
    const values = formValues(req.body);
    const v = validateForm(caseInput, values);
    if (!v.ok) return res.status(400).send(await caseForm(req, { ...values, _key: req.body._key }, v.errors));
    try {
      const c = await createCase(deps, req.user!, actorOf(req), v.data, formKey(req));
      res.redirect(303, `/faelle/${c.id}`);
    } catch (err) {
      if (err instanceof HttpError && err.status === 400) {
        return res
          .status(400)
          .send(await caseForm(req, { ...values, _key: req.body._key }, Object.fromEntries(err.details.map((d) => [d.field, d.message]))));
      }
      throw err;
    }
  });

  // --- case detail ------------------------------------------------------------------------
  const detail = async (
    req: Request,
    id: string,
    errors: FieldErrors = {},
    notice?: string,
    typed: Record<string, string> = {},
    problem?: SafeHtml,
  ) => {
    const o = await caseOverview(deps, req.user!, actorOf(req), id);
    return view(
      req,
      `Fall ${o.record.reference}`,
      caseDetailView(o, { user: req.user!, csrf: req.csrfToken }, { errors, typed, notice, problem }),
    );
  };

  /** 409: the case page again, with the message and a link to what already runs. */
  const conflict = async (
    req: Request,
    res: Response,
    id: string,
    typed: Record<string, string>,
    message: string,
    link?: { href: string; text: string },
  ) => res.status(409).send(await detail(req, id, {}, undefined, typed, conflictBox(message, link)));

  pages.get('/faelle/:id', LOGIN, async (req: Request, res: Response) => {
    const notice = typeof req.query.ok === 'string' ? NOTICES[req.query.ok] : undefined;
    res.send(await detail(req, String(req.params.id), {}, notice));
  });

  pages.get('/faelle/:id/status', LOGIN, async (req: Request, res: Response) => {
    const status = await storedCaseStatus(deps.db, req.user!, actorOf(req), String(req.params.id)); // the page's poll: no extra read
    res.json({ status, label: CASE_STATUS_LABELS[status] });
  });

  pages.post('/faelle/:id/wiedervorlage', CASE_CHANGE, async (req: Request, res: Response) => {
    const id = String(req.params.id);
    const values = formValues(req.body);
    // What was typed goes back into the form on an error; the date-time input's own value, not the ISO form.
    const typed = { dueAt: String(values.dueAt ?? ''), note: String(values.note ?? '') };
    const iso = typeof values.dueAt === 'string' ? berlinLocalToIso(values.dueAt) : undefined;
    // The schema's message speaks ISO (for the JSON API); the form asks for a date and a time.
    if (!iso) {
      const dueAt =
        values.dueAt === undefined
          ? 'Wiedervorlage am: bitte Datum und Uhrzeit angeben'
          : 'Wiedervorlage am: bitte Datum und Uhrzeit angeben (TT.MM.JJJJ, hh:mm)';
      return res.status(400).send(await detail(req, id, { dueAt }, undefined, typed));
    }
    const v = validateForm(followUpInput, { ...values, dueAt: iso });
    if (!v.ok) return res.status(400).send(await detail(req, id, v.errors, undefined, typed));
    try {
      await setFollowUp(deps, req.user!, actorOf(req), id, v.data);
    } catch (err) {
      if (err instanceof HttpError && (err.status === 400 || err.status === 409))
        return res.status(err.status).send(await detail(req, id, { dueAt: err.message }, undefined, typed));
      throw err;
    }
    res.redirect(303, `/faelle/${id}?ok=wv`);
  });

  pages.post('/faelle/:id/status', CASE_CHANGE, async (req: Request, res: Response) => {
    const id = String(req.params.id);
    const values = formValues(req.body);
    const typed = {
      status: String(values.status ?? ''),
      statusReason: String(values.reason ?? ''),
      closureCode: String(values.closureCode ?? ''),
      cancelChains: String(values.cancelChains ?? ''),
    };
    if (values.cancelChains !== undefined) values.cancelChains = values.cancelChains === 'on';
    const v = validateForm(caseStatusInput, values);
    if (!v.ok) {
      const errors: FieldErrors = {};
      if (v.errors.status) errors.status = 'Status: bitte einen gültigen Status wählen';
      if (v.errors.reason) errors.statusReason = v.errors.reason;
      if (v.errors.closureCode)
        errors.closureCode = v.errors.closureCode.startsWith('Abschlussgrund')
          ? v.errors.closureCode
          : `Abschlussgrund: ${v.errors.closureCode}`;
      return res.status(400).send(await detail(req, id, errors, undefined, typed));
    }
    try {
      await setStatus(deps, req.user!, actorOf(req), id, v.data);
    } catch (err) {
      if (err instanceof HttpError && err.status === 409)
        return res.status(409).send(await detail(req, id, { status: err.message }, undefined, typed));
      throw err;
    }
    res.redirect(303, `/faelle/${id}?ok=status`);
  });

  // --- chains and handoffs ------------------------------------------------------------------
  pages.post(
    '/faelle/:id/ketten',
    { roles: ROLES.caseWork, denied: 'Nur das Fallmanagement kann Ketten starten.' },
    async (req: Request, res: Response) => {
      const id = String(req.params.id);
      const type = typeof req.body?.type === 'string' ? req.body.type.trim() : '';
      const typed = { chainType: type };
      if (!(CHAIN_TYPES as readonly string[]).includes(type)) {
        return res.status(400).send(await detail(req, id, { chainType: 'Art der Kette: bitte eine Kette auswählen' }, undefined, typed));
      }
      try {
        const p = await startChain(deps, req.user!, actorOf(req), id, type);
        await waitForFirstStep(deps.db, p.id);
        res.redirect(303, `/prozesse/${p.id}`);
      } catch (err) {
        if (err instanceof HttpError && err.status === 409) {
          const running = typeof err.extra.id === 'string' ? err.extra.id : undefined;
          return conflict(
            req,
            res,
            id,
            typed,
            err.message,
            running ? { href: `/prozesse/${running}`, text: 'Zur laufenden Kette' } : undefined,
          );
        }
        if (err instanceof HttpError && (err.status === 400 || err.status === 403)) {
          return res.status(err.status).send(await detail(req, id, { chainType: err.message }, undefined, typed));
        }
        throw err;
      }
    },
  );

  pages.post(
    '/faelle/:id/uebergaben',
    { roles: ROLES.caseWork, denied: 'Nur das Fallmanagement kann Schritte an Stellen übergeben.' },
    async (req: Request, res: Response) => {
      const id = String(req.params.id);
      const values = formValues(req.body);
      const typed = { handoffStep: String(values.step ?? ''), handoffDepartment: String(values.department ?? '') };
      const r = createHandoffBody.safeParse(values);
      if (!r.success) {
        const errors: FieldErrors = {};
        for (const i of r.error.issues) {
          const f = i.path[0] === 'department' ? 'handoffDepartment' : 'handoffStep';
          errors[f] ??= f === 'handoffStep' ? 'Schritt: bitte einen Schritt auswählen' : 'An Stelle: bitte eine Stelle auswählen';
        }
        return res.status(400).send(await detail(req, id, errors, undefined, typed));
      }
      try {
        await createHandoff(deps, req.user!, actorOf(req), id, r.data);
      } catch (err) {
        if (err instanceof HttpError && err.status === 409) {
          const taskId = typeof err.extra.taskId === 'string' ? err.extra.taskId : undefined;
          return conflict(
            req,
            res,
            id,
            typed,
            err.message,
            taskId ? { href: `/aufgaben/${taskId}`, text: 'Zur offenen Übergabe' } : undefined,
          );
        }
        if (err instanceof HttpError && (err.status === 400 || err.status === 403)) {
          const errors = err.details.length
            ? Object.fromEntries(err.details.map((d) => [d.field === 'department' ? 'handoffDepartment' : 'handoffStep', d.message]))
            : { handoffStep: err.message };
          return res.status(err.status).send(await detail(req, id, errors, undefined, typed));
        }
        throw err;
      }
      res.redirect(303, `/faelle/${id}?ok=uebergabe`);
    },
  );

  pages.router.use(consentPages(deps, detail));
  return pages.router;
}
