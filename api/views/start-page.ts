// The caseworker's start page: search, the due list (oldest first, overdue in words), my open cases.
import { formatDateTime } from '../../core/format/dates';
import { CASE_STATUS_LABELS, TOPIC_LABELS } from '../../core/format/labels';
import { html, type SafeHtml } from '../html';
import type { StartPage } from '../services/start-page';

export function startPageView(s: StartPage): SafeHtml {
  return html`
    <form method="get" action="/faelle" role="search" class="search">
      <div class="field"><label for="f-q">Fall suchen (Aktenzeichen oder Name)</label>
      <input id="f-q" name="q" type="search" maxlength="100"></div>
      <button type="submit">Suchen</button>
    </form>
    <section aria-labelledby="h-faellig"><h2 id="h-faellig">Als Nächstes fällig</h2>
      ${
        s.due.length
          ? html`<table><caption class="hint">Wiedervorlagen, Schritte und Hilfepläne meiner Fälle und Regelkontakte mit Partnern, älteste Fälligkeit zuerst</caption>
        <thead><tr><th scope="col">Fällig</th><th scope="col">Fall / Partner</th><th scope="col">Was</th></tr></thead>
        <tbody>${s.due.map(
          (
            d,
          ) => html`<tr${d.overdue ? html` class="overdue"` : ''}><td>${formatDateTime(d.dueAt)}${d.overdue ? html` <strong>(überfällig)</strong>` : ''}</td>
          <td>${d.caseId ? html`<a href="/faelle/${d.caseId}">${d.caseReference}</a>` : d.caseReference}</td><td><a href="${d.href}">${d.title}</a></td></tr>`,
        )}</tbody></table>`
          : html`<p>Nichts fällig.</p>`
      }
    </section>
    <section aria-labelledby="h-meine"><h2 id="h-meine">Meine offenen Fälle (${s.cases.length})</h2>
      ${
        s.cases.length
          ? html`<ul>${s.cases.map(
              (c) =>
                html`<li><a href="/faelle/${c.id}">${c.reference}</a> – ${c.person.lastName}, ${c.person.firstName} · ${TOPIC_LABELS[c.topic]} · ${CASE_STATUS_LABELS[c.status]}</li>`,
            )}</ul>`
          : html`<p>Keine offenen Fälle. <a href="/personen/neu">Neue Person anlegen</a></p>`
      }
      <p><a href="/faelle">Alle Fälle (auch des Teams)</a></p>
    </section>`;
}
