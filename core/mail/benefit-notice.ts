// The notice to both offices when a handoff moves because the person's benefit type changed
// (api/services/benefit-reroute.ts). Minimum personal data: reference, step, the two offices.
import { html } from '../html';
import type { MailContent } from './templates';

export function benefitChangeNotice(p: { reference: string; stepTitle: string; from: string; to: string }): MailContent {
  const title = `Zuständigkeit geändert: ${p.stepTitle} – Fall ${p.reference}`;
  const lines = [
    `Die Leistungsart der Person im Fall ${p.reference} hat sich geändert.`,
    `Die Aufgabe „${p.stepTitle}“ wurde deshalb von ${p.from} an ${p.to} weitergeleitet.`,
    `${p.from}: Die bisher versandten Links zu dieser Aufgabe gelten nicht mehr; bitte nichts weiter veranlassen.`,
    `${p.to}: Sie erhalten die Aufgabe mit eigenen Links in einer gesonderten Nachricht.`,
  ];
  const body = html`<!doctype html><html lang="de"><head><meta charset="utf-8"><title>${title}</title></head>
<body style="font-family:Arial,sans-serif;color:#1a1a1a;line-height:1.5">
<h1 style="font-size:1.2em">${title}</h1>
${lines.map((l) => html`<p>${l}</p>`)}
<p style="color:#555;font-size:0.9em">Diese Nachricht wurde von KIM Flow automatisch versandt.</p>
</body></html>`;
  return { subject: `[KIM] ${title}`, text: `${lines.join('\n')}\n\n-- \nKIM Flow (automatische Nachricht)`, html: body.value };
}
