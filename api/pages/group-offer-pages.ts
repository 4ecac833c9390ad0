// The group offer pages (issue 15): the KIM staff's group offers (e.g. „Wohnführerschein“) with their
// sessions, the enrolment of a person by the case reference (only cases in the user's scope), the
// attendance per session and the completion of a participation (evidence at the move-out chain's
// readiness step). Persons appear by their case reference only. German messages at the fields, input
// kept, nothing written on error; every form carries `_key` (a double submit writes once).
import type { Request, Response } from 'express';
import { audit } from '../../core/audit';
import { groupOfferInput, GROUP_OFFER_KINDS } from '../../core/domain/inventory/education';
import { berlinLocalToIso, formatDateTime } from '../../core/format/dates';
import { GROUP_OFFER_KIND_LABELS, groupOfferKindLabel } from '../../core/format/labels';
import { canChangeCase, caseListFilter } from '../access';
import { actorOf } from '../auth';
import type { AppDeps } from '../deps';
import { HttpError } from '../errors';
import { csrfField, errorSummary, field, html, select, type SafeHtml } from '../html';
import { onceForm } from '../services/form-once';
import {
  addSession,
  completeEnrolment,
  createGroupOffer,
  enrol,
  groupOfferDetail,
  listGroupOffers,
  recordAttendance,
} from '../services/group-offers';
import { formKey } from '../submission';
import { formValues } from './forms';
import { all, bestandNav, bodyOf, checkForm, idOf, isUuid, MANAGE, notice, problemBox } from './offer-page-kit';
import { layout, pageRouter } from './page-route';

interface FormState {
  /** the form the state belongs to */
  form: 'session' | 'enrol' | 'attendance' | 'complete';
  values: Record<string, string>;
  errors: Record<string, string>;
  key?: string;
  problem?: string;
}

const NOTICES: Record<string, string> = {
  angelegt: 'Gruppenangebot angelegt.',
  termin: 'Termin angelegt.',
  angemeldet: 'Angemeldet.',
  anwesenheit: 'Anwesenheit gespeichert.',
  abgeschlossen: 'Teilnahme abgeschlossen.',
};

