// Data protection on the pages: the audit log of a case (/faelle/:id/protokoll, supervisors) with
// paging and a CSV link, and the section on the case page that links the log and the Art. 15 export.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { exportsPersonData, readsCaseAudit } from '../access';
import type { AppDeps } from '../deps';
import { actorOf } from '../auth';
import { notFound, parseOr400 } from '../errors';
import { html, page, type PageUser, type SafeHtml } from '../html';
import { caseAuditQuery } from '../routes/privacy-api';
import { formatDateTimeSeconds } from '../../core/format/dates';
import { actorRoleLabel, auditEntityLabel } from '../../core/format/labels';
import { pageCaseAudit } from '../services/case-audit';

/** The case page's section: the audit log (supervisors) and the Art. 15 export (caseworkers, supervisors). */
export function privacySection(user: PageUser, caseId: string, personId: string): SafeHtml {
  if (!exportsPersonData(user)) return html``;
  return html`<section aria-labelledby="h-datenschutz"><h2 id="h-datenschutz">Datenschutz</h2>
    ${readsCaseAudit(user) ? html`<p><a href="/faelle/${caseId}/protokoll">Protokoll des Falls</a> <span class="hint">– wer hat wann was gelesen oder geändert</span></p>` : ''}
    <h3 id="h-auskunft">Auskunft (Art. 15 DSGVO)</h3>
    <p class="hint">Alle Daten der Person aus den Fällen, die Sie sehen dürfen; der Abruf wird protokolliert.</p>
    <ul>
      <li><a href="/api/persons/${personId}/export.pdf" download>Auskunft als PDF (lesbar)</a></li>
      <li><a href="/api/persons/${personId}/export" download>Auskunft als JSON (maschinenlesbar)</a></li>
    </ul></section>`;
}

export function privacyPages(deps: AppDeps) {
  const router = Router();

  router.get('/faelle/:id/protokoll', async (req: Request, res: Response) => {
    const id = String(req.params.id);
    if (!z.uuid().safeParse(id).success) throw notFound('Fall');
    const q = parseOr400(caseAuditQuery, req.query);
    const { reference, items, nextCursor } = await pageCaseAudit(deps.db, req.user!, actorOf(req), id, q);
    const qs = (cursor: string) => new URLSearchParams({ ...(q.limit !== 50 ? { limit: String(q.limit) } : {}), cursor }).toString();
    res.send(
      page({
        title: `Protokoll: Fall ${reference}`,
        user: req.user,
        csrf: req.csrfToken,
        devInbox: Boolean(deps.capture),
        body: html`
      <p><a href="/faelle/${id}">Zurück zum Fall ${reference}</a></p>
      <p>Jeder Zugriff auf den Fall, seine Übergaben, Ketten und die Person – wer, wann, was, von wo. Das Protokoll kann nicht geändert werden; auch dieser Abruf wird protokolliert.</p>
      <p><a href="/api/cases/${id}/audit.csv" download>Gesamtes Protokoll als CSV (Excel)</a></p>
      ${
        items.length === 0
          ? html`<p>Keine Einträge.</p>`
          : html`
      <table>
        <caption class="hint">${q.cursor ? 'Ältere Einträge' : 'Neueste Einträge'}, ${items.length === 1 ? '1 Eintrag' : `${items.length} Einträge`} auf dieser Seite</caption>
        <thead><tr><th scope="col">Zeitpunkt</th><th scope="col">Wer</th><th scope="col">Rolle</th><th scope="col">Aktion</th><th scope="col">Objekt</th><th scope="col">Herkunft (IP)</th></tr></thead>
        <tbody>${items.map(
          (i) => html`<tr>
          <td>${formatDateTimeSeconds(i.at)}</td>
          <td>${i.actor.email ?? (i.actor.id ? i.actor.id : 'System')}</td>
          <td>${actorRoleLabel(i.actor.role)}</td>
          <td>${i.label}</td>
          <td>${auditEntityLabel(i.entityType)}${i.entityId ? html` <span class="hint">${i.entityId.slice(0, 8)}</span>` : ''}</td>
          <td>${i.ip ?? '–'}</td></tr>`,
        )}
        </tbody></table>`
      }
      <nav aria-label="Seiten des Protokolls"><p>
        ${q.cursor ? html`<a href="/faelle/${id}/protokoll">Neueste Einträge</a> ` : ''}
        ${nextCursor ? html`<a href="/faelle/${id}/protokoll?${qs(nextCursor)}" rel="next">Ältere Einträge</a>` : html`<span class="hint">Keine älteren Einträge.</span>`}
      </p></nav>`,
      }),
    );
  });

  return router;
}
