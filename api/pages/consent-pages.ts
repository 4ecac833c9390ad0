// Consent routes of the case page: record one, withdraw one. The services decide (services/consents.ts);
// the section itself is views/case-consents.ts.
import type { Request, Response } from 'express';
import { consentInput } from '../../core/domain/records';
import { ROLES } from '../access';
import type { AppDeps } from '../deps';
import { actorOf } from '../auth';
import { HttpError } from '../errors';
import type { SafeHtml } from '../html';
import { addConsent, withdrawConsent } from '../services/consents';
import { formValues, validateForm, type FieldErrors } from './forms';
import { pageRouter } from './page-route';

type Detail = (
  req: Request,
  id: string,
  errors?: FieldErrors,
  notice?: string,
  typed?: Record<string, string>,
  problem?: SafeHtml,
) => Promise<string>;

const FORM_FIELDS: Record<string, string> = { departments: 'consentDepartments', purpose: 'consentPurpose', givenAt: 'consentGivenAt' };

export function consentPages(deps: AppDeps, detail: Detail) {
  const pages = pageRouter();

  pages.post(
    '/faelle/:id/einwilligungen',
    { roles: ROLES.caseWork, denied: 'Nur das Fallmanagement kann Einwilligungen erfassen.' },
    async (req: Request, res: Response) => {
      const id = String(req.params.id);
      const raw = req.body?.departments;
      const departments = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter(
        (d): d is string => typeof d === 'string' && d.trim() !== '',
      );
      const values: Record<string, unknown> = { ...formValues(req.body), departments };
      const typed = {
        consentDepartments: departments.join(','),
        consentPurpose: String(values.purpose ?? ''),
        consentGivenAt: String(values.givenAt ?? ''),
      };
      const toForm = (errors: FieldErrors) =>
        Object.fromEntries(Object.entries(errors).map(([f, m]) => [FORM_FIELDS[f] ?? 'consentPurpose', m]));
      const v = validateForm(consentInput, values);
      if (!v.ok) {
        if (!departments.length) v.errors.departments = 'Stellen: bitte mindestens eine Stelle auswählen';
        return res.status(400).send(await detail(req, id, toForm(v.errors), undefined, typed));
      }
      try {
        await addConsent(deps, req.user!, actorOf(req), id, v.data);
      } catch (err) {
        if (err instanceof HttpError && err.status === 400) {
          return res
            .status(400)
            .send(await detail(req, id, toForm(Object.fromEntries(err.details.map((d) => [d.field, d.message]))), undefined, typed));
        }
        throw err;
      }
      res.redirect(303, `/faelle/${id}?ok=einwilligung#h-ew`);
    },
  );

  pages.post(
    '/faelle/:id/einwilligungen/:consentId/widerruf',
    { roles: ROLES.caseWork, denied: 'Nur das Fallmanagement kann einen Widerruf erfassen.' },
    async (req: Request, res: Response) => {
      const id = String(req.params.id);
      try {
        await withdrawConsent(deps, req.user!, actorOf(req), id, String(req.params.consentId));
      } catch (err) {
        if (err instanceof HttpError && err.status === 409)
          return res.status(409).send(await detail(req, id, { consentDepartments: err.message }));
        throw err;
      }
      res.redirect(303, `/faelle/${id}?ok=widerruf#h-ew`);
    },
  );

  return pages.router;
}
