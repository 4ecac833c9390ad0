// Shared parts of the inventory's pages for courses, group offers and working meetings (issue 15):
// who may open them (as the JSON routes: caseworkers and supervisors), the notice and problem boxes,
// the sub-navigation, and turning a service's 400 details into messages at the form's fields.
import type { Request } from 'express';
import type { z } from 'zod';
import { BESTAND_SECTIONS } from '../../core/format/labels';
import { ROLES } from '../access';
import { HttpError, notFound } from '../errors';
import { html, type SafeHtml } from '../html';

export const MANAGE = { roles: ROLES.caseFiles, denied: 'Kurse, Gruppenangebote und Arbeitstreffen sind für Fallmanagement und Leitung.' };
export const PROPOSE = { roles: ROLES.caseWork, denied: 'Nur das Fallmanagement schlägt Kursplätze vor.' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** A route parameter that must be a UUID (anything else: 404 with the German name). */
export function idOf(req: Request, name: string, what: string): string {
  const v = String(req.params[name] ?? '');
  if (!UUID.test(v)) throw notFound(what);
  return v;
}
export const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);

/** The form body as strings (a repeated name keeps its first value; `all` gives every value of a name). */
export const bodyOf = (req: Request): Record<string, string> =>
  Object.fromEntries(
    Object.entries((req.body ?? {}) as Record<string, unknown>).map(([k, v]) => [
      k,
      Array.isArray(v) ? String(v[0] ?? '') : String(v ?? ''),
    ]),
  );
export function all(req: Request, name: string): string[] {
  const v = (req.body as Record<string, unknown> | undefined)?.[name];
  return Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : [];
}

export const notice = (text?: string): SafeHtml => (text ? html`<p class="notice ok" role="status">${text}</p>` : html``);

/** A problem without a field (409 and the like): the summary that takes the focus. */
export const problemBox = (title: string, text?: string): SafeHtml =>
  text ? html`<div class="error-summary" role="alert" tabindex="-1" id="fehler"><h2>${title}</h2><p>${text}</p></div>` : html``;

/** The inventory's sub-navigation, the current page marked. */
export function bestandNav(current: string): SafeHtml {
  return html`<nav aria-label="Bestand" class="subnav"><ul>${BESTAND_SECTIONS.map(
    ([href, label]) => html`<li><a href="${href}"${href === current ? html` aria-current="page"` : ''}>${label}</a></li>`,
  )}</ul></nav>`;
}

/**
 * A service's 400 with details → messages at the form's fields (`map` turns a detail's field path into
 * the form field's name; unmapped paths go to `fallback`). Other errors: undefined (the caller rethrows).
 */
export function fieldErrorsOf(
  err: unknown,
  map: (path: string) => string,
  fallback: string,
  labels: Record<string, string> = {},
): Record<string, string> | undefined {
  if (!(err instanceof HttpError) || err.status !== 400) return undefined;
  const errors: Record<string, string> = {};
  if (!err.details.length) errors[fallback] = err.message;
  for (const d of err.details) {
    const f = map(d.field) || fallback;
    const label = labels[f];
    errors[f] ??= label && !d.message.startsWith(label) ? `${label}: ${d.message}` : d.message;
  }
  return errors;
}

/**
 * The form's values checked against the API's schema: data, or per form field the schema's own German
 * message (our schemas name the field in each message: „Titel fehlt“, „Plätze: Zahl erwartet“).
 */
export function checkForm<S extends z.ZodType>(
  schema: S,
  values: Record<string, unknown>,
  fieldOf: (path: string) => string = (p) => p.split('.')[0],
): { ok: true; data: z.infer<S> } | { ok: false; errors: Record<string, string> } {
  const r = schema.safeParse(values);
  if (r.success) return { ok: true, data: r.data };
  const errors: Record<string, string> = {};
  for (const i of r.error.issues) {
    const path = i.path.map(String).join('.');
    if (i.code === 'unrecognized_keys') continue;
    errors[fieldOf(path)] ??= i.message;
  }
  return { ok: false, errors };
}
