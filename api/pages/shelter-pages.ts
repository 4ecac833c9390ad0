// The supervisors' shelter page (/leitung/unterkuenfte): occupancy per shelter and who has been
// waiting longest (JSON: GET /api/shelters, GET /api/shelters/waiting).
import type { Request, Response } from 'express';
import { formatDate } from '../../core/format/dates';
import { actorOf } from '../auth';
import type { AppDeps } from '../deps';
import { html } from '../html';
import { longestWaiting, shelterOccupancy } from '../services/shelters';
import { layout, pageRouter } from './page-route';

export function shelterPages(deps: AppDeps) {
  const pages = pageRouter();
  pages.get(
    '/leitung/unterkuenfte',
    { roles: ['supervisor', 'caseworker'], denied: 'Nur Leitung und Fallmanagement sehen die Belegung.' },
    async (req: Request, res: Response) => {
      const [occ, waiting] = await Promise.all([shelterOccupancy(deps.db), longestWaiting(deps.db, req.user!, actorOf(req), 50)]);
      const now = Date.now();
      const body = html`
        ${req.user!.role === 'supervisor' ? html`<p><a href="/unterkuenfte">Notunterkünfte anlegen und bearbeiten</a></p>` : ''}
        <section aria-labelledby="h-belegung"><h2 id="h-belegung">Belegung je Notunterkunft</h2>
          ${
            occ.length
              ? html`<table><thead><tr><th scope="col">Unterkunft</th><th scope="col">Plätze</th><th scope="col">belegt</th><th scope="col">frei</th></tr></thead>
            <tbody>${occ.map((s) => html`<tr><th scope="row">${s.name}</th><td>${s.capacity}</td><td>${s.occupied}</td><td>${s.free}${s.free === 0 ? html` <strong>(voll)</strong>` : ''}</td></tr>`)}</tbody></table>`
              : html`<p>Noch keine Notunterkünfte erfasst.</p>`
          }
        </section>
        <section aria-labelledby="h-wartend"><h2 id="h-wartend">Am längsten in einer Notunterkunft</h2>
          ${
            waiting.length
              ? html`<table><thead><tr><th scope="col">Fall</th><th scope="col">Person</th><th scope="col">Unterkunft</th><th scope="col">seit</th></tr></thead>
            <tbody>${waiting.map((w) => {
              const days = Math.floor((now - w.since.getTime()) / 86_400_000);
              return html`<tr><td><a href="/faelle/${w.caseId}">${w.caseReference}</a></td><td>${w.name}</td><td>${w.shelterName}${w.place ? ` (${w.place})` : ''}</td><td>${formatDate(w.since)} (${days} Tage)</td></tr>`;
            })}</tbody></table>`
              : html`<p>Niemand wartet.</p>`
          }
        </section>`;
      res.send(layout(deps, req, 'Notunterkünfte: Belegung', body));
    },
  );
  return pages.router;
}
