// The caseworker's person page (/personen/:id): edit form with optimistic concurrency and the household.
import type { Request, Response } from 'express';
import { householdMemberInput, personPatchInput, shelterPlaceInput } from '../../core/domain/person-file';
import { ROLES } from '../access';
import { actorOf } from '../auth';
import type { AppDeps } from '../deps';
import { HttpError, zodDetails } from '../errors';
import { errorSummary, html, type SafeHtml } from '../html';
import {
  addHouseholdMember,
  alreadySubmitted,
  patchPerson,
  personForChange,
  readPersonFile,
  removeHouseholdMember,
} from '../services/person-file';
import { once } from '../idempotency';
import { assignShelterPlace, shelterOccupancy } from '../services/shelters';
import { formKey } from '../submission';
import { shelterPlaceView } from '../views/person-shelter';
import { householdView, personEditView, personFormValues, type PersonFormValues } from '../views/person-form';
import { layout, pageRouter } from './page-route';

const CASE_CHANGE = { roles: ROLES.caseWork, denied: 'Nur das Fallmanagement kann Personen ändern.' };
const NOTICES: Record<string, string> = {
  gespeichert: 'Änderungen gespeichert.',
  haushalt: 'Haushalt gespeichert.',
  unterkunft: 'Platz in der Notunterkunft gespeichert.',
};

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
const orNull = (v: string) => (v === '' ? null : v);

/** The form's flat fields → the PATCH body (empty clears; check boxes on/off). */
export function patchFromForm(b: Record<string, unknown>): Record<string, unknown> {
  const f = (k: string) => str(b[k]);
  const on = (k: string) => b[k] === 'on';
  const version = Number(f('version'));
  return {
    version: Number.isInteger(version) ? version : f('version'),
    firstName: f('firstName'),
    lastName: f('lastName'),
    birthDate: orNull(f('birthDate')),
    gender: orNull(f('gender')),
    languages: f('languages')
      .split(/[,;\s]+/)
      .map((x) => x.toLowerCase())
      .filter(Boolean),
    letterLanguage: orNull(f('letterLanguage').toLowerCase()),
    interpreterNeeded: on('interpreterNeeded'),
    contact: {
      phone: orNull(f('phone')),
      email: orNull(f('email')),
      postalAddress: orNull(f('postalAddress')),
      careOfShelter: on('careOfShelter'),
    },
    residence: {
      title: orNull(f('residenceTitle')),
      validUntil: orNull(f('residenceValidUntil')),
      obligation12a: on('obligation12a'),
      obligation12aPlace: orNull(f('obligation12aPlace')),
    },
    prospectOfStaying: orNull(f('prospectOfStaying')),
    benefitType: f('benefitType'),
  };
}

/** An error's path → the form field it belongs to. */
const FORM_FIELD: Record<string, string> = {
  'contact.phone': 'phone',
  'contact.email': 'email',
  'contact.postalAddress': 'postalAddress',
  'contact.careOfShelter': 'careOfShelter',
  'residence.title': 'residenceTitle',
  'residence.validUntil': 'residenceValidUntil',
  'residence.obligation12a': 'obligation12a',
  'residence.obligation12aPlace': 'obligation12aPlace',
};
const formField = (path: string) => FORM_FIELD[path] ?? path.split('.')[0];

const problemBox = (message: string) => html`<div class="error-summary" role="alert" tabindex="-1" id="fehler">
  <h2>Nicht gespeichert</h2><p>${message}</p></div>`;

