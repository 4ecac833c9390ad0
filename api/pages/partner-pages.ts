// The partner pages of the inventory (issue 15): the list of partners with the overdue regular contacts,
// „Neuer Partner“ and the edit form (kind, name, contact persons, areas, agreements with their term,
// contact rhythm in weeks, the responsible caseworker), a partner's page with the contact log and its
// form, and for landlords and housing companies the personal form link („Meldelink senden“, the list of
// links with their state, „Widerrufen“). „Wohnung erfassen“ for the caseworker at /bestand/wohnungen/neu
// with the landlord form's fields. Same services and rights as the JSON routes; German messages at the
// fields, input kept, nothing written on error; `_key` against a double submit.
import type { Request, Response } from 'express';
import { contactInput, housingOfferInput, offerLinkInput, partnerInput, PARTNER_KINDS } from '../../core/domain/inventory/records';
import { formatDate, formatDay, isoDay } from '../../core/format/dates';
import {
  contactKindLabel,
  CONTACT_KIND_LABELS,
  OFFER_LINK_STATE_LABELS,
  partnerKindLabel,
  PARTNER_KIND_LABELS,
} from '../../core/format/labels';
import { actorOf } from '../auth';
import type { AppDeps } from '../deps';
import { csrfField, errorSummary, field, html, select, textarea } from '../html';
import { onceForm } from '../services/form-once';
import { addContact, createOffer, createPartner, listPartners, partnerOr404, partnerView } from '../services/inventory';
import { createOfferLink, revokeOfferLink } from '../services/offer-links';
import { responsibleOptions, updatePartner } from '../services/partner-edit';
import { formKey } from '../submission';
import { offerFields, offerFormInput, offerFormValues } from './landlord-pages';
import { bestandNav, bodyOf, checkForm, fieldErrorsOf, idOf, MANAGE, notice } from './offer-page-kit';
import { layout, pageRouter } from './page-route';

const LANDLORD_KINDS = ['landlord', 'housing_company', 'cooperative'];
const PARTNER_FIELDS = [
  'kind',
  'name',
  'email',
  'phone',
  'address',
  'areas',
  'contactPersons',
  'agreements',
  'contactWeeks',
  'responsibleId',
];
const PARTNER_LABELS: Record<string, string> = {
  kind: 'Art',
  name: 'Name',
  email: 'E-Mail',
  phone: 'Telefon',
  address: 'Anschrift',
  areas: 'Gebiete',
  contactPersons: 'Kontaktpersonen',
  agreements: 'Vereinbarungen',
  contactWeeks: 'Kontaktrhythmus',
  responsibleId: 'Zuständig',
};
const ACCESS = { ...MANAGE, denied: 'Partner und Wohnungsangebote sind für Fallmanagement und Leitung.' };

interface FormState {
  values: Record<string, string>;
  errors: Record<string, string>;
  key?: string;
}
const empty = (): FormState => ({ values: {}, errors: {} });

/** „TT.MM.JJJJ“ or „JJJJ-MM-TT“ → JJJJ-MM-TT (anything else as typed: the schema names it) */
const dayOf = (v: string) => {
  const m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(v.trim());
  return m ? `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}` : v.trim();
};
const lines = (v: string) =>
  v
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
const parts = (l: string) => l.split(';').map((p) => p.trim());

