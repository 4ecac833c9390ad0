// Shelters (Notunterkünfte) for supervisors and admins (issue 13): /unterkuenfte lists them with
// places and occupancy (figures only, no persons) and creates one; /unterkuenfte/:id changes name,
// address and places (never fewer than occupied). German messages at the field, input kept, a double
// submit creates one shelter (the form's `_key`, api/idempotency.ts). JSON: /api/shelters.
import type { Request, Response } from 'express';
import { z } from 'zod';
import { shelterInput } from '../../core/domain/person-file';
import { actorOf } from '../auth';
import type { AppDeps } from '../deps';
import { HttpError } from '../errors';
import { csrfField, errorSummary, field, html, type SafeHtml } from '../html';
import { once } from '../idempotency';
import { createShelter, shelterOccupancy, updateShelter } from '../services/shelters';
import { formValues, validateForm } from './forms';
import { layout, pageRouter } from './page-route';

const ACCESS = { roles: ['supervisor', 'admin'] as const, denied: 'Nur Leitung und Administration verwalten Notunterkünfte.' };
const NOTICES: Record<string, string> = { angelegt: 'Notunterkunft angelegt.', gespeichert: 'Änderungen gespeichert.' };

type Values = Record<string, string>;
const problemBox = (message: string) => html`<div class="error-summary" role="alert" tabindex="-1" id="fehler">
  <h2>Nicht gespeichert</h2><p>${message}</p></div>`;

function shelterFields(v: Values, errors: Record<string, string>): SafeHtml {
  return html`${field({ name: 'name', label: 'Name', required: true, value: v.name, error: errors.name, attrs: 'maxlength="100"' })}
    ${field({ name: 'address', label: 'Adresse (optional)', value: v.address, error: errors.address, attrs: 'maxlength="300"' })}
    ${field({ name: 'capacity', label: 'Plätze', type: 'number', required: true, value: v.capacity, error: errors.capacity, attrs: 'min="1" max="2000" inputmode="numeric"' })}`;
}

const typed = (b: Record<string, unknown>): Values =>
  Object.fromEntries(['name', 'address', 'capacity', '_key'].map((k) => [k, typeof b[k] === 'string' ? (b[k] as string).trim() : '']));

/** A 409 of the service (name taken, fewer places than occupied) at its field. */
const conflictErrors = (err: HttpError): Record<string, string> =>
  /Plätze/.test(err.message) ? { capacity: err.message } : { name: err.message };

