// The German e-mail that tells a report's recipient it is ready: title, period and a LINK to it
// (/berichte/{id}, behind the login). No figure and no attachment: the report stays in KIM Flow.
import { formatDay } from '../format/dates';
import { html } from '../html';
import type { MailContent } from './templates';

export function reportReadyMail(p: { title: string; from: string; to: string; link: string }): MailContent {
  const subject = `[KIM] Bericht bereit: ${p.title} (${formatDay(p.from)} – ${formatDay(p.to)})`;
  const lines = [
    `Der Bericht „${p.title}“ für den Zeitraum ${formatDay(p.from)} bis ${formatDay(p.to)} ist erstellt und archiviert.`,
    `Sie finden ihn (PDF und CSV) nach der Anmeldung unter: ${p.link}`,
  ];
  return {
    subject,
    text: `${lines.join('\n')}\n\n-- \nKIM Flow – Kommunales Integrationsmanagement`,
    html: html`<!doctype html><html lang="de"><head><meta charset="utf-8"><title>${subject}</title></head>
<body style="font-family:Arial,sans-serif;color:#1a1a1a;line-height:1.5"><h1 style="font-size:1.2em">Bericht bereit</h1>
<p>${lines[0]}</p><p><a href="${p.link}">Bericht öffnen</a></p>
<p style="color:#555;font-size:0.9em">Diese Nachricht wurde von KIM Flow automatisch versandt.</p></body></html>`.value,
  };
}
