// Server-rendered pages without a framework: the layout and the form fields. The escaping `html` tag
// lives in core/html.ts (the e-mails use it too). Forms work without JavaScript.
import crypto from 'node:crypto';
import { escapeHtml, html, SafeHtml } from '../core/html';
import { roleLabel } from '../core/format/labels';
import { administersDeadlines, hasTaskInbox, seesCaseFiles, supervises, worksOnCases } from './access';

export { escapeHtml, html, SafeHtml };
export interface PageUser {
  name: string;
  role: string;
}

export function page(opts: { title: string; user?: PageUser; csrf?: string; body: SafeHtml; devInbox?: boolean }): string {
  const nav = opts.user
    ? html`
    <nav aria-label="Hauptnavigation"><ul>
      <li><a href="/faelle">Fälle</a></li>
      ${worksOnCases(opts.user) ? html`<li><a href="/faelle/neu">Neuer Fall</a></li>` : ''}
      ${hasTaskInbox(opts.user) ? html`<li><a href="/aufgaben">Aufgaben</a></li>` : ''}
      ${supervises(opts.user) ? html`<li><a href="/leitung">Leitung</a></li>` : ''}
      ${seesCaseFiles(opts.user) ? html`<li><a href="/bestand">Bestand</a></li>` : ''}
      ${['supervisor', 'admin'].includes(opts.user.role) ? html`<li><a href="/berichte">Berichte</a></li>` : ''}
      ${['supervisor', 'admin'].includes(opts.user.role) ? html`<li><a href="/unterkuenfte">Unterkünfte</a></li>` : ''}
      ${administersDeadlines(opts.user) ? html`<li><a href="/admin/fristen">Fristen</a></li>` : ''}
      ${administersDeadlines(opts.user) ? html`<li><a href="/admin/ketten">Ketten</a></li><li><a href="/admin/berichte">Berichtsarten</a></li>` : ''}
      ${opts.devInbox ? html`<li><a href="/dev/postfach">Dev-Postfach</a></li>` : ''}
    </ul>
    <form method="post" action="/logout" class="logout">
      <input type="hidden" name="_csrf" value="${opts.csrf ?? ''}">
      <span>${opts.user.name} (${roleLabel(opts.user.role)})</span>
      <button type="submit">Abmelden</button>
    </form></nav>`
    : '';
  // A page that shows an error summary says so in its title: the title is the first thing a screen
  // reader announces after a failed submit.
  const title = `${opts.body.value.includes('class="error-summary"') ? 'Fehler: ' : ''}${opts.title}`;
  // The empty icon stops browsers from requesting /favicon.ico (which would land on the login page).
  return `<!doctype html>
<html lang="de">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} – KIM Flow</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/app.css"></head>
<body>
<a class="skip" href="#inhalt">Zum Inhalt springen</a>
<header><p class="brand"><a href="/">KIM Flow</a> <span>Kommunales Integrationsmanagement</span></p>${nav}</header>
<main id="inhalt" tabindex="-1">
<h1>${escapeHtml(opts.title)}</h1>
${opts.body}
</main>
<footer><p>KIM Flow – Integration in einer Linie${opts.user ? ' · <a href="/sitzungen">Meine Sitzungen</a>' : ''}</p></footer>
<script src="/static/app.js" defer></script>
</body></html>`;
}

/** Label (with the required mark), hint and error message of a form field, and the ids they give. */
function fieldHead(id: string, opts: { label: string; required?: boolean; hint?: string; error?: string }) {
  const describedBy = [opts.hint ? `${id}-hint` : '', opts.error ? `${id}-error` : ''].filter(Boolean).join(' ');
  const head = html`<label for="${id}">${opts.label}${opts.required ? html` <span aria-hidden="true">*</span>` : ''}</label>
  ${opts.hint ? html`<p class="hint" id="${id}-hint">${opts.hint}</p>` : ''}
  ${opts.error ? html`<p class="error" id="${id}-error">${opts.error}</p>` : ''}`;
  return { head, describedBy };
}

/** A labelled field with its error message (aria-describedby, aria-invalid). */
export function field(opts: {
  name: string;
  id?: string;
  label: string;
  value?: string;
  type?: string;
  required?: boolean;
  error?: string;
  hint?: string;
  attrs?: string;
}): SafeHtml {
  const id = opts.id ?? `f-${opts.name}`;
  const { head, describedBy } = fieldHead(id, opts);
  return html`<div class="field${opts.error ? ' has-error' : ''}">
  ${head}
  <input id="${id}" name="${opts.name}" type="${opts.type ?? 'text'}" value="${opts.value ?? ''}"${new SafeHtml(opts.required ? ' required' : '')}${new SafeHtml(describedBy ? ` aria-describedby="${describedBy}"` : '')}${new SafeHtml(opts.error ? ' aria-invalid="true"' : '')}${new SafeHtml(opts.attrs ? ' ' + opts.attrs : '')}>
</div>`;
}

