// The case file's cycle pages (issue 13): the links between the case page and its assessment, help
// plan, journal and documents pages, and the parts every one of those pages shares.
import { TIME_ZONE } from '../../core/format/dates';
import { html, type SafeHtml } from '../html';

export const CYCLE_PAGES = [
  ['anamnese', 'Anamnese (Erstgespräch)'],
  ['hilfeplan', 'Hilfeplan'],
  ['verlauf', 'Verlaufsdokumentation'],
  ['dokumente', 'Dokumente'],
] as const;

/** The case page's links to the cycle pages. */
export function caseCycleLinks(caseId: string): SafeHtml {
  return html`<section aria-labelledby="h-fallakte"><h2 id="h-fallakte">Fallakte</h2>
    <ul class="links">${CYCLE_PAGES.map(([path, label]) => html`<li><a href="/faelle/${caseId}/${path}">${label}</a></li>`)}</ul></section>`;
}

/** Back to the case and across to the other cycle pages (the current one marked). */
export function cycleNav(caseId: string, reference: string, current: string): SafeHtml {
  return html`<nav aria-label="Fallakte"><ul class="links">
    <li><a href="/faelle/${caseId}">Zurück zum Fall ${reference}</a></li>
    ${CYCLE_PAGES.map(([path, label]) =>
      path === current
        ? html`<li><a href="/faelle/${caseId}/${path}" aria-current="page">${label}</a></li>`
        : html`<li><a href="/faelle/${caseId}/${path}">${label}</a></li>`,
    )}</ul></nav>`;
}

export const noticeBox = (notice?: string) => (notice ? html`<p class="notice ok" role="status">${notice}</p>` : html``);

/** A problem that belongs to no single field (409 and the like), in the place of the error summary. */
export const problemBox = (message: string) => html`<div class="error-summary" role="alert" tabindex="-1" id="fehler">
  <h2>Nicht gespeichert</h2><p>${message}</p></div>`;

const localFmt = new Intl.DateTimeFormat('sv-SE', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
/** An instant as the value of a datetime-local input (Berlin wall clock, "YYYY-MM-DDTHH:mm"). */
export const berlinLocal = (d: Date | string) => localFmt.format(new Date(d)).replace(' ', 'T');

/** A calendar day (Date at 00:00 UTC) as yyyy-mm-dd. */
export const ymd = (d: Date) => d.toISOString().slice(0, 10);
