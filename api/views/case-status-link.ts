// The case page's section for the person's own status page: print a letter with a new personal link
// (in the chosen language; a new link replaces the old one) or revoke the link.
import { LANG_NAMES, STATUS_LANGS } from '../../core/i18n/status-page';
import { csrfField, html, select, type SafeHtml } from '../html';

export function statusLinkSection(personId: string, csrf?: string): SafeHtml {
  return html`<section aria-labelledby="h-statuslink"><h2 id="h-statuslink">Statusseite für die Person</h2>
    <p class="hint">Die Person sieht mit einem persönlichen Link, wo ihre Ketten stehen (ohne interne Vermerke). Ein neuer Link ersetzt den alten.</p>
    <form method="post" action="/personen/${personId}/statuslink" target="_blank">
      ${csrfField(csrf)}
      ${select({ name: 'lang', id: 'f-statuslink-lang', label: 'Sprache des Briefs', options: STATUS_LANGS.map((l): [string, string] => [l, LANG_NAMES[l]]), value: 'de' })}
      <button type="submit">Brief mit neuem Link drucken</button>
    </form>
    <form method="post" action="/personen/${personId}/statuslink/widerrufen">
      ${csrfField(csrf)}
      <button type="submit" class="secondary">Statuslink widerrufen</button>
    </form></section>`;
}
