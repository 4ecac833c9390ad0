// German e-mails to landlords about their housing offers: no data of any household, only the offer.
import { formatDate } from '../format/dates';
import type { MailContent } from './templates';
import { html } from '../html';

function mail(title: string, lines: string[]): MailContent {
  return {
    subject: `[KIM] ${title}`,
    text: `${lines.join('\n')}\n\n-- \nKIM Flow – Kommunales Integrationsmanagement`,
    html: html`<!doctype html><html lang="de"><head><meta charset="utf-8"><title>${title}</title></head>
<body style="font-family:Arial,sans-serif;color:#1a1a1a;line-height:1.5"><h1 style="font-size:1.2em">${title}</h1>
${lines.map((l) => html`<p>${l}</p>`)}
<p style="color:#555;font-size:0.9em">Diese Nachricht wurde von KIM Flow automatisch versandt.</p></body></html>`.value,
  };
}

interface OfferInfo {
  reference: string;
  district: string;
  availableFrom: Date;
}

export const offerMails = {
  received: (o: OfferInfo & { address: string }) =>
    mail(`Wohnungsangebot ${o.reference} eingegangen`, [
      `Vielen Dank: Ihr Wohnungsangebot (${o.address}, ${o.district}, frei ab ${formatDate(o.availableFrom)}) ist unter der Nummer ${o.reference} eingegangen.`,
      'Das Fallmanagement meldet sich, sobald ein passender Haushalt eine Besichtigung wünscht.',
    ]),
  stillAvailable: (o: OfferInfo) =>
    mail(`Ist die Wohnung ${o.reference} noch frei?`, [
      `Ihr Wohnungsangebot ${o.reference} (${o.district}, frei ab ${formatDate(o.availableFrom)}) ist noch keinem Haushalt vermittelt.`,
      'Bitte teilen Sie dem Fallmanagement mit, ob die Wohnung noch frei ist. Ohne Rückmeldung wird das Angebot bald als abgelaufen geführt.',
    ]),
  linkInvitation: (p: { partnerName: string; url: string; expiresAt: Date }) =>
    mail('Wohnung melden – Ihr persönlicher Link', [
      `Guten Tag, über den folgenden persönlichen Link können Sie (${p.partnerName}) dem Kommunalen Integrationsmanagement eine freie Wohnung melden, ohne Konto:`,
      p.url,
      `Der Link gilt bis ${formatDate(p.expiresAt)} und kann einmal verwendet werden.`,
    ]),
};

export const partnerMails = {
  contactDue: (p: { partnerName: string; dueAt: Date; link: string }) =>
    mail(`Regelkontakt fällig: ${p.partnerName}`, [
      `Der regelmäßige Kontakt mit ${p.partnerName} ist seit ${formatDate(p.dueAt)} fällig.`,
      'Bitte den Kontakt aufnehmen und im Kontaktverlauf festhalten.',
      `Überfällige Kontakte: ${p.link}`,
    ]),
};