export function groupOfferPages(deps: AppDeps) {
  const pages = pageRouter();

  pages.get('/bestand/gruppen', MANAGE, async (req: Request, res: Response) => {
    const offers = await listGroupOffers(deps.db);
    res.send(
      layout(
        deps,
        req,
        'Gruppenangebote',
        html`${bestandNav('/bestand/gruppen')}
        <p><a href="/bestand/gruppen/neu">Neues Gruppenangebot anlegen</a></p>
        ${
          offers.length
            ? html`<table><caption>Gruppenangebote (neueste zuerst)</caption>
          <thead><tr><th scope="col">Angebot</th><th scope="col">Art</th><th scope="col">Ort</th><th scope="col">Termine</th><th scope="col">Anmeldungen</th></tr></thead>
          <tbody>${offers.map(
            (g) =>
              html`<tr><th scope="row"><a href="/bestand/gruppen/${g.id}">${g.title}</a></th><td>${groupOfferKindLabel(g.kind)}</td><td>${g.place ?? '–'}</td><td>${g.sessions}</td><td>${g.enrolments}</td></tr>`,
          )}</tbody></table>`
            : html`<p>Noch keine Gruppenangebote.</p>`
        }`,
      ),
    );
  });

  const newForm = (
    req: Request,
    res: Response,
    status: number,
    s: { values: Record<string, string>; errors: Record<string, string>; key?: string },
  ) =>
    res.status(status).send(
      layout(
        deps,
        req,
        'Neues Gruppenangebot',
        html`${bestandNav('/bestand/gruppen')}${errorSummary(s.errors)}
        <form method="post" action="/bestand/gruppen/neu" novalidate>${csrfField(req.csrfToken, s.key)}
          ${select({
            name: 'kind',
            label: 'Art',
            required: true,
            value: s.values.kind,
            error: s.errors.kind,
            options: [['', 'bitte wählen'], ...GROUP_OFFER_KINDS.map((k) => [k, GROUP_OFFER_KIND_LABELS[k]] as [string, string])],
          })}
          ${field({ name: 'title', label: 'Titel', required: true, value: s.values.title, error: s.errors.title })}
          ${field({ name: 'place', label: 'Ort', value: s.values.place, error: s.errors.place })}
          <button type="submit">Gruppenangebot anlegen</button>
        </form>
        <p><a href="/bestand/gruppen">Abbrechen</a></p>`,
      ),
    );
  pages.get('/bestand/gruppen/neu', MANAGE, (req: Request, res: Response) => newForm(req, res, 200, { values: {}, errors: {} }));
  pages.post('/bestand/gruppen/neu', MANAGE, async (req: Request, res: Response) => {
    const b = bodyOf(req);
    const values = { kind: (b.kind ?? '').trim(), title: (b.title ?? '').trim(), place: (b.place ?? '').trim() };
    const key = formKey(req);
    const r = checkForm(groupOfferInput, formValues(values));
    if (!r.ok) return newForm(req, res, 400, { values, errors: r.errors, key });
    const g = await createGroupOffer(deps.db, req.user!, actorOf(req), r.data, key);
    res.redirect(303, `/bestand/gruppen/${g.id}?ok=angelegt`);
  });

  async function detail(req: Request, res: Response, id: string, status = 200, s?: FormState) {
    const g = await groupOfferDetail(deps.db, actorOf(req), id);
    // persons by the reference of their case in the user's scope (no names on this page)
    const cases = await deps.db.case.findMany({
      where: { AND: [caseListFilter(req.user!), { personId: { in: g.enrolments.map((e) => e.personId) } }] },
      select: { id: true, personId: true, reference: true },
      orderBy: { createdAt: 'asc' },
    });
    // the page names each enrolled person's case: the read stands in that case's audit log
    for (const c of cases) await audit(deps.db, actorOf(req), 'group-offer.case-read', { type: 'GroupOffer', id, caseId: c.id });
    const refOf = new Map<string, string>();
    for (const c of cases) if (!refOf.has(c.personId)) refOf.set(c.personId, c.reference);
    const who = (personId: string) => refOf.get(personId) ?? 'Person (Fall nicht in Ihrer Zuständigkeit)';
    const errors = s?.errors ?? {};
    const val = (form: FormState['form'], f: string) => (s?.form === form ? s.values[f] : undefined);
    const keyOf = (form: FormState['form']) => (s?.form === form ? s.key : undefined);
    const ok = status === 200 && typeof req.query.ok === 'string' ? NOTICES[req.query.ok] : undefined;
    const attended = (e: (typeof g.enrolments)[number]) => e.attendance.filter((a) => a.present).length;
    const attendanceForm = (session: (typeof g.sessions)[number], i: number): SafeHtml =>
      html`<form method="post" action="/bestand/gruppen/${g.id}/termine/${session.id}/anwesenheit">${csrfField(req.csrfToken, keyOf('attendance'))}
        <fieldset><legend>Anwesenheit am ${formatDateTime(session.at)}</legend>
        ${g.enrolments.map((e, j) => {
          const present = e.attendance.some((a) => a.sessionId === session.id && a.present);
          return html`<div class="choice"><input type="hidden" name="enrolment" value="${e.id}">
            <input type="checkbox" id="f-present-${i}-${j}" name="present" value="${e.id}"${present ? html` checked` : ''}>
            <label for="f-present-${i}-${j}">${who(e.personId)} anwesend</label></div>`;
        })}
        </fieldset>
        <button type="submit">Anwesenheit am ${formatDateTime(session.at)} speichern</button></form>`;
    res.status(status).send(
      layout(
        deps,
        req,
        `Gruppenangebot: ${g.title}`,
        html`${bestandNav('/bestand/gruppen')}${notice(ok)}${errorSummary(errors)}${problemBox('Nicht möglich', s?.problem)}
        <dl class="facts"><dt>Art</dt><dd>${groupOfferKindLabel(g.kind)}</dd><dt>Ort</dt><dd>${g.place ?? '–'}</dd></dl>
        <h2>Termine (${g.sessions.length})</h2>
        ${g.sessions.length ? html`<ul>${g.sessions.map((x) => html`<li>${formatDateTime(x.at)}</li>`)}</ul>` : html`<p>Noch keine Termine.</p>`}
        <form method="post" action="/bestand/gruppen/${g.id}/termine" novalidate>${csrfField(req.csrfToken, keyOf('session'))}
          ${field({ name: 'at', label: 'Neuer Termin (Datum und Uhrzeit)', type: 'datetime-local', required: true, value: val('session', 'at') ?? '', error: errors.at })}
          <button type="submit">Termin anlegen</button>
        </form>
        <h2>Anmeldungen (${g.enrolments.length})</h2>
        ${
          g.enrolments.length
            ? html`<table><caption>Angemeldete Personen (nach Aktenzeichen)</caption><thead><tr><th scope="col">Fall</th><th scope="col">Besuchte Termine</th><th scope="col">Teilnahme</th></tr></thead>
          <tbody>${g.enrolments.map(
            (e) =>
              html`<tr><th scope="row">${who(e.personId)}</th><td>${attended(e)} von ${g.sessions.length}</td><td>${
                e.completedAt
                  ? html`abgeschlossen am ${formatDateTime(e.completedAt)}`
                  : html`<form method="post" action="/bestand/gruppen/${g.id}/anmeldungen/${e.id}/abschluss">${csrfField(req.csrfToken)}<button type="submit" aria-label="Teilnahme von ${who(e.personId)} abschließen">Teilnahme abschließen</button></form>`
              }</td></tr>`,
          )}</tbody></table>`
            : html`<p>Noch niemand angemeldet.</p>`
        }
        <form method="post" action="/bestand/gruppen/${g.id}/anmeldungen" novalidate>${csrfField(req.csrfToken, keyOf('enrol'))}
          ${field({ name: 'caseReference', label: 'Person anmelden: Aktenzeichen des Falls', required: true, value: val('enrol', 'caseReference') ?? '', error: errors.caseReference, hint: 'z. B. KIM-2026-0001; nur Fälle in Ihrer Zuständigkeit.' })}
          ${field({ name: 'note', label: 'Vermerk', value: val('enrol', 'note') ?? '', error: errors.note })}
          <button type="submit">Anmelden</button>
        </form>
        <h2>Anwesenheit</h2>
        ${
          g.sessions.length && g.enrolments.length
            ? g.sessions.map(attendanceForm)
            : html`<p>Anwesenheit kann erfasst werden, sobald es Termine und Anmeldungen gibt.</p>`
        }
        <p><a href="/bestand/gruppen">Alle Gruppenangebote</a></p>`,
      ),
    );
  }

  pages.get('/bestand/gruppen/:id', MANAGE, (req: Request, res: Response) => detail(req, res, idOf(req, 'id', 'Gruppenangebot')));

  pages.post('/bestand/gruppen/:id/termine', MANAGE, async (req: Request, res: Response) => {
    const id = idOf(req, 'id', 'Gruppenangebot');
    const values = { at: (bodyOf(req).at ?? '').trim() };
    const key = formKey(req);
    const at = berlinLocalToIso(values.at);
    if (!at)
      return detail(req, res, id, 400, {
        form: 'session',
        values,
        key,
        errors: { at: 'Termin: Datum und Uhrzeit angeben (TT.MM.JJJJ, HH:MM)' },
      });
    try {
      await onceForm(deps.db, req.user!, key, 'group.session', () => addSession(deps.db, actorOf(req), id, { at }));
    } catch (err) {
      if (err instanceof HttpError && err.status === 409)
        return detail(req, res, id, 409, { form: 'session', values, key, errors: { at: `Termin: ${err.message}` } });
      throw err;
    }
    res.redirect(303, `/bestand/gruppen/${id}?ok=termin`);
  });

  pages.post('/bestand/gruppen/:id/anmeldungen', MANAGE, async (req: Request, res: Response) => {
    const id = idOf(req, 'id', 'Gruppenangebot');
    const b = bodyOf(req);
    const values = { caseReference: (b.caseReference ?? '').trim(), note: (b.note ?? '').trim() };
    const key = formKey(req);
    const fail = (status: number, errors: Record<string, string>) => detail(req, res, id, status, { form: 'enrol', values, key, errors });
    if (!values.caseReference) return fail(400, { caseReference: 'Aktenzeichen fehlt' });
    if (values.note.length > 1000) return fail(400, { note: 'Vermerk ist zu lang (höchstens 1000 Zeichen)' });
    const c = await deps.db.case.findUnique({
      where: { reference: values.caseReference.toUpperCase() },
      select: { personId: true, caseworkerId: true, departmentId: true },
    });
    if (!c || !(req.user!.role === 'supervisor' || canChangeCase(req.user!, c)))
      return fail(400, { caseReference: 'Aktenzeichen unbekannt oder nicht in Ihrer Zuständigkeit' });
    try {
      await onceForm(deps.db, req.user!, key, 'group.enrol', () =>
        enrol(deps.db, req.user!, actorOf(req), id, { personId: c.personId, ...(values.note ? { note: values.note } : {}) }),
      );
    } catch (err) {
      if (err instanceof HttpError && (err.status === 409 || err.status === 400)) return fail(err.status, { caseReference: err.message });
      throw err;
    }
    res.redirect(303, `/bestand/gruppen/${id}?ok=angemeldet`);
  });

  pages.post('/bestand/gruppen/:id/termine/:sessionId/anwesenheit', MANAGE, async (req: Request, res: Response) => {
    const id = idOf(req, 'id', 'Gruppenangebot');
    const sessionId = idOf(req, 'sessionId', 'Termin');
    const present = new Set(all(req, 'present'));
    const items = [...new Set(all(req, 'enrolment'))].map((enrolmentId) => ({ enrolmentId, present: present.has(enrolmentId) }));
    if (!items.length || items.length > 200 || !items.every((i) => isUuid(i.enrolmentId)))
      return detail(req, res, id, 400, { form: 'attendance', values: {}, errors: {}, problem: 'Keine Anmeldungen im Formular.' });
    try {
      await recordAttendance(deps.db, req.user!, actorOf(req), id, sessionId, items);
    } catch (err) {
      if (err instanceof HttpError && err.status === 400)
        return detail(req, res, id, 400, { form: 'attendance', values: {}, errors: {}, problem: err.message });
      throw err;
    }
    res.redirect(303, `/bestand/gruppen/${id}?ok=anwesenheit`);
  });

  pages.post('/bestand/gruppen/:id/anmeldungen/:enrolmentId/abschluss', MANAGE, async (req: Request, res: Response) => {
    const id = idOf(req, 'id', 'Gruppenangebot');
    const enrolmentId = idOf(req, 'enrolmentId', 'Anmeldung');
    try {
      await completeEnrolment(deps.db, actorOf(req), id, enrolmentId);
    } catch (err) {
      if (err instanceof HttpError && err.status === 409)
        return detail(req, res, id, 409, { form: 'complete', values: {}, errors: {}, problem: err.message });
      throw err;
    }
    res.redirect(303, `/bestand/gruppen/${id}?ok=abgeschlossen`);
  });

  return pages.router;
}
