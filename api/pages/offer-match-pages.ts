// The matching page of a flat (issue 15): /bestand/wohnungen lists the housing offers,
// /bestand/wohnungen/:id shows the flat with the waiting households that fit (reasons in German,
// longest waiting first) and, for the caseworker, a „Vorschlagen“ button per fitting household. The
// proposal goes through the same service as the JSON route (one claim wins; 409 → the page with the
// message). The form's `_key`: the same submission again (double click) finds the flat already
// proposed to that household and ends on the same success notice, never a second proposal.
import type { Request, Response } from 'express';
import { formatDate } from '../../core/format/dates';
import { OFFER_STATUS_LABELS, type OfferStatus } from '../../core/domain/inventory/offer-lifecycle';
import { ROLES } from '../access';
import { actorOf } from '../auth';
import type { AppDeps } from '../deps';
import { HttpError, notFound } from '../errors';
import { csrfField, html, type SafeHtml } from '../html';
import { listOffers, offerMatches, offerOr404, proposeOffer } from '../services/inventory';
import { layout, pageRouter } from './page-route';

const ACCESS = { roles: ROLES.caseFiles, denied: 'Wohnungsangebote sind für Fallmanagement und Leitung.' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const eur = (v: number) => v.toLocaleString('de-DE', { style: 'currency', currency: 'EUR' });
const statusLabel = (s: string) => OFFER_STATUS_LABELS[s as OfferStatus] ?? s;

export function offerMatchPages(deps: AppDeps) {
  const pages = pageRouter();

  pages.get('/bestand/wohnungen', ACCESS, async (req: Request, res: Response) => {
    const offers = await listOffers(deps.db);
    res.send(
      layout(
        deps,
        req,
        'Wohnungsangebote',
        html`<p><a href="/bestand/wohnungen/neu">Wohnung erfassen</a></p><table><caption>Wohnungsangebote (neueste zuerst)</caption>
          <thead><tr><th scope="col">Angebot</th><th scope="col">Stadtteil</th><th scope="col">Zimmer</th><th scope="col">Kaltmiete</th><th scope="col">Frei ab</th><th scope="col">Status</th></tr></thead>
          <tbody>${offers.map(
            (o) =>
              html`<tr><th scope="row"><a href="/bestand/wohnungen/${o.id}">${o.reference}</a></th><td>${o.district}</td><td>${o.rooms.toLocaleString('de-DE')}</td><td>${eur(o.coldRent)}</td><td>${formatDate(o.availableFrom)}</td><td>${statusLabel(o.status)}</td></tr>`,
          )}</tbody></table>`,
      ),
    );
  });

  async function render(req: Request, res: Response, id: string, status = 200, problem?: string, notice?: string) {
    if (!UUID.test(id)) throw notFound('Wohnungsangebot');
    const o = await offerOr404(deps.db, id);
    const matches = await offerMatches(deps.db, req.user!, actorOf(req), id);
    const proposes = req.user!.role === 'caseworker' && o.status === 'open';
    const fitting = matches.filter((m) => m.fits);
    const others = matches.filter((m) => !m.fits);
    const row = (m: (typeof matches)[number]): SafeHtml =>
      html`<tr><th scope="row">${m.caseReference}</th><td>${formatDate(m.waitingSince)}</td><td><ul>${m.reasons.map((r) => html`<li>${r}</li>`)}</ul></td>${
        proposes
          ? html`<td>${
              m.fits
                ? html`<form method="post" action="/bestand/wohnungen/${o.id}/vorschlagen">${csrfField(req.csrfToken)}<input type="hidden" name="processId" value="${m.processId}"><button type="submit" aria-label="Wohnung ${o.reference} dem Haushalt ${m.caseReference} vorschlagen">Vorschlagen</button></form>`
                : '–'
            }</td>`
          : ''
      }</tr>`;
    const head = html`<thead><tr><th scope="col">Fall</th><th scope="col">Wartet seit</th><th scope="col">Gründe</th>${proposes ? html`<th scope="col">Aktion</th>` : ''}</tr></thead>`;
    res.status(status).send(
      layout(
        deps,
        req,
        `Wohnung ${o.reference}`,
        html`${notice ? html`<p class="notice ok" role="status">${notice}</p>` : ''}
        ${problem ? html`<div class="error-summary" role="alert" tabindex="-1" id="fehler"><h2>Vorschlag nicht möglich</h2><p>${problem}</p></div>` : ''}
        <dl class="facts">
          <dt>Stadtteil</dt><dd>${o.district}</dd>
          <dt>Zimmer</dt><dd>${o.rooms.toLocaleString('de-DE')}</dd>
          <dt>Wohnfläche</dt><dd>${o.livingSpace.toLocaleString('de-DE')} m²</dd>
          <dt>Kaltmiete + Nebenkosten</dt><dd>${eur(o.coldRent)} + ${eur(o.serviceCharges)}</dd>
          <dt>Frei ab</dt><dd>${formatDate(o.availableFrom)}</dd>
          <dt>WBS nötig</dt><dd>${o.wbsRequired ? 'ja' : 'nein'}</dd>
          <dt>Barrierefrei</dt><dd>${o.barrierFree ? 'ja' : 'nein'}</dd>
          <dt>Status</dt><dd>${statusLabel(o.status)}</dd>
        </dl>
        <h2>Passende wartende Haushalte (${fitting.length})</h2>
        ${
          fitting.length
            ? html`<table><caption>Passende Haushalte, längste Wartezeit zuerst</caption>${head}<tbody>${fitting.map(row)}</tbody></table>`
            : html`<p>Kein wartender Haushalt passt.</p>`
        }
        <h2>Nicht passend (${others.length})</h2>
        ${others.length ? html`<table><caption>Nicht passende Haushalte mit Gründen</caption>${head}<tbody>${others.map(row)}</tbody></table>` : html`<p>Keine.</p>`}
        <p><a href="/bestand/wohnungen">Alle Wohnungsangebote</a></p>`,
      ),
    );
  }

  pages.get('/bestand/wohnungen/:id', ACCESS, async (req: Request, res: Response) => {
    await render(
      req,
      res,
      String(req.params.id),
      200,
      undefined,
      req.query.ok === 'vorgeschlagen'
        ? 'Wohnung vorgeschlagen. Die Kette des Haushalts steht jetzt bei der Besichtigung.'
        : req.query.ok === 'erfasst'
          ? 'Wohnung erfasst.'
          : undefined,
    );
  });

  pages.post(
    '/bestand/wohnungen/:id/vorschlagen',
    { roles: ROLES.caseWork, denied: 'Nur das Fallmanagement schlägt Wohnungen vor.' },
    async (req: Request, res: Response) => {
      const id = String(req.params.id);
      if (!UUID.test(id)) throw notFound('Wohnungsangebot');
      const processId = typeof req.body?.processId === 'string' ? req.body.processId : '';
      if (!UUID.test(processId)) return render(req, res, id, 400, 'Haushalt fehlt oder ist ungültig.');
      try {
        await proposeOffer(deps, req.user!, actorOf(req), id, processId);
      } catch (err) {
        if (!(err instanceof HttpError) || ![400, 403, 409].includes(err.status)) throw err;
        // the same form sent twice: the first one proposed it to this household already
        const o = await offerOr404(deps.db, id);
        if (err.status === 409 && o.processId === processId && o.status === 'proposed')
          return res.redirect(303, `/bestand/wohnungen/${id}?ok=vorgeschlagen`);
        return render(req, res, id, err.status, err.message);
      }
      res.redirect(303, `/bestand/wohnungen/${id}?ok=vorgeschlagen`);
    },
  );
  return pages.router;
}
