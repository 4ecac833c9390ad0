// A committee report as PDF (German, A4): title page, table of contents, per figure its explanation,
// a bar chart with its text alternative (the same words as the SVG charts' <desc>, bar-chart.ts) and the
// table. Rendered from the archived (suppressed) figures; fonts as in the Art. 15 export (DejaVu Sans
// embedded when present: pdf-document.ts).
import { describeChart } from '../../core/format/bar-chart';
import { formatDay } from '../../core/format/dates';
import { PERIOD_LABELS, type Period } from '../../core/domain/report-figures';
import { germanPdf } from './pdf-document';
import { cellText, type StoredReport } from './reports';

export function renderReportPdf(r: StoredReport, opts: { compress?: boolean } = {}): Promise<Buffer> {
  const { doc, done, t } = germanPdf(
    { Title: r.definition.title, Subject: `Zeitraum ${r.from} bis ${r.to}`, CreationDate: r.createdAt },
    { compress: opts.compress, bufferPages: true },
  );
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const ensure = (space: number) => {
    if (doc.y + space > doc.page.height - doc.page.margins.bottom) doc.addPage();
  };

  // title page
  doc.font('B').fontSize(22).text(t(r.definition.title), left, 200, { width });
  doc.moveDown(1);
  doc
    .font('R')
    .fontSize(13)
    .text(
      t(`Zeitraum: ${formatDay(r.from)} bis ${formatDay(r.to)} (${PERIOD_LABELS[r.definition.period as Period] ?? r.definition.period})`),
      { width },
    );
  doc.text(t(`Erstellt am ${formatDay(r.createdAt.toISOString().slice(0, 10))} · Kommunales Integrationsmanagement (KIM)`), { width });
  doc.moveDown(2);
  doc
    .fontSize(10)
    .fillColor('#333')
    .text(
      t(
        'Öffentliche Vorlage: nur zusammengefasste Zahlen, keine Aktenzeichen und keine Namen. Werte von 1 bis 4 erscheinen als „< 5“, auch dort, wo sie sich sonst aus einer Summe errechnen ließen.',
      ),
      { width },
    )
    .fillColor('#000');

  // table of contents (page 2), filled in once the pages are known
  doc.addPage();
  const tocPage = doc.bufferedPageRange().count - 1;
  const pages: number[] = [];

  for (const f of r.figures) {
    doc.addPage();
    pages.push(doc.bufferedPageRange().count);
    doc.font('B').fontSize(15).fillColor('#1a3d6d').text(t(f.title), left, doc.y, { width }).fillColor('#000');
    doc.moveDown(0.3);
    doc.font('R').fontSize(10).text(t(f.explanation), { width });
    doc.moveDown(0.6);
    // chart of the first column (numbers only)
    const bars = f.rows
      .filter((row) => !row.total)
      .map((row) => ({ label: row.label, value: typeof row.cells[0] === 'number' ? (row.cells[0] as number) : null }));
    if (!f.pending && bars.some((b) => b.value !== null)) {
      const max = Math.max(1, ...bars.map((b) => b.value ?? 0));
      for (const b of bars) {
        ensure(18);
        const y = doc.y;
        doc.font('R').fontSize(9).text(t(b.label), left, y, { width: 180, lineBreak: false, ellipsis: true });
        if (b.value)
          doc
            .rect(left + 190, y + 1, ((width - 240) * b.value) / max, 9)
            .fill('#1d4f91')
            .fillColor('#000');
        doc.text(b.value === null ? '–' : String(b.value), left + 195 + ((width - 240) * (b.value ?? 0)) / max, y, { lineBreak: false });
        doc.y = y + 15;
      }
      doc.x = left;
      doc.moveDown(0.3);
      doc
        .font('R')
        .fontSize(9)
        .fillColor('#333')
        .text(
          t(`Textalternative zum Diagramm: ${describeChart({ id: f.id, title: f.title, unit: '', valueName: f.columns[0], bars })}`),
          left,
          doc.y,
          { width },
        )
        .fillColor('#000');
      doc.moveDown(0.6);
    }
    // table
    const cols = ['', ...f.columns];
    const colW = [Math.max(140, width - (cols.length - 1) * 70), ...f.columns.map(() => Math.min(70, (width - 140) / f.columns.length))];
    const rowOut = (cells: string[], bold: boolean) => {
      ensure(30);
      const y = doc.y;
      let x = left;
      let h = 0;
      cells.forEach((c, i) => {
        doc.font(bold || i === 0 ? 'B' : 'R').fontSize(9);
        h = Math.max(h, doc.heightOfString(t(c), { width: colW[i] - 4 }));
        doc.text(t(c), x, y, { width: colW[i] - 4 });
        x += colW[i];
      });
      doc.y = y + h + 4;
      doc
        .moveTo(left, doc.y - 2)
        .lineTo(left + width, doc.y - 2)
        .lineWidth(0.3)
        .stroke('#999');
    };
    rowOut(cols, true);
    for (const row of f.rows) rowOut([row.label, ...row.cells.map(cellText)], Boolean(row.total));
    doc.x = left;
  }

  doc.switchToPage(tocPage);
  doc.font('B').fontSize(16).text(t('Inhalt'), left, doc.page.margins.top, { width });
  doc.moveDown(0.5);
  r.figures.forEach((f, i) => {
    doc
      .font('R')
      .fontSize(11)
      .text(t(`${i + 1}. ${f.title} ........ Seite ${pages[i]}`), left, doc.y, { width });
  });
  doc.end();
  return done;
}
