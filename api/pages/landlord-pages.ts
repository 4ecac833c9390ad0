// The landlord's form (issue 15): GET /vermieter/<token> shows a German form for one flat, POST
// records it as a housing offer of the link's partner (no account; the signed single-use link is the
// credential). Errors at the field with the input kept; a confirmation mail goes to the landlord.
import { Router, type Request, type Response } from 'express';
import type { Actor } from '../../core/audit';
import { landlordOfferInput } from '../../core/domain/inventory/records';
import { offerMails } from '../../core/mail/inventory-templates';
import type { AppDeps } from '../deps';
import { zodDetails } from '../errors';
import { html, page, type SafeHtml } from '../html';
import { createOffer } from '../services/inventory';
import { checkOfferLink, type CheckedOfferLink, type OfferLinkRejection } from '../services/offer-links';

const REJECTIONS: Record<OfferLinkRejection, string> = {
  forged: 'Dieser Link ist ungültig.',
  expired: 'Dieser Link ist abgelaufen. Bitte fordern Sie beim Fallmanagement einen neuen an.',
  revoked: 'Dieser Link wurde zurückgezogen. Bitte fordern Sie beim Fallmanagement einen neuen an.',
  used: 'Mit diesem Link wurde bereits eine Wohnung gemeldet. Für eine weitere Wohnung bitte einen neuen Link anfordern.',
};

const FIELDS: Array<{
  name: string;
  label: string;
  type: 'text' | 'number' | 'date' | 'checkbox' | 'textarea';
  required?: boolean;
  hint?: string;
}> = [
  { name: 'district', label: 'Stadtteil', type: 'text', required: true },
  { name: 'address', label: 'Anschrift (Straße, Hausnummer, Lage)', type: 'text', required: true },
  { name: 'rooms', label: 'Zimmer', type: 'number', required: true, hint: 'z. B. 2 oder 2,5' },
  { name: 'livingSpace', label: 'Wohnfläche (m²)', type: 'number', required: true },
  { name: 'coldRent', label: 'Kaltmiete (EUR im Monat)', type: 'number', required: true },
  { name: 'serviceCharges', label: 'Nebenkosten ohne Heizung (EUR im Monat)', type: 'number', required: true },
  { name: 'heating', label: 'Heizkosten (EUR im Monat)', type: 'number' },
  { name: 'availableFrom', label: 'Frei ab', type: 'date', required: true },
  { name: 'wbsRequired', label: 'Wohnberechtigungsschein (WBS) erforderlich', type: 'checkbox' },
  { name: 'barrierFree', label: 'barrierefrei', type: 'checkbox' },
  { name: 'groundFloor', label: 'Erdgeschoss', type: 'checkbox' },
  { name: 'pets', label: 'Haustiere erlaubt', type: 'checkbox' },
  { name: 'conditions', label: 'Ihre Bedingungen (z. B. Kaution, Besichtigungszeiten)', type: 'textarea' },
];
const NUMBERS = new Set(['rooms', 'livingSpace', 'coldRent', 'serviceCharges', 'heating']);
const BOOLEANS = new Set(['wbsRequired', 'barrierFree', 'groundFloor', 'pets']);

/** Form strings → the typed input (German decimal commas accepted); empty optional fields left out. */
export function offerFormInput(body: Record<string, unknown>) {
  const out: Record<string, unknown> = {};
  for (const f of FIELDS) {
    const v = typeof body[f.name] === 'string' ? (body[f.name] as string).trim() : undefined;
    if (BOOLEANS.has(f.name)) out[f.name] = v === 'on' || v === 'ja' || v === 'true';
    else if (!v) continue;
    else if (NUMBERS.has(f.name)) {
      const n = Number(v.replace(/\./g, '').replace(',', '.'));
      out[f.name] = /^-?[\d.,]+$/.test(v) && Number.isFinite(n) ? n : v;
    } else out[f.name] = v;
  }
  return out;
}

function form(action: string, values: Record<string, string>, errors: Record<string, string>): SafeHtml {
  const list = Object.entries(errors);
  return html`${
    list.length
      ? html`<div class="error-summary" role="alert" tabindex="-1"><h2>Bitte korrigieren Sie ${list.length === 1 ? 'eine Angabe' : `${list.length} Angaben`}</h2>
        <ul>${list.map(([k, m]) => html`<li><a href="#f-${k}">${m}</a></li>`)}</ul></div>`
      : ''
  }
  <form method="post" action="${action}" novalidate>
    ${offerFields(values, errors)}
    <p class="hint">* Pflichtangabe. Bitte keine Angaben zu Mietinteressenten.</p>
    <button type="submit">Wohnung melden</button>
  </form>`;
}