/** the partner form's strings → the API's input (the schema checks it); a bad rhythm → its field error */
function partnerFormInput(v: Record<string, string>): { input: Record<string, unknown>; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const input: Record<string, unknown> = { kind: v.kind || undefined, name: v.name || undefined };
  for (const k of ['email', 'phone', 'address', 'responsibleId']) if (v[k]) input[k] = v[k];
  input.areas = v.areas
    .split(/[,\n]/)
    .map((a) => a.trim())
    .filter(Boolean);
  input.contactPersons = lines(v.contactPersons).map((l) => {
    const [name, role, email, phone] = parts(l);
    return Object.fromEntries(Object.entries({ name, role, email, phone }).filter(([, x]) => x));
  });
  input.agreements = lines(v.agreements).map((l) => {
    const [title, from, until] = parts(l);
    return Object.fromEntries(
      Object.entries({ title, from: from ? dayOf(from) : undefined, until: until ? dayOf(until) : undefined }).filter(([, x]) => x),
    );
  });
  if (v.contactWeeks) {
    const w = /^\d{1,3}$/.test(v.contactWeeks) ? Number(v.contactWeeks) : NaN;
    if (!(w >= 1 && w <= 104)) errors.contactWeeks = 'Kontaktrhythmus: ganze Wochen von 1 bis 104 erwarten';
    else input.contactEveryDays = w * 7;
  }
  return { input, errors };
}

/** a zod path of the partner input → the form field (list entries named by their line) */
function partnerFieldOf(path: string) {
  const [head] = path.split('.');
  return head === 'contactEveryDays' ? 'contactWeeks' : head;
}
function partnerErrors(input: Record<string, unknown>, pre: Record<string, string>) {
  const r = checkForm(partnerInput, input, partnerFieldOf);
  if (r.ok && !Object.keys(pre).length) return { ok: true as const, data: r.data };
  const errors = { ...(r.ok ? {} : r.errors), ...pre };
  if (!r.ok) {
    // name the line of a list entry: „Kontaktpersonen, Zeile 2: …“
    const issues = partnerInput.safeParse(input).error?.issues ?? [];
    for (const i of issues) {
      const [head, n] = i.path;
      if ((head === 'contactPersons' || head === 'agreements' || head === 'areas') && typeof n === 'number')
        errors[head] = `${PARTNER_LABELS[head]}, Zeile ${n + 1}: ${i.message}`;
    }
  }
  return { ok: false as const, errors };
}

const personsText = (list: unknown[]) =>
  (list as Array<Record<string, string | undefined>>)
    .map((p) => [p.name, p.role ?? '', p.email ?? '', p.phone ?? ''].join('; ').replace(/(; )+$/, ''))
    .join('\n');
const agreementsText = (list: unknown[]) =>
  (list as Array<Record<string, string | undefined>>)
    .map((a) => [a.title, formatDay(a.from), formatDay(a.until)].join('; ').replace(/(; )+$/, ''))
    .join('\n');

type LinkRow = { id: string; recipient: string; expiresAt: Date; revokedAt: Date | null; usedAt: Date | null; createdAt: Date };
const linkState = (l: LinkRow, now = Date.now()) =>
  l.revokedAt ? 'revoked' : l.usedAt ? 'used' : l.expiresAt.getTime() < now ? 'expired' : ('open' as const);