export function shelterAdminPages(deps: AppDeps) {
  const pages = pageRouter();

  const listPage = async (req: Request, o: { values?: Values; errors?: Record<string, string>; notice?: string } = {}) => {
    const shelters = await shelterOccupancy(deps.db);
    const v = o.values ?? {};
    const body = html`
      ${o.notice ? html`<p class="notice ok" role="status">${o.notice}</p>` : ''}
      ${errorSummary(o.errors ?? {})}
      <p><a href="/leitung/unterkuenfte">Belegung und Wartende</a></p>
      <section aria-labelledby="h-liste"><h2 id="h-liste">Notunterkünfte</h2>
        ${
          shelters.length
            ? html`<table><thead><tr><th scope="col">Unterkunft</th><th scope="col">Adresse</th><th scope="col">Plätze</th><th scope="col">belegt</th><th scope="col">frei</th><th scope="col"><span class="visually-hidden">Aktion</span></th></tr></thead>
          <tbody>${shelters.map(
            (s) =>
              html`<tr><th scope="row">${s.name}</th><td>${s.address ?? '–'}</td><td>${s.capacity}</td><td>${s.occupied}</td><td>${s.free}</td><td><a href="/unterkuenfte/${s.id}">${`${s.name} bearbeiten`}</a></td></tr>`,
          )}</tbody></table>`
            : html`<p>Noch keine Notunterkünfte erfasst.</p>`
        }
      </section>
      <section aria-labelledby="h-neu"><h2 id="h-neu">Neue Notunterkunft</h2>
        <form method="post" action="/unterkuenfte" novalidate>
          ${csrfField(req.csrfToken, v._key)}
          ${shelterFields(v, o.errors ?? {})}
          <button type="submit">Anlegen</button>
        </form>
      </section>`;
    return layout(deps, req, 'Notunterkünfte verwalten', body);
  };

  pages.get('/unterkuenfte', ACCESS, async (req: Request, res: Response) => {
    res.send(await listPage(req, { notice: typeof req.query.ok === 'string' ? NOTICES[req.query.ok] : undefined }));
  });

  pages.post('/unterkuenfte', ACCESS, async (req: Request, res: Response) => {
    const values = typed(req.body ?? {});
    const r = validateForm(shelterInput, formValues(req.body ?? {}, ['capacity']));
    if (!r.ok) return res.status(400).send(await listPage(req, { values, errors: r.errors }));
    try {
      await once(deps.db, req, res, async () => ({ id: (await createShelter(deps.db, actorOf(req), r.data)).id }));
    } catch (err) {
      if (err instanceof HttpError && err.status === 409)
        return res.status(409).send(await listPage(req, { values, errors: conflictErrors(err) }));
      throw err;
    }
    res.redirect(303, '/unterkuenfte?ok=angelegt');
  });

  const editPage = async (req: Request, id: string, o: { values?: Values; errors?: Record<string, string>; problem?: string } = {}) => {
    const s = (await shelterOccupancy(deps.db)).find((x) => x.id === id);
    if (!s) return undefined;
    const v = o.values ?? { name: s.name, address: s.address ?? '', capacity: String(s.capacity) };
    const body = html`
      ${o.problem ? problemBox(o.problem) : errorSummary(o.errors ?? {})}
      <p><a href="/unterkuenfte">Zurück zur Übersicht</a></p>
      <p>Belegt: ${s.occupied} von ${s.capacity} Plätzen. Weniger Plätze als belegt sind nicht möglich.</p>
      <form method="post" action="/unterkuenfte/${s.id}" novalidate>
        ${csrfField(req.csrfToken, v._key)}
        ${shelterFields(v, o.errors ?? {})}
        <button type="submit">Änderungen speichern</button>
      </form>`;
    return layout(deps, req, `Notunterkunft bearbeiten: ${s.name}`, body);
  };

  const shelterId = (req: Request) => {
    const id = String(req.params.id);
    return z.uuid().safeParse(id).success ? id : undefined;
  };

  pages.get('/unterkuenfte/:id', ACCESS, async (req: Request, res: Response) => {
    const id = shelterId(req);
    const page = id && (await editPage(req, id));
    if (!page) return res.status(404).send(layout(deps, req, 'Nicht gefunden', html`<p>Diese Notunterkunft gibt es nicht.</p>`));
    res.send(page);
  });

  pages.post('/unterkuenfte/:id', ACCESS, async (req: Request, res: Response) => {
    const id = shelterId(req);
    if (!id) return res.status(404).send(layout(deps, req, 'Nicht gefunden', html`<p>Diese Notunterkunft gibt es nicht.</p>`));
    const values = typed(req.body ?? {});
    const r = validateForm(shelterInput, formValues(req.body ?? {}, ['capacity']));
    if (!r.ok) return res.status(400).send(await editPage(req, id, { values, errors: r.errors }));
    try {
      await updateShelter(deps.db, actorOf(req), id, r.data);
    } catch (err) {
      if (err instanceof HttpError && err.status === 409)
        return res.status(409).send(await editPage(req, id, { values, errors: conflictErrors(err) }));
      if (err instanceof HttpError && err.status === 404)
        return res.status(404).send(layout(deps, req, 'Nicht gefunden', html`<p>Diese Notunterkunft gibt es nicht.</p>`));
      throw err;
    }
    res.redirect(303, '/unterkuenfte?ok=gespeichert');
  });

  return pages.router;
}
