// Consents on the case page: the list (given, withdrawn), the form to record one (departments, purpose,
// date given) and a withdraw button per valid consent. The services decide (api/services/consents.ts).
import { formatDate, isoDay } from '../../core/format/dates';
import { Router, type Request, type Response } from 'express';
import { consentInput } from '../../core/domain/records';
import type { AppDeps } from '../deps';
import { actorOf } from '../auth';
import { HttpError } from '../errors';
import { checkboxes, csrfField, field, html, type SafeHtml } from '../html';
import { addConsent, withdrawConsent } from '../services/consents';
import { formValues, validateForm, type FieldErrors } from './forms';

interface ConsentRow { id: string; departments: string[]; purpose: string; givenAt: Date; withdrawnAt: Date | null }
type Detail = (req: Request, id: string, errors?: FieldErrors, notice?: string, typed?: Record<string, string>, problem?: SafeHtml) => Promise<string>;

export function consentSection(req: Request, c: { id: string; consents: ConsentRow[] }, departments: Array<{ id: string; name: string }>,
  canChange: boolean, errors: FieldErrors, typed: Record<string, string>): SafeHtml {
  const name = (d: string) => departments.find((x) => x.id === d)?.name ?? d;
  const chosen = (typed.consentDepartments ?? '').split(',').filter(Boolean);
  return html`<section aria-labelledby="h-ew"><h2 id="h-ew">Einwilligungen</h2>
    <p class="hint">Eine Stelle erhält Daten dieses Falls nur mit einer gültigen Einwilligung (Schweigepflichtentbindung), die sie nennt.</p>
    ${c.consents.length ? html`<ul class="consents">${c.consents.map((k) => html`<li>
      <strong>${k.departments.map(name).join(', ')}</strong>${k.purpose ? ` – ${k.purpose}` : ''}
      (erteilt ${formatDate(k.givenAt)}${k.withdrawnAt ? html`, <strong>widerrufen ${formatDate(k.withdrawnAt)}</strong>` : ''})
      ${canChange && !k.withdrawnAt ? html`<form method="post" action="/faelle/${c.id}/einwilligungen/${k.id}/widerruf" class="inline-form">
        ${csrfField(req.csrfToken)}
        <button type="submit" class="secondary" aria-describedby="widerruf-hinweis">Widerruf erfassen<span class="visually-hidden"> (${k.departments.map(name).join(', ')})</span></button>
      </form>` : ''}</li>`)}</ul>
      ${canChange ? html`<p class="hint" id="widerruf-hinweis">Ein Widerruf bricht offene Übergaben an Stellen ab, die keine andere gültige Einwilligung mehr abdeckt; die Stellen werden per E-Mail informiert.</p>` : ''}`
    : html`<p>Noch keine Einwilligung erfasst.</p>`}
    ${canChange ? html`<h3 id="h-ew-neu">Einwilligung erfassen</h3>
    <form method="post" action="/faelle/${c.id}/einwilligungen" novalidate aria-labelledby="h-ew-neu">
      ${csrfField(req.csrfToken)}
      ${checkboxes({ name: 'departments', id: 'f-consentDepartments', legend: 'Stellen, die Daten erhalten dürfen', required: true, values: chosen, error: errors.consentDepartments,
        options: departments.map((d): [string, string] => [d.id, d.name]) })}
      ${field({ name: 'purpose', id: 'f-consentPurpose', label: 'Zweck', required: true, value: typed.consentPurpose, error: errors.consentPurpose, hint: 'z. B. „Wohnungssuche und Auszug aus der Notunterkunft“' })}
      ${field({ name: 'givenAt', id: 'f-consentGivenAt', label: 'Erteilt am', type: 'date', required: true, value: typed.consentGivenAt ?? isoDay(), error: errors.consentGivenAt })}
      <button type="submit">Einwilligung speichern</button>
    </form>` : ''}
  </section>`;
}

const FORM_FIELDS: Record<string, string> = { departments: 'consentDepartments', purpose: 'consentPurpose', givenAt: 'consentGivenAt' };

export function consentPages(deps: AppDeps, detail: Detail) {
  const router = Router();

  router.post('/faelle/:id/einwilligungen', async (req: Request, res: Response) => {
    const id = String(req.params.id);
    if (req.user!.role !== 'caseworker') throw new HttpError(403, 'forbidden', 'Nur das Fallmanagement kann Einwilligungen erfassen.');
    const raw = req.body?.departments;
    const departments = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((d): d is string => typeof d === 'string' && d.trim() !== '');
    const values: Record<string, unknown> = { ...formValues(req.body), departments };
    const typed = { consentDepartments: departments.join(','), consentPurpose: String(values.purpose ?? ''), consentGivenAt: String(values.givenAt ?? '') };
    const toForm = (errors: FieldErrors) => Object.fromEntries(Object.entries(errors).map(([f, m]) => [FORM_FIELDS[f] ?? 'consentPurpose', m]));
    const v = validateForm(consentInput, values);
    if (!v.ok) {
      if (!departments.length) v.errors.departments = 'Stellen: bitte mindestens eine Stelle auswählen';
      return res.status(400).send(await detail(req, id, toForm(v.errors), undefined, typed));
    }
    try {
      await addConsent(deps, req.user!, actorOf(req), id, v.data);
    } catch (err) {
      if (err instanceof HttpError && err.status === 400) {
        return res.status(400).send(await detail(req, id, toForm(Object.fromEntries(err.details.map((d) => [d.field, d.message]))), undefined, typed));
      }
      throw err;
    }
    res.redirect(303, `/faelle/${id}?ok=einwilligung#h-ew`);
  });

  router.post('/faelle/:id/einwilligungen/:consentId/widerruf', async (req: Request, res: Response) => {
    const id = String(req.params.id);
    if (req.user!.role !== 'caseworker') throw new HttpError(403, 'forbidden', 'Nur das Fallmanagement kann einen Widerruf erfassen.');
    try {
      await withdrawConsent(deps, req.user!, actorOf(req), id, String(req.params.consentId));
    } catch (err) {
      if (err instanceof HttpError && err.status === 409) return res.status(409).send(await detail(req, id, { consentDepartments: err.message }));
      throw err;
    }
    res.redirect(303, `/faelle/${id}?ok=widerruf#h-ew`);
  });

  return router;
}
