// German e-mail texts. Minimum personal data: case reference, what is due, a link. No names.
export interface MailContent { subject: string; text: string; html: string }

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function layout(title: string, paragraphs: string[], link: { href: string; label: string }): string {
  return `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>${esc(title)}</title></head>
<body style="font-family:Arial,sans-serif;color:#1a1a1a;line-height:1.5">
<h1 style="font-size:1.2em">${esc(title)}</h1>
${paragraphs.map((p) => `<p>${esc(p)}</p>`).join('\n')}
<p><a href="${esc(link.href)}" style="color:#0b4f8a">${esc(link.label)}</a></p>
<p style="color:#555;font-size:0.9em">Diese Nachricht wurde von KIM Flow automatisch versandt.</p>
</body></html>`;
}

export function followUpReminderMail(p: { reference: string; dueAt: Date; link: string }): MailContent {
  const due = p.dueAt.toLocaleString('de-DE', { timeZone: 'Europe/Berlin', dateStyle: 'medium', timeStyle: 'short' });
  const title = `Wiedervorlage fällig – Fall ${p.reference}`;
  const lines = [`Die Wiedervorlage für den Fall ${p.reference} ist fällig (${due} Uhr).`, 'Bitte den Fall ansehen und die nächsten Schritte festhalten.'];
  return {
    subject: `[KIM] ${title}`,
    text: `${lines.join('\n')}\n\nZum Fall: ${p.link}\n\n-- \nKIM Flow`,
    html: layout(title, lines, { href: p.link, label: 'Fall öffnen' }),
  };
}
