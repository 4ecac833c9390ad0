// Reads the text of a PDF as pdfkit writes it, without a PDF library: objects, Flate streams (node's
// zlib), the page tree, each page's fonts with their ToUnicode maps (embedded fonts) or WinAnsi bytes
// (standard fonts), and the Tj/TJ strings of the content streams. Enough to check what the Art. 15
// export prints; not a general PDF parser (no object streams, no xref streams, no encryption).
import zlib from 'node:zlib';

interface PdfObject {
  dict: string;
  stream?: Buffer;
}

function objects(pdf: Buffer): Map<number, PdfObject> {
  const s = pdf.toString('latin1');
  const out = new Map<number, PdfObject>();
  const re = /(\d+) 0 obj\b/g;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    const from = m.index + m[0].length;
    const end = s.indexOf('endobj', from);
    const at = s.indexOf('stream', from);
    if (at < 0 || at > end) {
      out.set(Number(m[1]), { dict: s.slice(from, end) });
      re.lastIndex = end;
      continue;
    }
    // a stream: skip its bytes by /Length (binary font data may contain anything)
    const dict = s.slice(from, at);
    const start = at + 'stream'.length + (s[at + 6] === '\r' ? 2 : 1);
    const length = Number(dict.match(/\/Length (\d+)/)?.[1]);
    let data = pdf.subarray(start, start + length);
    if (/\/FlateDecode/.test(dict)) data = zlib.inflateSync(data);
    out.set(Number(m[1]), { dict, stream: data });
    re.lastIndex = start + length;
  }
  return out;
}

const ref = (s: string, key: string) => {
  const m = s.match(new RegExp(`/${key} (\\d+) 0 R`));
  return m ? Number(m[1]) : undefined;
};

/** glyph id (hex, 4 digits) → text, from a ToUnicode CMap's bfchar and bfrange entries. */
function parseCmap(cmap: string): Map<string, string> {
  const map = new Map<string, string>();
  const utf16 = (hex: string) => String.fromCharCode(...(hex.match(/.{4}/g) ?? []).map((h) => parseInt(h, 16)));
  for (const block of cmap.match(/beginbfchar([\s\S]*?)endbfchar/g) ?? []) {
    for (const m of block.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F\s]+)>/g))
      map.set(m[1].toLowerCase().padStart(4, '0'), utf16(m[2].replace(/\s/g, '')));
  }
  for (const block of cmap.match(/beginbfrange([\s\S]*?)endbfrange/g) ?? []) {
    for (const m of block.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F]+>)/g)) {
      const from = parseInt(m[1], 16),
        to = parseInt(m[2], 16);
      const targets = m[3].startsWith('[') ? [...m[3].matchAll(/<([0-9a-fA-F\s]+)>/g)].map((x) => x[1].replace(/\s/g, '')) : undefined;
      for (let g = from; g <= to; g++) {
        const key = g.toString(16).padStart(4, '0');
        if (targets) map.set(key, utf16(targets[g - from]));
        else map.set(key, String.fromCharCode(parseInt(m[3].slice(1, -1), 16) + (g - from)));
      }
    }
  }
  return map;
}

const WIN_ANSI_80: Record<number, string> = {
  0x80: '€',
  0x84: '„',
  0x85: '…',
  0x91: '‘',
  0x92: '’',
  0x93: '“',
  0x94: '”',
  0x95: '•',
  0x96: '–',
  0x97: '—',
};

/** The text of every page, one string per page, one line per text operation. */
export function pdfPages(pdf: Buffer): string[] {
  if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-') throw new Error('not a PDF');
  const objs = objects(pdf);
  const catalog = [...objs.values()].find((o) => /\/Type \/Catalog/.test(o.dict));
  const pagesRoot = catalog && ref(catalog.dict, 'Pages');
  if (pagesRoot === undefined) throw new Error('no page tree');
  const pageIds: number[] = [];
  const walk = (id: number) => {
    const o = objs.get(id)!;
    if (/\/Type \/Pages/.test(o.dict)) for (const k of o.dict.match(/\/Kids \[([^\]]*)\]/)![1].matchAll(/(\d+) 0 R/g)) walk(Number(k[1]));
    else pageIds.push(id);
  };
  walk(pagesRoot);
  const fontMaps = new Map<number, Map<string, string> | null>();
  const fontMap = (id: number) => {
    if (!fontMaps.has(id)) {
      const toUnicode = ref(objs.get(id)!.dict, 'ToUnicode');
      fontMaps.set(id, toUnicode === undefined ? null : parseCmap(objs.get(toUnicode)!.stream!.toString('latin1')));
    }
    return fontMaps.get(id)!;
  };
  return pageIds.map((id) => {
    const page = objs.get(id)!.dict;
    const resId = ref(page, 'Resources');
    const resources = resId !== undefined ? objs.get(resId)!.dict : page;
    const fonts = new Map(
      [...(resources.match(/\/Font <<([^>]*)>>/)?.[1] ?? '').matchAll(/\/(\w+) (\d+) 0 R/g)].map((m) => [m[1], Number(m[2])]),
    );
    const content = objs.get(ref(page, 'Contents')!)!.stream!.toString('latin1');
    const lines: string[] = [];
    let font: Map<string, string> | null = null;
    for (const op of content.matchAll(/\/(\w+) [\d.]+ Tf|(\[(?:[^\]]*)\]) TJ|(<[0-9a-fA-F]*>) Tj/g)) {
      if (op[1]) {
        font = fontMap(fonts.get(op[1])!);
        continue;
      }
      const hexes = [...(op[2] ?? op[3]).matchAll(/<([0-9a-fA-F]*)>/g)].map((m) => m[1]);
      lines.push(
        hexes
          .map((h) =>
            font
              ? (h.match(/.{4}/g) ?? []).map((g) => font!.get(g.toLowerCase()) ?? '\uFFFD').join('')
              : (h.match(/.{2}/g) ?? [])
                  .map((b) => {
                    const c = parseInt(b, 16);
                    return WIN_ANSI_80[c] ?? String.fromCharCode(c);
                  })
                  .join(''),
          )
          .join(''),
      );
    }
    return lines.join('\n');
  });
}

/** All pages' text in one string, whitespace collapsed (a line break from wrapping becomes a space). */
export const pdfText = (pdf: Buffer) => pdfPages(pdf).join('\n').replace(/\s+/g, ' ');