export function partnerPages(deps: AppDeps) {
  const pages = pageRouter();

  // ---- list ----
  pages.get('/bestand/partner', ACCESS, async (req: Request, res: Response) => {
    const partners = await listPartners(deps.db, {});
    const overdue = partners.filter((p) => p.contactOverdue);
    res.send(
      layout(
        deps,
        req,
        'Partner und Regelkontakte',
        html`${bestandNav('/bestand/partner')}
        <p><a href="/bestand/partner/neu">Neuer Partner</a></p>
        <h2>Überfällige Regelkontakte</h2>
        ${
          overdue.length
            ? html`<ul>${overdue.map((p) => html`<li><a href="/bestand/partner/${p.id}">${p.name}</a> – fällig seit ${formatDate(p.contactDueAt)}</li>`)}</ul>`
            : html`<p>Keine überfälligen Kontakte.</p>`
        }
        <h2>Alle Partner</h2>
        ${
          partners.length
            ? html`<table><caption>Partner</caption><thead><tr><th scope="col">Name</th><th scope="col">Art</th><th scope="col">Letzter Kontakt</th><th scope="col">Nächster Kontakt</th></tr></thead>
        <tbody>${partners.map(
          (p) =>
            html`<tr><th scope="row"><a href="/bestand/partner/${p.id}">${p.name}</a></th><td>${partnerKindLabel(p.kind)}</td><td>${formatDate(p.lastContactAt, '–')}</td><td>${formatDate(p.contactDueAt, '–')}${p.contactOverdue ? ' (überfällig)' : ''}</td></tr>`,
        )}</tbody></table>`
            : html`<p>Noch keine Partner.</p>`
        }`,
      ),
    );
  });

  // ---- new / edit ----
  async function partnerForm(req: Request, res: Response, status: number, s: FormState, partnerId?: string) {
    const people = await responsibleOptions(deps.db);
    const v = s.values;
    const action = partnerId ? `/bestand/partner/${partnerId}/bearbeiten` : '/bestand/partner/neu';
    res.status(status).send(
      layout(
        deps,
        req,
        partnerId ? 'Partner bearbeiten' : 'Neuer Partner',
        html`${bestandNav('/bestand/partner')}${errorSummary(s.errors)}
        <form method="post" action="${action}" novalidate>${csrfField(req.csrfToken, s.key)}
          ${select({
            name: 'kind',
            label: 'Art',
            required: true,
            value: v.kind,
            error: s.errors.kind,
            options: [['', 'bitte wählen'], ...PARTNER_KINDS.map((k) => [k, PARTNER_KIND_LABELS[k]] as [string, string])],
          })}
          ${field({ name: 'name', label: 'Name', required: true, value: v.name, error: s.errors.name })}
          ${field({ name: 'email', label: 'E-Mail', type: 'email', value: v.email, error: s.errors.email, hint: 'An diese Adresse geht der Meldelink für Wohnungen.' })}
          ${field({ name: 'phone', label: 'Telefon', value: v.phone, error: s.errors.phone })}
          ${field({ name: 'address', label: 'Anschrift', value: v.address, error: s.errors.address })}
          ${field({ name: 'areas', label: 'Gebiete', value: v.areas, error: s.errors.areas, hint: 'Stadtteile oder Orte, durch Komma getrennt.' })}
          ${textarea({
            name: 'contactPersons',
            label: 'Kontaktpersonen',
            value: v.contactPersons,
            error: s.errors.contactPersons,
            hint: 'Eine je Zeile: Name; Funktion; E-Mail; Telefon (nur der Name ist Pflicht).',
          })}
          ${textarea({
            name: 'agreements',
            label: 'Vereinbarungen',
            value: v.agreements,
            error: s.errors.agreements,
            hint: 'Eine je Zeile: Titel; gültig ab (TT.MM.JJJJ); gültig bis (leer = unbefristet).',
          })}
          ${field({ name: 'contactWeeks', label: 'Kontaktrhythmus (Wochen)', value: v.contactWeeks, error: s.errors.contactWeeks, attrs: 'inputmode="numeric"', hint: 'z. B. 6 = alle sechs Wochen; leer = kein Regelkontakt.' })}
          ${select({
            name: 'responsibleId',
            label: 'Zuständig für den Regelkontakt',
            value: v.responsibleId,
            error: s.errors.responsibleId,
            options: [['', 'ich (bei Kontaktrhythmus) / niemand'], ...people.map((p) => [p.id, p.name] as [string, string])],
          })}
          <button type="submit">${partnerId ? 'Änderungen speichern' : 'Partner anlegen'}</button>
        </form>
        <p><a href="${partnerId ? `/bestand/partner/${partnerId}` : '/bestand/partner'}">Abbrechen</a></p>`,
      ),
    );
  }
  const partnerValues = (req: Request) => {
    const b = bodyOf(req);
    return Object.fromEntries(PARTNER_FIELDS.map((f) => [f, (b[f] ?? '').trim().slice(0, 5000)]));
  };

  pages.get('/bestand/partner/neu', ACCESS, (req: Request, res: Response) => partnerForm(req, res, 200, empty()));
  pages.post('/bestand/partner/neu', ACCESS, async (req: Request, res: Response) => {
    const values = partnerValues(req);
    const key = formKey(req);
    const { input, errors: pre } = partnerFormInput(values);
    const r = partnerErrors(input, pre);
    if (!r.ok) return partnerForm(req, res, 400, { values, errors: r.errors, key });
    try {
      const p = await createPartner(deps.db, req.user!, actorOf(req), r.data, key);
      res.redirect(303, `/bestand/partner/${p.id}?ok=angelegt`);
    } catch (err) {
      const errors = fieldErrorsOf(err, partnerFieldOf, 'name', PARTNER_LABELS);
      if (!errors) throw err;
      return partnerForm(req, res, 400, { values, errors, key });
    }
  });

  pages.get('/bestand/partner/:id/bearbeiten', ACCESS, async (req: Request, res: Response) => {
    const id = idOf(req, 'id', 'Partner');
    const p = partnerView(await partnerOr404(deps.db, id));
    const values = {
      kind: p.kind,
      name: p.name,
      email: p.email ?? '',
      phone: p.phone ?? '',
      address: p.address ?? '',
      areas: p.areas.join(', '),
      contactPersons: personsText(p.contactPersons),
      agreements: agreementsText(p.agreements),
      contactWeeks: p.contactEveryDays ? String(Math.max(1, Math.round(p.contactEveryDays / 7))) : '',
      responsibleId: p.responsibleId ?? '',
    };
    await partnerForm(req, res, 200, { values, errors: {} }, id);
  });
  pages.post('/bestand/partner/:id/bearbeiten', ACCESS, async (req: Request, res: Response) => {
    const id = idOf(req, 'id', 'Partner');
    await partnerOr404(deps.db, id);
    const values = partnerValues(req);
    const key = formKey(req);
    const { input, errors: pre } = partnerFormInput(values);
    const r = partnerErrors(input, pre);
    if (!r.ok) return partnerForm(req, res, 400, { values, errors: r.errors, key }, id);
    try {
      await updatePartner(deps.db, req.user!, actorOf(req), id, r.data);
    } catch (err) {
      const errors = fieldErrorsOf(err, partnerFieldOf, 'name', PARTNER_LABELS);
      if (!errors) throw err;
      return partnerForm(req, res, 400, { values, errors, key }, id);
    }
    res.redirect(303, `/bestand/partner/${id}?ok=gespeichert`);
  });

  // ---- the partner's page: facts, contact log, landlord links ----
  const NOTICES: Record<string, string> = {
    angelegt: 'Partner angelegt.',
    gespeichert: 'Änderungen gespeichert.',
    kontakt: 'Kontakt festgehalten.',
    gesendet: 'Meldelink gesendet.',
    widerrufen: 'Link widerrufen.',
  };
  async function detail(req: Request, res: Response, id: string, status = 200, contact: FormState = empty(), link: FormState = empty()) {
    const raw = await partnerOr404(deps.db, id);
    const p = partnerView(raw);
    const landlord = LANDLORD_KINDS.includes(p.kind);
    const [contacts, links, responsible] = await Promise.all([
      deps.db.partnerContact.findMany({ where: { partnerId: id }, orderBy: { at: 'desc' }, take: 200 }),
      landlord ? deps.db.offerLink.findMany({ where: { partnerId: id }, orderBy: { createdAt: 'desc' }, take: 100 }) : [],
      p.responsibleId ? deps.db.user.findUnique({ where: { id: p.responsibleId }, select: { name: true } }) : null,
    ]);
    const persons = p.contactPersons as Array<Record<string, string | undefined>>;
    const agreements = p.agreements as Array<Record<string, string | undefined>>;
    const ok = typeof req.query.ok === 'string' ? NOTICES[req.query.ok] : undefined;
    const cv = contact.values;
    res.status(status).send(
      layout(
        deps,
        req,
        p.name,
        html`${bestandNav('/bestand/partner')}${status === 200 ? notice(ok) : ''}${errorSummary({ ...contact.errors, ...link.errors })}
        ${p.contactOverdue ? html`<p class="notice warn" role="status"><strong>Regelkontakt überfällig</strong> seit ${formatDate(p.contactDueAt)}.</p>` : ''}
        <dl class="facts">
          <dt>Art</dt><dd>${partnerKindLabel(p.kind)}</dd>
          <dt>E-Mail</dt><dd>${p.email ?? '–'}</dd>
          <dt>Telefon</dt><dd>${p.phone ?? '–'}</dd>
          <dt>Anschrift</dt><dd>${p.address ?? '–'}</dd>
          <dt>Gebiete</dt><dd>${p.areas.length ? p.areas.join(', ') : '–'}</dd>
          <dt>Kontaktrhythmus</dt><dd>${p.contactEveryDays ? `alle ${Math.round(p.contactEveryDays / 7)} Wochen (${p.contactEveryDays} Tage)` : 'kein Regelkontakt'}</dd>
          <dt>Zuständig</dt><dd>${responsible?.name ?? '–'}</dd>
          <dt>Letzter Kontakt</dt><dd>${formatDate(p.lastContactAt, '–')}</dd>
          <dt>Nächster Kontakt fällig</dt><dd>${formatDate(p.contactDueAt, '–')}${p.contactOverdue ? ' (überfällig)' : ''}</dd>
        </dl>
        <p><a href="/bestand/partner/${id}/bearbeiten">Partner bearbeiten</a></p>
        <h2>Kontaktpersonen</h2>
        ${
          persons.length
            ? html`<ul>${persons.map((c) => html`<li>${c.name}${c.role ? ` (${c.role})` : ''}${c.email ? `, ${c.email}` : ''}${c.phone ? `, ${c.phone}` : ''}</li>`)}</ul>`
            : html`<p>Keine erfasst.</p>`
        }
        <h2>Vereinbarungen</h2>
        ${
          agreements.length
            ? html`<ul>${agreements.map((a) => html`<li>${a.title}: ab ${formatDay(a.from)}${a.until ? ` bis ${formatDay(a.until)}` : ', unbefristet'}</li>`)}</ul>`
            : html`<p>Keine erfasst.</p>`
        }
        <h2>Kontaktverlauf</h2>
        ${
          contacts.length
            ? html`<table><caption>Kontakte (neueste zuerst)</caption><thead><tr><th scope="col">Datum</th><th scope="col">Art</th><th scope="col">Thema</th><th scope="col">Ergebnis</th></tr></thead>
          <tbody>${contacts.map((c) => html`<tr><td>${formatDate(c.at)}</td><td>${contactKindLabel(c.kind)}</td><th scope="row">${c.topic}</th><td>${c.outcome ?? '–'}</td></tr>`)}</tbody></table>`
            : html`<p>Noch keine Kontakte.</p>`
        }
        <h3>Kontakt festhalten</h3>
        <form method="post" action="/bestand/partner/${id}/kontakte" novalidate>${csrfField(req.csrfToken, contact.key)}
          ${field({ name: 'at', label: 'Datum', type: 'date', required: true, value: cv.at ?? isoDay(), error: contact.errors.at })}
          ${select({
            name: 'kind',
            label: 'Art des Kontakts',
            required: true,
            value: cv.kind,
            error: contact.errors.kind,
            options: [['', 'bitte wählen'], ...Object.entries(CONTACT_KIND_LABELS)],
          })}
          ${field({ name: 'topic', label: 'Thema', required: true, value: cv.topic, error: contact.errors.topic })}
          ${textarea({ name: 'outcome', label: 'Ergebnis', value: cv.outcome, error: contact.errors.outcome })}
          <button type="submit">Kontakt festhalten</button>
        </form>
        ${
          landlord
            ? html`<h2>Meldelink für Wohnungen</h2>
        <p>Der Vermieter meldet eine freie Wohnung ohne Konto über einen persönlichen, befristeten Link (einmal nutzbar).</p>
        ${
          links.length
            ? html`<table><caption>Gesendete Links</caption><thead><tr><th scope="col">Gesendet</th><th scope="col">An</th><th scope="col">Gültig bis</th><th scope="col">Zustand</th><th scope="col">Aktion</th></tr></thead>
          <tbody>${links.map((l) => {
            const state = linkState(l);
            return html`<tr><td>${formatDate(l.createdAt)}</td><td>${l.recipient}</td><td>${formatDate(l.expiresAt)}</td><td>${OFFER_LINK_STATE_LABELS[state]}</td><td>${
              state === 'open'
                ? html`<form method="post" action="/bestand/partner/${id}/links/${l.id}/widerrufen">${csrfField(req.csrfToken)}<button type="submit" aria-label="Link an ${l.recipient} vom ${formatDate(l.createdAt)} widerrufen">Widerrufen</button></form>`
                : '–'
            }</td></tr>`;
          })}</tbody></table>`
            : html`<p>Noch kein Link gesendet.</p>`
        }
        <form method="post" action="/bestand/partner/${id}/links" novalidate>${csrfField(req.csrfToken, link.key)}
          ${field({ name: 'email', label: 'E-Mail des Empfängers', type: 'email', value: link.values.email, error: link.errors.email, hint: p.email ? `Leer = ${p.email}` : 'Der Partner hat keine E-Mail-Adresse: bitte angeben.' })}
          ${field({ name: 'validDays', label: 'Gültig (Tage)', value: link.values.validDays ?? '14', error: link.errors.validDays, attrs: 'inputmode="numeric"' })}
          <button type="submit">Meldelink senden</button>
        </form>
        <p><a href="/bestand/wohnungen/neu?partner=${id}">Wohnung dieses Partners selbst erfassen</a></p>`
            : ''
        }
        <p><a href="/bestand/partner">Alle Partner</a></p>`,
      ),
    );
  }

  pages.get('/bestand/partner/:id', ACCESS, async (req: Request, res: Response) => detail(req, res, idOf(req, 'id', 'Partner')));

  pages.post('/bestand/partner/:id/kontakte', ACCESS, async (req: Request, res: Response) => {
    const id = idOf(req, 'id', 'Partner');
    await partnerOr404(deps.db, id);
    const b = bodyOf(req);
    const values = {
      at: (b.at ?? '').trim(),
      kind: (b.kind ?? '').trim(),
      topic: (b.topic ?? '').slice(0, 3000),
      outcome: (b.outcome ?? '').slice(0, 5000),
    };
    const key = formKey(req);
    const input = Object.fromEntries(Object.entries({ ...values, at: dayOf(values.at) }).filter(([, x]) => x.trim()));
    const r = checkForm(contactInput, input);
    if (!r.ok) return detail(req, res, id, 400, { values, errors: r.errors, key });
    await onceForm(deps.db, req.user!, key, 'partner.contact', () => addContact(deps.db, req.user!, actorOf(req), id, r.data));
    res.redirect(303, `/bestand/partner/${id}?ok=kontakt`);
  });

  pages.post('/bestand/partner/:id/links', ACCESS, async (req: Request, res: Response) => {
    const id = idOf(req, 'id', 'Partner');
    await partnerOr404(deps.db, id);
    const b = bodyOf(req);
    const values = { email: (b.email ?? '').trim().slice(0, 300), validDays: (b.validDays ?? '').trim().slice(0, 10) };
    const key = formKey(req);
    const input: Record<string, unknown> = {};
    if (values.email) input.email = values.email;
    if (values.validDays) input.validDays = /^\d+$/.test(values.validDays) ? Number(values.validDays) : values.validDays;
    const r = checkForm(offerLinkInput, input);
    if (!r.ok) return detail(req, res, id, 400, empty(), { values, errors: r.errors, key });
    try {
      await onceForm(deps.db, req.user!, key, 'offer-link.create', () => createOfferLink(deps, req.user!, actorOf(req), id, r.data));
    } catch (err) {
      const errors = fieldErrorsOf(err, (p) => p.split('.')[0], 'email', { email: 'E-Mail', validDays: 'Gültigkeit' });
      if (!errors) throw err;
      return detail(req, res, id, 400, empty(), { values, errors, key });
    }
    res.redirect(303, `/bestand/partner/${id}?ok=gesendet`);
  });

  pages.post('/bestand/partner/:id/links/:linkId/widerrufen', ACCESS, async (req: Request, res: Response) => {
    const id = idOf(req, 'id', 'Partner');
    const linkId = String(req.params.linkId ?? '');
    const row = /^[\w-]{16,64}$/.test(linkId) ? await deps.db.offerLink.findFirst({ where: { id: linkId, partnerId: id } }) : null;
    if (!row) return detail(req, res, id, 404, empty(), { values: {}, errors: { email: 'Link unbekannt.' } });
    // a second click on „Widerrufen“ finds it revoked and ends on the same notice
    await revokeOfferLink(deps.db, actorOf(req), id, linkId);
    res.redirect(303, `/bestand/partner/${id}?ok=widerrufen`);
  });

  // ---- „Wohnung erfassen“ (the caseworker records a flat) ----
  async function offerForm(req: Request, res: Response, status: number, s: FormState) {
    const partners = (await listPartners(deps.db, {})).filter((p) => LANDLORD_KINDS.includes(p.kind));
    res.status(status).send(
      layout(
        deps,
        req,
        'Wohnung erfassen',
        html`${bestandNav('/bestand/wohnungen')}${errorSummary(s.errors)}
        <form method="post" action="/bestand/wohnungen/neu" novalidate>${csrfField(req.csrfToken, s.key)}
          ${select({
            name: 'partnerId',
            label: 'Vermieter / Wohnungsgesellschaft',
            required: true,
            value: s.values.partnerId,
            error: s.errors.partnerId,
            options: [
              ['', partners.length ? 'bitte wählen' : 'noch kein Vermieter erfasst'],
              ...partners.map((p) => [p.id, `${p.name} (${partnerKindLabel(p.kind)})`] as [string, string]),
            ],
          })}
          ${offerFields(s.values, s.errors)}
          <p class="hint">* Pflichtangabe.</p>
          <button type="submit">Wohnung erfassen</button>
        </form>
        <p><a href="/bestand/wohnungen">Abbrechen</a></p>`,
      ),
    );
  }
  pages.get('/bestand/wohnungen/neu', ACCESS, (req: Request, res: Response) =>
    offerForm(req, res, 200, { values: { partnerId: typeof req.query.partner === 'string' ? req.query.partner : '' }, errors: {} }),
  );
  pages.post('/bestand/wohnungen/neu', ACCESS, async (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const partnerId = bodyOf(req).partnerId?.trim() ?? '';
    const values = { ...offerFormValues(body), partnerId };
    const key = formKey(req);
    const r = checkForm(housingOfferInput, { ...offerFormInput(body), ...(partnerId ? { partnerId } : {}) });
    if (!r.ok) return offerForm(req, res, 400, { values, errors: r.errors, key });
    try {
      const o = await createOffer(deps, actorOf(req), r.data, { source: 'caseworker', createdById: req.user!.id, idempotencyKey: key });
      res.redirect(303, `/bestand/wohnungen/${o.id}?ok=erfasst`);
    } catch (err) {
      const errors = fieldErrorsOf(err, (p) => p.split('.')[0], 'partnerId', { partnerId: 'Vermieter' });
      if (!errors) throw err;
      return offerForm(req, res, 400, { values, errors, key });
    }
  });

  return pages.router;
}