export function select(opts: {
  name: string;
  id?: string;
  label: string;
  options: Array<[string, string]>;
  value?: string;
  error?: string;
  required?: boolean;
}): SafeHtml {
  const id = opts.id ?? `f-${opts.name}`;
  return html`<div class="field${opts.error ? ' has-error' : ''}">
  ${fieldHead(id, opts).head}
  <select id="${id}" name="${opts.name}"${new SafeHtml(opts.error ? ` aria-invalid="true" aria-describedby="${id}-error"` : '')}${new SafeHtml(opts.required ? ' required' : '')}>
    ${opts.options.map(([v, l]) => html`<option value="${v}"${new SafeHtml(v === opts.value ? ' selected' : '')}>${l}</option>`)}
  </select>
</div>`;
}

export function errorSummary(errors: Record<string, string>): SafeHtml {
  const entries = Object.entries(errors);
  if (!entries.length) return html``;
  return html`<div class="error-summary" role="alert" tabindex="-1" id="fehler">
  <h2>Bitte korrigieren Sie ${entries.length === 1 ? 'die folgende Angabe' : `die folgenden ${entries.length} Angaben`}:</h2>
  <ul>${entries.map(([f, m]) => html`<li><a href="#f-${f}">${m}</a></li>`)}</ul></div>`;
}

/** The session's CSRF token as the hidden field every POST form carries. */
/**
 * Every form's hidden fields: the CSRF token and a one-time submission key (api/submission.ts). A form
 * shown again after an error passes its key back, so the corrected submission stays the same one.
 */
export const csrfField = (token?: string, submissionKey?: unknown) =>
  html`<input type="hidden" name="_csrf" value="${token ?? ''}"><input type="hidden" name="_key" value="${typeof submissionKey === 'string' && submissionKey ? submissionKey : crypto.randomUUID()}">`;

/** A labelled multi-line field with its error message. */
export function textarea(opts: {
  name: string;
  id?: string;
  label: string;
  value?: string;
  required?: boolean;
  error?: string;
  hint?: string;
  rows?: number;
  maxlength?: number;
}): SafeHtml {
  const id = opts.id ?? `f-${opts.name}`;
  const { head, describedBy } = fieldHead(id, opts);
  return html`<div class="field${opts.error ? ' has-error' : ''}">
  ${head}
  <textarea id="${id}" name="${opts.name}" rows="${opts.rows ?? 3}"${opts.maxlength ? html` maxlength="${opts.maxlength}"` : ''}${opts.required ? html` required` : ''}${describedBy ? html` aria-describedby="${describedBy}"` : ''}${opts.error ? html` aria-invalid="true"` : ''}>${opts.value ?? ''}</textarea>
</div>`;
}

/** A radio group in a fieldset; the first radio has the id f-<id> so an error summary can link to it. */
export function radios(opts: {
  name: string;
  id?: string;
  legend: string;
  options: Array<[string, string]>;
  value?: string;
  required?: boolean;
  error?: string;
}): SafeHtml {
  return choiceGroup('radio', { ...opts, values: opts.value === undefined ? [] : [opts.value] });
}

/** Check boxes in a fieldset (several values of one name); ids as in radios(). */
export function checkboxes(opts: {
  name: string;
  id?: string;
  legend: string;
  options: Array<[string, string]>;
  values?: string[];
  required?: boolean;
  error?: string;
  hint?: string;
}): SafeHtml {
  return choiceGroup('checkbox', { ...opts, values: opts.values ?? [] });
}

function choiceGroup(
  type: 'radio' | 'checkbox',
  opts: {
    name: string;
    id?: string;
    legend: string;
    options: Array<[string, string]>;
    values: string[];
    required?: boolean;
    error?: string;
    hint?: string;
  },
): SafeHtml {
  const id = opts.id ?? `f-${opts.name}`;
  const describedBy = [opts.hint ? `${id}-hint` : '', opts.error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return html`<fieldset${opts.error ? html` class="has-error"` : ''}${describedBy ? html` aria-describedby="${describedBy}"` : ''}>
  <legend>${opts.legend}${opts.required ? html` <span aria-hidden="true">*</span>` : ''}</legend>
  ${opts.hint ? html`<p class="hint" id="${id}-hint">${opts.hint}</p>` : ''}
  ${opts.error ? html`<p class="error" id="${id}-error">${opts.error}</p>` : ''}
  ${opts.options.map(
    ([v, l], i) => html`<div class="choice">
    <input type="${type}" id="${i === 0 ? id : `${id}-${i}`}" name="${opts.name}" value="${v}"${opts.values.includes(v) ? html` checked` : ''}${opts.required && type === 'radio' ? html` required` : ''}${opts.error ? html` aria-invalid="true"` : ''}>
    <label for="${i === 0 ? id : `${id}-${i}`}">${l}</label></div>`,
  )}
</fieldset>`;
}
