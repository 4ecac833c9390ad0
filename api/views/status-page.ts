// The person's status page and the letter with the link: standalone documents in the person's language
// (lang and dir on <html>, right to left for Arabic and Persian). Every text comes from the message
// files (core/i18n/status-page/*); none is written here. Styles in /static/status.css (screen and print).
import { CHAIN_TITLES, type ChainType } from '../../core/domain/chains';
import { hasMessage, LANG_NAMES, RTL_LANGS, STATUS_LANGS, statusText, type StatusLang } from '../../core/i18n/status-page';
import { html, type SafeHtml } from '../html';
import type { PersonStatus, StatusChain } from '../services/status-links';

function dateIn(lang: StatusLang, d: Date | string): string {
  const date = typeof d === 'string' ? new Date(`${d.slice(0, 10)}T12:00:00Z`) : d;
  return new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'Europe/Berlin' }).format(date);
}

function documentOf(lang: StatusLang, title: string, body: SafeHtml): string {
  const dir = RTL_LANGS.includes(lang) ? 'rtl' : 'ltr';
  return html`<!doctype html>
<html lang="${lang}" dir="${dir}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow"><meta name="referrer" content="no-referrer">
<title>${title}</title><link rel="stylesheet" href="/static/status.css"></head>
<body><main id="inhalt">${body}</main></body></html>`.toString();
}

const t = statusText;

function chainTitle(lang: StatusLang, c: StatusChain): string {
  const key = `chain.${c.type}`;
  return hasMessage(key) ? t(lang, key) : (CHAIN_TITLES[c.type as ChainType] ?? c.fallbackTitle);
}
/** a step in plain words: the message file's text, else (a step of a city's own definition) its title */
const stepText = (lang: StatusLang, s: { key: string; title: string }) => {
  const key = `step.${s.key}`;
  return hasMessage(key) ? t(lang, key) : s.title;
};

function chainSection(lang: StatusLang, c: StatusChain, i: number): SafeHtml {
  const bring = c.current.map((s) => `bring.${s.key}`).filter(hasMessage);
  const next = c.appointments[0];
  const apptKey = next ? `appointment.${next.field}` : '';
  return html`<section class="chain" aria-labelledby="kette-${i}">
  <h2 id="kette-${i}">${chainTitle(lang, c)} <span class="state">(${t(lang, `status.${c.status}`)})</span></h2>
  <h3>${t(lang, 'next.heading')}</h3>
  ${
    c.current.length
      ? html`<ul class="now">${c.current.map(
          (s) =>
            html`<li><strong>${stepText(lang, s)}</strong><br>${c.status === 'on_hold' ? t(lang, 'who.hold') : t(lang, s.who === 'department' ? 'who.department' : 'who.caseworker')}</li>`,
        )}</ul>`
      : html`<p>${t(lang, 'next.none')}</p>`
  }
  <h3>${t(lang, 'bring.heading')}</h3>
  ${bring.length ? html`<ul>${bring.map((k) => html`<li>${t(lang, k)}</li>`)}</ul>` : html`<p>${t(lang, 'bring.none')}</p>`}
  <h3>${t(lang, 'appointment.heading')}</h3>
  <p>${next ? t(lang, hasMessage(apptKey) ? apptKey : 'appointment.other', { date: dateIn(lang, next.date) }) : t(lang, 'appointment.none')}</p>
  <h3>${t(lang, 'done.heading')}</h3>
  ${c.done.length ? html`<ol class="done">${c.done.map((s) => html`<li>✓ ${stepText(lang, s)}</li>`)}</ol>` : html`<p>${t(lang, 'done.none')}</p>`}
</section>`;
}

function languageSwitch(lang: StatusLang, token: string): SafeHtml {
  return html`<nav class="langs" aria-label="${t(lang, 'page.language')}"><ul>${STATUS_LANGS.map((l) =>
    l === lang
      ? html`<li><span aria-current="true" lang="${l}">${LANG_NAMES[l]}</span></li>`
      : html`<li><a href="/s/${token}?lang=${l}" lang="${l}" hreflang="${l}">${LANG_NAMES[l]}</a></li>`,
  )}</ul></nav>`;
}

export function statusPageView(lang: StatusLang, token: string, s: PersonStatus, now = new Date()): string {
  return documentOf(
    lang,
    t(lang, 'page.title'),
    html`${languageSwitch(lang, token)}
  <h1>${t(lang, 'page.title')}</h1>
  <p>${t(lang, 'page.intro')}</p>
  <p class="asof">${t(lang, 'page.asOf', { date: dateIn(lang, now) })}</p>
  ${s.chains.length ? s.chains.map((c, i) => chainSection(lang, c, i)) : html`<p>${t(lang, 'page.none')}</p>`}
  ${
    s.caseworker
      ? html`<section aria-labelledby="kontakt"><h2 id="kontakt">${t(lang, 'contact.heading')}</h2><p>${t(lang, 'contact.text', { name: s.caseworker })}</p></section>`
      : ''
  }
  <footer><p>${t(lang, 'page.footer')}</p></footer>`,
  );
}

export function statusRejectedView(lang: StatusLang, status: 403 | 410): string {
  return documentOf(
    lang,
    t(lang, 'page.title'),
    html`<h1>${t(lang, 'page.title')}</h1><p role="alert">${t(lang, status === 403 ? 'error.forged' : 'error.gone')}</p>`,
  );
}

/** One printed page for the person: the link in large type and (when available) as a QR code. */
export function statusLetterView(lang: StatusLang, url: string, expiresAt: string, caseworker?: string, qrSvg?: SafeHtml): string {
  return documentOf(
    lang,
    t(lang, 'letter.heading'),
    html`<article class="letter">
  <h1>${t(lang, 'letter.heading')}</h1>
  <p>${t(lang, 'letter.text')}</p>
  ${qrSvg ? html`<div class="qr" role="img" aria-label="QR-Code: ${url}">${qrSvg}</div>` : ''}
  <p class="url" dir="ltr"><a href="${url}">${url}</a></p>
  <p>${t(lang, 'letter.valid', { date: dateIn(lang, expiresAt) })}</p>
  ${caseworker ? html`<p>${t(lang, 'contact.text', { name: caseworker })}</p>` : ''}
</article>`,
  );
}
