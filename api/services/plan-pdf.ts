// The help plan (Hilfeplan / Zielvereinbarung) as a German PDF for the person's signature: goals by
// life area with target dates, agreed actions with who and when, the review date, then signature
// lines for the person and the caseworker. Same font handling as the Art. 15 export (DejaVu Sans
// embedded when present, else Helvetica with WinAnsi replacement).
import { formatDate, formatDay } from '../../core/format/dates';
import { LIFE_AREA_LABELS, ownerLabel, RATING_LABELS } from '../../core/format/case-cycle-labels';
import { germanPdf, type PdfOptions } from './pdf-document';

export interface PlanPdfInput {
  reference: string;
  person: { firstName: string; lastName: string; birthDate: Date | null };
  caseworker: string;
  departments: Record<string, string>;
  plan: {
    version: number;
    reviewDate: string;
    createdAt: string;
    goals: Array<{ area: string; text: string; targetDate: string; rating: string | null }>;
    actions: Array<{ text: string; owner: string; dueDate: string }>;
  };
}

export function renderPlanPdf(x: PlanPdfInput, opts: PdfOptions = {}): Promise<Buffer> {
  const { doc, done, t } = germanPdf({ Title: `Hilfeplan ${x.reference}` }, opts);
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const ensure = (space: number) => {
    if (doc.y + space > doc.page.height - doc.page.margins.bottom) doc.addPage();
  };
  const h2 = (s: string) => {
    ensure(60);
    doc.moveDown(0.8).font('B').fontSize(13).fillColor('#1a3d6d').text(t(s), left, doc.y, { width }).fillColor('#000').moveDown(0.3);
  };
  const kv = (k: string, v: string) =>
    doc
      .font('B')
      .fontSize(10)
      .text(`${t(k)}: `, left, doc.y, { width, continued: true })
      .font('R')
      .text(t(v));

  doc.font('B').fontSize(18).text(t('Hilfeplan / Zielvereinbarung'), left, doc.y, { width }).moveDown(0.3);
  doc
    .font('R')
    .fontSize(10)
    .text(t(`Kommunales Integrationsmanagement (KIM) · Fall ${x.reference} · Fassung ${x.plan.version}`), { width });
  doc.moveDown(0.6);
  kv('Name', `${x.person.firstName} ${x.person.lastName}`);
  kv('Geburtsdatum', formatDate(x.person.birthDate, '–'));
  kv('Fallmanagement', x.caseworker);
  kv('Erstellt am', formatDate(x.plan.createdAt));
  kv('Nächste Überprüfung', formatDay(x.plan.reviewDate));

  h2('Ziele');
  x.plan.goals.forEach((g, i) => {
    ensure(40);
    doc
      .font('B')
      .fontSize(10)
      .text(t(`${i + 1}. ${LIFE_AREA_LABELS[g.area] ?? g.area} – bis ${formatDay(g.targetDate)}`), left, doc.y, { width });
    doc.font('R').text(t(g.text), left + 14, doc.y, { width: width - 14 });
    if (g.rating)
      doc
        .fillColor('#555')
        .text(t(`Bewertung: ${RATING_LABELS[g.rating] ?? g.rating}`), left + 14, doc.y, { width: width - 14 })
        .fillColor('#000');
    doc.moveDown(0.3);
  });

  h2('Vereinbarte Schritte');
  if (!x.plan.actions.length)
    doc.font('R').fontSize(10).fillColor('#555').text(t('Keine vereinbarten Schritte.'), left, doc.y, { width }).fillColor('#000');
  x.plan.actions.forEach((a, i) => {
    ensure(30);
    doc
      .font('R')
      .fontSize(10)
      .text(t(`${i + 1}. ${a.text}`), left, doc.y, { width });
    doc
      .fillColor('#333')
      .text(t(`Wer: ${ownerLabel(a.owner, x.departments)} · bis ${formatDay(a.dueDate)}`), left + 14, doc.y, { width: width - 14 })
      .fillColor('#000');
    doc.moveDown(0.3);
  });

  ensure(170);
  h2('Vereinbarung');
  doc
    .font('R')
    .fontSize(10)
    .text(
      t(
        'Wir haben die Ziele und Schritte gemeinsam besprochen und vereinbart. Der Plan wird zum oben genannten Termin gemeinsam überprüft.',
      ),
      left,
      doc.y,
      { width },
    );
  doc.moveDown(3);
  const y = doc.y;
  const col = (width - 40) / 2;
  for (const [i, label] of ['Ort, Datum, Unterschrift der Person', 'Ort, Datum, Unterschrift Fallmanagement'].entries()) {
    const x0 = left + i * (col + 40);
    doc
      .moveTo(x0, y)
      .lineTo(x0 + col, y)
      .stroke();
    doc
      .font('R')
      .fontSize(9)
      .text(t(label), x0, y + 4, { width: col });
  }
  doc.end();
  return done;
}