/** The flat's fields (landlord's form and the caseworker's „Wohnung erfassen“): ids f-<name>, errors at the field. */
export function offerFields(values: Record<string, string>, errors: Record<string, string>): SafeHtml {
  return html`${FIELDS.map((f) => {
    const id = `f-${f.name}`;
    const e = errors[f.name];
    const aria = e ? html` aria-invalid="true" aria-describedby="${id}-error"` : '';
    const v = values[f.name] ?? '';
    if (f.type === 'checkbox')
      return html`<div class="field${e ? ' has-error' : ''}"><input type="checkbox" id="${id}" name="${f.name}"${v ? html` checked` : ''}${aria}> <label for="${id}">${f.label}</label>${e ? html`<p class="error" id="${id}-error">${e}</p>` : ''}</div>`;
    const req = f.required ? html` required` : '';
    return html`<div class="field${e ? ' has-error' : ''}">
        <label for="${id}">${f.label}${f.required ? html` <span aria-hidden="true">*</span>` : ''}</label>
        ${f.hint ? html`<p class="hint">${f.hint}</p>` : ''}${e ? html`<p class="error" id="${id}-error">${e}</p>` : ''}
        ${
          f.type === 'textarea'
            ? html`<textarea id="${id}" name="${f.name}" rows="3"${aria}>${v}</textarea>`
            : html`<input id="${id}" name="${f.name}" type="${f.type === 'number' ? 'text' : f.type}"${f.type === 'number' ? html` inputmode="decimal"` : ''} value="${v}"${aria}${req}>`
        }
      </div>`;
  })}`;
}
/** the flat's form values as sent (kept on error) */
export const offerFormValues = (body: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(FIELDS.map((f) => [f.name, typeof body[f.name] === 'string' ? (body[f.name] as string).slice(0, 3000) : '']));

export function landlordPages(deps: AppDeps) {
  const router = Router();
  const actor = (req: Request): Actor => ({ id: null, role: 'landlord', ip: req.ip, requestId: req.requestId });

  function rejected(res: Response, c: Extract<CheckedOfferLink, { ok: false }>) {
    res.status(c.status).send(
      page({
        title: c.status === 403 ? 'Link ungültig' : 'Link nicht mehr gültig',
        body: html`<p role="alert">${REJECTIONS[c.reason]} Es wurde nichts gespeichert.</p>`,
      }),
    );
  }
  const show = (
    res: Response,
    raw: string,
    partnerName: string,
    status = 200,
    values: Record<string, string> = {},
    errors: Record<string, string> = {},
  ) =>
    res.status(status).send(
      page({
        title: 'Wohnung melden',
        body: html`<p>Sie melden eine freie Wohnung für <strong>${partnerName}</strong> an das Kommunale Integrationsmanagement.
          Dieser Link gilt nur für Sie und einmal.</p>${form(`/vermieter/${raw}`, values, errors)}`,
      }),
    );

  router.get('/vermieter/:token', async (req: Request, res: Response) => {
    const raw = String(req.params.token);
    const c = await checkOfferLink(deps, actor(req), raw, 'GET');
    if (!c.ok) return rejected(res, c);
    show(res, raw, c.link.partnerName);
  });

  router.post('/vermieter/:token', async (req: Request, res: Response) => {
    const raw = String(req.params.token);
    const c = await checkOfferLink(deps, actor(req), raw, 'POST');
    if (!c.ok) return rejected(res, c);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = offerFormValues(body);
    const parsed = landlordOfferInput.safeParse(offerFormInput(body));
    if (!parsed.success) {
      const errors: Record<string, string> = {};
      for (const d of zodDetails(parsed.error)) errors[d.field] ??= d.message;
      return show(res, raw, c.link.partnerName, 400, values, errors);
    }
    const link = c.link;
    let spent = true;
    const r = await createOffer(
      deps,
      actor(req),
      { ...parsed.data, partnerId: link.partnerId },
      { source: 'landlord', linkId: link.id },
      async (tx) => {
        const used = await tx.offerLink.updateMany({ where: { id: link.id, usedAt: null, revokedAt: null }, data: { usedAt: new Date() } });
        spent = used.count === 1;
        if (!spent) throw new Error('link used');
      },
    ).catch((err: unknown) => {
      if (!spent || (err as { code?: string }).code === 'P2002') return undefined; // a second submit of the same link
      throw err;
    });
    if (!r) return rejected(res, { ok: false, status: 410, reason: 'used' });
    const offer = await deps.db.housingOffer.findUniqueOrThrow({ where: { id: r.id } });
    const mail = offerMails.received({
      reference: offer.reference,
      district: offer.district,
      address: offer.address,
      availableFrom: offer.availableFrom,
    });
    await deps.db.mail.upsert({
      where: { idempotencyKey: `offer:${r.id}:received` },
      create: { idempotencyKey: `offer:${r.id}:received`, to: [link.recipient], ...mail },
      update: {},
    });
    res.send(
      page({
        title: 'Wohnung gemeldet',
        body: html`<p class="notice ok" role="status">Vielen Dank – Ihre Wohnung ist unter der Nummer <strong>${offer.reference}</strong> eingegangen. Sie erhalten eine Bestätigung per E-Mail.</p>`,
      }),
    );
  });
  return router;
}
