// A German A4 PDF (pdfkit) as every KIM Flow document starts: fonts, metadata, the bytes collected.
// Fonts: DejaVu Sans from Debian (fonts-dejavu-core; chromium's dependencies bring it, .ci/run installs
// it) is embedded, so umlauts, ß, Cyrillic, Greek and Arabic names print as they are. Without it the
// PDF falls back to Helvetica and `t` replaces every character outside WinAnsi with „?“ — readable,
// never broken. Control characters never reach the page.
import fs from 'node:fs';
import PDFDocument from 'pdfkit';

/** Where the Unicode fonts are looked for (regular, bold), first existing pair wins. */
export const PDF_FONT_CANDIDATES: Array<[string, string]> = [
  ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf'],
  ['/usr/share/fonts/dejavu/DejaVuSans.ttf', '/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf'],
  ['/usr/share/fonts/TTF/DejaVuSans.ttf', '/usr/share/fonts/TTF/DejaVuSans-Bold.ttf'],
];

export function findUnicodeFont(candidates = PDF_FONT_CANDIDATES): [string, string] | undefined {
  return candidates.find(([r, b]) => fs.existsSync(r) && fs.existsSync(b));
}

export interface PdfOptions {
  /** font files (regular, bold); default: the first of PDF_FONT_CANDIDATES found; null = Helvetica */
  fonts?: [string, string] | null;
  /** uncompressed content streams (tests read the text) */
  compress?: boolean;
}

const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
const toWinAnsi = (s: string) =>
  [...s]
    .map((ch) => {
      const c = ch.codePointAt(0)!;
      return (c >= 0x20 && c < 0x7f) || (c >= 0xa0 && c <= 0xff) || WIN_ANSI_EXTRA.has(ch) ? ch : '?';
    })
    .join('');

/**
 * A new document with the fonts registered as "R" (regular) and "B" (bold); `done` resolves with the
 * bytes after `doc.end()`; `t` makes any value printable in the chosen font.
 */
export function germanPdf(info: PDFKit.DocumentInfo, opts: PdfOptions & { bufferPages?: boolean } = {}) {
  const fonts = opts.fonts === undefined ? findUnicodeFont() : (opts.fonts ?? undefined);
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 64, left: 56, right: 56 },
    bufferPages: opts.bufferPages ?? false,
    compress: opts.compress ?? true,
    lang: 'de-DE',
    displayTitle: true,
    info: { Creator: 'KIM Flow', ...info },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('R', fonts ? fonts[0] : 'Helvetica');
  doc.registerFont('B', fonts ? fonts[1] : 'Helvetica-Bold');
  const t = (s: unknown) => {
    const clean = String(s ?? '').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, ' ');
    return fonts ? clean : toWinAnsi(clean);
  };
  return { doc, done, t, unicode: !!fonts };
}
