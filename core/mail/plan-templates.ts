// German e-mails of the help plan's timers (case workflow): reminder before a review or an agreed
// action's due date, escalation to the supervisors when a review was missed. Minimum personal data:
// case reference, plan version, date, link — never the wording of goals or actions.
import { formatDate } from '../format/dates';
import type { PlanTimerKind } from '../domain/case-cycle';
import { layout, type MailContent } from './templates';

export function planTimerMail(p: { kind: PlanTimerKind; reference: string; version: number; due: Date; link: string }): MailContent {
  const due = formatDate(p.due);
  const { title, lines } = {
    'review-reminder': {
      title: `Hilfeplan-Überprüfung am ${due} – Fall ${p.reference}`,
      lines: [
        `Der Hilfeplan (Fassung ${p.version}) für den Fall ${p.reference} ist am ${due} zu überprüfen.`,
        'Bitte das Gespräch mit der Person vorbereiten.',
      ],
    },
    'action-reminder': {
      title: `Vereinbarte Maßnahme fällig am ${due} – Fall ${p.reference}`,
      lines: [`Eine im Hilfeplan (Fassung ${p.version}) vereinbarte Maßnahme für den Fall ${p.reference} ist am ${due} fällig.`],
    },
    'review-escalation': {
      title: `Hilfeplan-Überprüfung versäumt – Fall ${p.reference}`,
      lines: [
        `Die Überprüfung des Hilfeplans (Fassung ${p.version}) für den Fall ${p.reference} war am ${due} fällig und ist nicht erfolgt.`,
        'Bitte mit dem Fallmanagement klären.',
      ],
    },
  }[p.kind];
  return {
    subject: `[KIM] ${title}`,
    text: `${lines.join('\n')}\n\nZum Fall: ${p.link}\n\n-- \nKIM Flow`,
    html: layout(title, lines, { href: p.link, label: 'Fall öffnen' }),
  };
}