export function personPages(deps: AppDeps) {
  const pages = pageRouter();

  const render = async (
    req: Request,
    id: string,
    o: { values?: PersonFormValues; errors?: Record<string, string>; problem?: SafeHtml; notice?: string; key?: string } = {},
    household: { typed?: Record<string, string>; errors?: Record<string, string> } = {},
    shelter: { typed?: Record<string, string>; errors?: Record<string, string> } = {},
  ) => {
    const p = await readPersonFile(deps, req.user!, actorOf(req), id);
    const shelters = await shelterOccupancy(deps.db);
    const body = personEditView(p, req.csrfToken, o.values ?? personFormValues(p), o.errors ?? {}, {
      problem: o.problem,
      notice: o.notice,
      key: o.key,
      household: html`${householdView(p, req.csrfToken, !p.anonymizedAt, household.typed, household.errors)}
      ${shelterPlaceView(p, shelters, req.csrfToken, shelter.typed, shelter.errors)}`,
    });
    return layout(deps, req, `Person bearbeiten: ${p.lastName}, ${p.firstName}`, body);
  };

  pages.get('/personen/:id', CASE_CHANGE, async (req: Request, res: Response) => {
    const notice = typeof req.query.ok === 'string' ? NOTICES[req.query.ok] : undefined;
    res.send(await render(req, String(req.params.id), { notice }));
  });

  pages.post('/personen/:id', CASE_CHANGE, async (req: Request, res: Response) => {
    const id = String(req.params.id);
    const values = Object.fromEntries(Object.entries(req.body ?? {}).map(([k, v]) => [k, str(v)])) as PersonFormValues;
    const key = formKey(req);
    const parsed = personPatchInput.safeParse(patchFromForm(req.body ?? {}));
    if (!parsed.success) {
      const errors: Record<string, string> = {};
      for (const d of zodDetails(parsed.error)) errors[formField(d.field)] ??= d.message;
      return res.status(400).send(await render(req, id, { values, errors, key }));
    }
    try {
      await patchPerson(deps, req.user!, actorOf(req), id, parsed.data, key);
    } catch (err) {
      if (err instanceof HttpError && err.status === 409) {
        // a double submit of the same form: its first submission saved it
        if (await alreadySubmitted(deps.db, id, key)) return res.redirect(303, `/personen/${id}?ok=gespeichert`);
        return res.status(409).send(await render(req, id, { values, problem: problemBox(err.message), key }));
      }
      throw err;
    }
    res.redirect(303, `/personen/${id}?ok=gespeichert`);
  });

  pages.post('/personen/:id/haushalt', CASE_CHANGE, async (req: Request, res: Response) => {
    const id = String(req.params.id);
    const b = req.body ?? {};
    const typed = {
      memberFirstName: str(b.memberFirstName),
      memberLastName: str(b.memberLastName),
      memberBirthDate: str(b.memberBirthDate),
      relationship: str(b.relationship),
      _key: str(b._key),
    };
    const parsed = householdMemberInput.safeParse({
      firstName: typed.memberFirstName,
      lastName: typed.memberLastName,
      birthDate: typed.memberBirthDate || undefined,
      relationship: typed.relationship || undefined,
    });
    if (!parsed.success) {
      const errors: Record<string, string> = {};
      const name: Record<string, string> = { firstName: 'memberFirstName', lastName: 'memberLastName', birthDate: 'memberBirthDate' };
      for (const d of zodDetails(parsed.error)) errors[name[d.field] ?? d.field] ??= d.message;
      return res.status(400).send(await render(req, id, { problem: errorSummary(errors) }, { typed, errors }));
    }
    await addHouseholdMember(deps, req.user!, actorOf(req), id, parsed.data, formKey(req));
    res.redirect(303, `/personen/${id}?ok=haushalt#h-haushalt`);
  });

  pages.post('/personen/:id/haushalt/:memberId/entfernen', CASE_CHANGE, async (req: Request, res: Response) => {
    const id = String(req.params.id);
    try {
      await removeHouseholdMember(deps, req.user!, actorOf(req), id, String(req.params.memberId));
    } catch (err) {
      if (!(err instanceof HttpError && err.status === 404)) throw err; // already removed (double click)
    }
    res.redirect(303, `/personen/${id}?ok=haushalt#h-haushalt`);
  });

  pages.post('/personen/:id/unterkunft', CASE_CHANGE, async (req: Request, res: Response) => {
    const id = String(req.params.id);
    const b = req.body ?? {};
    const typed = { shelterId: str(b.shelterId), place: str(b.place), since: str(b.since), _key: str(b._key) };
    const parsed = shelterPlaceInput.safeParse({
      shelterId: typed.shelterId,
      place: typed.place || undefined,
      since: typed.since || undefined,
    });
    if (!parsed.success) {
      const errors: Record<string, string> = {};
      for (const d of zodDetails(parsed.error)) errors[d.field.split('.')[0]] ??= d.message;
      return res.status(400).send(await render(req, id, { problem: errorSummary(errors) }, {}, { typed, errors }));
    }
    try {
      await personForChange(deps.db, req.user!, actorOf(req), id, 'person.shelter.assign');
      await once(deps.db, req, res, async () => ({ id: (await assignShelterPlace(deps.db, req.user!, actorOf(req), id, parsed.data)).id }));
    } catch (err) {
      if (err instanceof HttpError && (err.status === 409 || (err.status === 404 && err.message.includes('Unterkunft')))) {
        const errors = { shelterId: err.message };
        return res.status(err.status).send(await render(req, id, { problem: errorSummary(errors) }, {}, { typed, errors }));
      }
      throw err;
    }
    res.redirect(303, `/personen/${id}?ok=unterkunft#h-unterkunft`);
  });

  return pages.router;
}
