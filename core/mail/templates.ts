// German e-mail texts. Minimum personal data: case reference, what is due, a link. No names.
// The HTML parts are built with the pages' escaping `html` tag; dates with core/format/dates.ts.
import { formatDate, formatDateTime } from '../format/dates';
import { html } from '../html';

export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

const paragraphs = (lines: string[]) => lines.map((l, i) => html`${i ? '\n' : ''}<p>${l}</p>`);

export function layout(title: string, lines: string[], link: { href: string; label: string }): string {
  return html`<!doctype html><html lang="de"><head><meta charset="utf-8"><title>${title}</title></head>
<body style="font-family:Arial,sans-serif;color:#1a1a1a;line-height:1.5">
<h1 style="font-size:1.2em">${title}</h1>
${paragraphs(lines)}
<p><a href="${link.href}" style="color:#0b4f8a">${link.label}</a></p>
<p style="color:#555;font-size:0.9em">Diese Nachricht wurde von KIM Flow automatisch versandt.</p>
</body></html>`.value;
}

export function followUpReminderMail(p: { reference: string; dueAt: Date; link: string }): MailContent {
  const due = formatDateTime(p.dueAt);
  const title = `Wiedervorlage fällig – Fall ${p.reference}`;
  const lines = [
    `Die Wiedervorlage für den Fall ${p.reference} ist fällig (${due} Uhr).`,
    'Bitte den Fall ansehen und die nächsten Schritte festhalten.',
  ];
  return {
    subject: `[KIM] ${title}`,
    text: `${lines.join('\n')}\n\nZum Fall: ${p.link}\n\n-- \nKIM Flow`,
    html: layout(title, lines, { href: p.link, label: 'Fall öffnen' }),
  };
}

export interface TaskMailParams {
  reference: string;
  stepTitle: string;
  due?: Date;
  links: Array<{ label: string; href: string }>;
  extra?: string[];
}

/** Added to the cancellation mail when the consent was withdrawn. */
export const CONSENT_WITHDRAWN_LINES = [
  'Grund: Die Einwilligung (Schweigepflichtentbindung) für Ihre Stelle wurde widerrufen.',
  'Bitte verwenden Sie die zu diesem Fall übermittelten Daten nicht weiter und löschen Sie sie, soweit keine gesetzliche Aufbewahrungspflicht besteht.',
];

function taskMail(kind: string, p: TaskMailParams, lines: string[]): MailContent {
  const subject = `[KIM] ${kind}: ${p.stepTitle} – Fall ${p.reference}${p.due ? ` – bis ${formatDate(p.due)}` : ''}`;
  const all = [...lines, ...(p.extra ?? [])];
  const linkText = p.links.map((l) => `${l.label}: ${l.href}`).join('\n');
  const body = html`<!doctype html><html lang="de"><head><meta charset="utf-8"><title>${subject}</title></head>
<body style="font-family:Arial,sans-serif;color:#1a1a1a;line-height:1.5">
<h1 style="font-size:1.2em">${kind}: ${p.stepTitle} – Fall ${p.reference}</h1>
${paragraphs(all)}
<ul>${p.links.map((l) => html`<li><a href="${l.href}" style="color:#0b4f8a">${l.label}</a></li>`)}</ul>
<p style="color:#555;font-size:0.9em">Die Links sind persönlich für Ihr Postfach, gelten befristet und jeweils nur einmal nutzbar. Einzelheiten zum Fall sehen Sie nach dem Öffnen des Links.</p>
</body></html>`;
  return { subject, text: `${all.join('\n')}\n\n${linkText}\n\n-- \nKIM Flow (automatische Nachricht)`, html: body.value };
}

export const taskMails = {
  notify: (p: TaskMailParams) =>
    taskMail('Bitte bestätigen', p, [
      `Für den Fall ${p.reference} ist eine Aufgabe an Ihre Stelle übergeben worden: ${p.stepTitle}.`,
      p.due ? `Bitte bestätigen Sie den Eingang bis ${formatDate(p.due)}.` : 'Bitte bestätigen Sie den Eingang.',
    ]),
  reminder: (p: TaskMailParams) =>
    taskMail('Erinnerung', p, [
      `Die Frist für die Aufgabe „${p.stepTitle}“ im Fall ${p.reference} ist abgelaufen.`,
      'Bitte bearbeiten Sie die Aufgabe.',
    ]),
  escalation: (p: TaskMailParams) =>
    taskMail('Eskalation', p, [
      `Die Aufgabe „${p.stepTitle}“ im Fall ${p.reference} ist trotz Erinnerung überfällig.`,
      'Bitte sorgen Sie für die Bearbeitung.',
    ]),
  declined: (p: TaskMailParams) =>
    taskMail('Abgelehnt', p, [`Die Aufgabe „${p.stepTitle}“ im Fall ${p.reference} wurde abgelehnt. Die Begründung steht im Fall.`]),
  completed: (p: TaskMailParams) =>
    taskMail('Erledigt', p, [`Die Aufgabe „${p.stepTitle}“ im Fall ${p.reference} wurde erledigt. Das Ergebnis steht im Fall.`]),
  cancelled: (p: TaskMailParams) =>
    taskMail('Abgebrochen', p, [
      `Die Aufgabe „${p.stepTitle}“ im Fall ${p.reference} wurde abgebrochen und muss nicht mehr bearbeitet werden.`,
    ]),
};

export const chainMails = {
  reminder: (p: TaskMailParams) => taskMail('Erinnerung', p, [`Im Fall ${p.reference} wartet der Schritt „${p.stepTitle}“ auf Sie.`]),
  escalation: (p: TaskMailParams) =>
    taskMail('Eskalation', p, [`Der Schritt „${p.stepTitle}“ im Fall ${p.reference} ist trotz Erinnerung überfällig.`]),
  review: (p: TaskMailParams) =>
    taskMail('Fallbesprechung', p, [
      `Im Fall ${p.reference} gibt es seit langem keinen Fortschritt beim Schritt „${p.stepTitle}“. Bitte mit dem Fallmanagement besprechen.`,
    ]),
};
