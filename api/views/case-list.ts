// The case list (/faelle): search form, one page of cases, „Zurück“/„Weiter“ links and a caption
// that says which part of how many it shows.
import { formatDate } from '../../core/format/dates';
import { CASE_STATUS_LABELS, TOPIC_LABELS } from '../../core/format/labels';
import type { CaseStatus } from '../../core/domain/records';
import { seesCaseFiles, worksOnCases } from '../access';
import { html, type PageUser, type SafeHtml } from '../html';

export const statusBadge = (s: CaseStatus) => html`<span class="status status-${s}">${CASE_STATUS_LABELS[s]}</span>`;

export interface CaseListRow {
  id: string;
  reference: string;
  topic: keyof typeof TOPIC_LABELS;
  status: CaseStatus;
  createdAt: Date;
  anonymizedAt: Date | null;
  person: { firstName: string; lastName: string };
  caseworker: { name: string };
}
export interface CaseListPage {
  items: CaseListRow[];
  total: number;
  page: number;
  pages: number;
  from: number;
  to: number;
}

const count = (n: number) => (n === 1 ? '1 Fall' : `${n} Fälle`);
const listUrl = (q: string, page: number) => {
  const p = new URLSearchParams({ ...(q ? { q } : {}), ...(page > 1 ? { seite: String(page) } : {}) }).toString();
  return `/faelle${p ? `?${p}` : ''}`;
};

function caption(r: CaseListPage, q: string): string {
  // a total only when everything is on this page; else which part of how many
  const what = r.pages > 1 ? `${r.from}–${r.to} von ${r.total} Fällen` : count(r.total);
  return `${what}${q ? ' zur Suche' : ''}, neueste zuerst`;
}

function searchForm(user: PageUser, q: string): SafeHtml {
  return html`<form method="get" action="/faelle" class="search" role="search" aria-label="Fälle suchen">
    <div class="field"><label for="f-q">Suche</label>
      <p class="hint" id="f-q-hint">${seesCaseFiles(user) ? 'Aktenzeichen oder Name (Vor- oder Nachname)' : 'Aktenzeichen'}</p>
      <input id="f-q" name="q" type="search" value="${q}" maxlength="100" autocomplete="off" aria-describedby="f-q-hint"></div>
    <button type="submit">Suchen</button>${q ? html` <a href="/faelle">Suche zurücksetzen</a>` : ''}
  </form>`;
}

function pager(r: CaseListPage, q: string): SafeHtml | string {
  if (r.pages <= 1) return '';
  return html`<nav aria-label="Seiten der Fallliste"><p class="list-links">
    ${r.page > 1 ? html`<a href="${listUrl(q, r.page - 1)}" rel="prev">Zurück</a>` : ''}
    <span>Seite ${r.page} von ${r.pages}</span>
    ${r.page < r.pages ? html`<a href="${listUrl(q, r.page + 1)}" rel="next">Weiter</a>` : ''}
  </p></nav>`;
}

const row = (c: CaseListRow) => html`<tr>
  <td><a href="/faelle/${c.id}">${c.reference}</a></td>
  <td>${c.anonymizedAt ? html`<span class="hint">anonymisiert</span>` : html`${c.person.lastName}, ${c.person.firstName}`}</td>
  <td>${TOPIC_LABELS[c.topic]}</td>
  <td>${statusBadge(c.status)}</td>
  <td>${c.caseworker.name}</td>
  <td>${formatDate(c.createdAt)}</td></tr>`;

export function caseListView(user: PageUser, r: CaseListPage, q: string, created?: string): SafeHtml {
  return html`
    ${created ? html`<p class="notice ok" role="status">Fall ${created} wurde angelegt.</p>` : ''}
    ${worksOnCases(user) ? html`<p><a class="button" href="/faelle/neu">Neuen Fall anlegen</a></p>` : ''}
    ${searchForm(user, q)}
    ${
      r.total === 0
        ? html`<p>${q ? 'Keine Fälle zu dieser Suche.' : 'Noch keine Fälle.'}</p>`
        : html`
    <table>
      <caption class="hint">${caption(r, q)}</caption>
      <thead><tr><th scope="col">Aktenzeichen</th><th scope="col">Person</th><th scope="col">Thema</th><th scope="col">Status</th><th scope="col">Fallmanagement</th><th scope="col">Angelegt</th></tr></thead>
      <tbody>${r.items.map(row)}</tbody></table>
    ${pager(r, q)}`
    }`;
}

export const noCaseFilesView = () => html`<p>Ihre Rolle sieht keine Fallakten. Aufgaben Ihrer Stelle erreichen Sie per E-Mail.</p>`;
