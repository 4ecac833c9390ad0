// The Art. 15 export as a readable German PDF (pdfkit), rendered from the same document as the JSON
// export. Fonts: DejaVu Sans from Debian (fonts-dejavu-core; chromium's dependencies bring it, .ci/run
// installs it) is embedded, so umlauts, ß, Cyrillic, Greek and Arabic names print as they are (Arabic
// shaped and right-to-left per run by fontkit; no full bidi reordering of mixed lines). Without it the
// PDF falls back to Helvetica and replaces every character outside WinAnsi with „?“ — readable, never
// broken; the document then says so.
import type { PersonExport } from './person-export';
import { germanPdf, type PdfOptions } from './pdf-document';
import { formatDate, formatDateTime, formatDay } from '../../core/format/dates';

/** Access events listed in the PDF (the JSON lists up to EXPORT_ACCESS_EVENTS). */
export const PDF_ACCESS_EVENTS = 300;

// WinAnsi (cp1252) beyond Latin-1: what Helvetica can show without an embedded font
const dt = (v: string | null | undefined) => formatDateTime(v, '–');
const d = (v: string | null | undefined) => formatDate(v, '–');

/** Step or handoff data as "Feld: Wert; …" (values are what the caseworker or department entered). */
function dataText(data: unknown, labels: Record<string, string> = {}): string {
  if (data === null || data === undefined) return '';
  if (typeof data !== 'object') return String(data);
  return Object.entries(data as Record<string, unknown>)
    .map(([k, v]) => `${labels[k] ?? k}: ${v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join('; ');
}

export function renderPersonExportPdf(x: PersonExport, opts: PdfOptions = {}): Promise<Buffer> {
  const { doc, done, t, unicode } = germanPdf(
    { Title: 'Auskunft nach Art. 15 DSGVO', Subject: `Person ${x.person.id}`, CreationDate: new Date(x.generatedAt) },
    { ...opts, bufferPages: true },
  );
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const bottom = () => doc.page.height - doc.page.margins.bottom;
  const ensure = (space: number) => {
    if (doc.y + space > bottom()) doc.addPage();
  };
  const left = () => doc.page.margins.left;

  const h1 = (s: string) => {
    doc.font('B').fontSize(18).fillColor('#000').text(t(s), left(), doc.y, { width });
    doc.moveDown(0.3);
  };
  const h2 = (s: string) => {
    ensure(70);
    doc.moveDown(0.8);
    doc.font('B').fontSize(13).fillColor('#1a3d6d').text(t(s), left(), doc.y, { width });
    doc.fillColor('#000');
    doc.moveDown(0.3);
  };
  const h3 = (s: string) => {
    ensure(50);
    doc.moveDown(0.4);
    doc.font('B').fontSize(11).text(t(s), left(), doc.y, { width });
    doc.moveDown(0.15);
  };
  const kv = (key: string, value: unknown) => {
    ensure(16);
    doc
      .font('B')
      .fontSize(10)
      .text(`${t(key)}: `, left(), doc.y, { width, continued: true })
      .font('R')
      .text(t(value === null || value === undefined || value === '' ? '–' : value));
  };
  const line = (s: string, indent = 0) => {
    ensure(14);
    doc
      .font('R')
      .fontSize(10)
      .text(t(s), left() + indent, doc.y, { width: width - indent });
  };
  const none = (s: string) => {
    ensure(14);
    doc.font('R').fontSize(10).fillColor('#555').text(t(s), left(), doc.y, { width });
    doc.fillColor('#000');
  };

  // --- header --------------------------------------------------------------------------------
  h1(x.explanation.title);
  doc
    .font('R')
    .fontSize(10)
    .text(t(`Erstellt am ${dt(x.generatedAt)} Uhr · Kommunales Integrationsmanagement (KIM) · Person-ID ${x.person.id}`), { width });
  if (!unicode) {
    doc.moveDown(0.3);
    none(
      'Hinweis: Zeichen außerhalb des westeuropäischen Zeichensatzes sind in diesem Dokument als „?“ dargestellt; die vollständigen Angaben enthält die JSON-Auskunft.',
    );
  }
  doc.moveDown(0.6);
  kv('Zweck der Verarbeitung', x.explanation.purpose);
  kv('Empfänger', x.explanation.recipients);
  kv('Speicherdauer', x.explanation.storagePeriod);
  kv('Ihre Rechte', x.explanation.rights);
  if ('note' in x.explanation && x.explanation.note) kv('Hinweis', x.explanation.note);

  // --- person and household ------------------------------------------------------------------
  h2('1. Angaben zur Person');
  kv('Vorname', x.person.firstName);
  kv('Nachname', x.person.lastName);
  kv('Geburtsdatum', formatDay(x.person.birthDate) || null);
  kv('Haushaltsgröße', x.person.householdSize);
  kv('Unterkunft', x.person.shelterId);
  kv('Leistungsart', x.person.benefitTypeLabel);
  kv('Erfasst am', dt(x.person.createdAt));
  kv('Kennung', x.person.id);

  const f = x.personFile;
  kv('Geschlecht', f.genderLabel);
  kv('Sprachen', f.languages.join(', ') || null);
  kv('Sprache für Briefe', f.letterLanguage);
  kv('Dolmetschung nötig', f.interpreterNeeded ? 'ja' : 'nein');
  kv('Telefon', f.contact.phone);
  kv('E-Mail', f.contact.email);
  kv('Postanschrift', f.contact.postalAddress);
  if (f.contact.careOfShelter) kv('Post', 'c/o Notunterkunft');
  kv('Aufenthaltstitel', f.residence.titleLabel);
  kv('Gültig bis', formatDay(f.residence.validUntil) || null);
  kv(
    'Wohnsitzauflage (§ 12a AufenthG)',
    f.residence.obligation12a ? `ja${f.residence.obligation12aPlace ? `, ${f.residence.obligation12aPlace}` : ''}` : 'nein',
  );
  kv('Bleibeperspektive', f.prospectOfStayingLabel);

  h2('2. Haushalt');
  if (x.household) {
    kv('Haushalts-Kennung', x.household.id);
    kv('Größe (aus den Mitgliedern)', x.household.size);
    kv('Weitere erfasste Mitglieder', x.household.otherMembers);
  } else if (!f.householdMembers.length) none('Kein Haushalt erfasst.');
  for (const m of f.householdMembers)
    line(
      `• ${m.firstName} ${m.lastName}, ${m.relationshipLabel}, geb. ${formatDay(m.birthDate)}${m.removedAt ? ` (ausgezogen am ${dt(m.removedAt)})` : ''}`,
    );
  for (const s of f.shelterPlaces)
    line(
      `• Notunterkunft ${s.shelter}${s.place ? ` (${s.place})` : ''} seit ${formatDay(s.since)}${s.releasedAt ? `, freigegeben am ${dt(s.releasedAt)}` : ''}`,
    );
  for (const l of x.statusLinks)
    line(
      `• Persönlicher Statuslink: erstellt ${dt(l.createdAt)} Uhr, gültig bis ${dt(l.expiresAt)} Uhr${l.revokedAt ? `, widerrufen ${dt(l.revokedAt)} Uhr` : ''}`,
    );

  // group offers, course seats, housing need, meetings about the cases (issue 15)
  const e = x.education;
  if (e.housingNeed) kv('Barrierefreie Wohnung nötig', e.housingNeed.barrierFree ? 'ja' : 'nein');
  for (const g of e.groupEnrolments)
    line(
      `• ${g.kindLabel} „${g.offer}“: angemeldet ${dt(g.enrolledAt)} Uhr, anwesend an ${g.attendance.filter((a) => a.present).length} von ${g.attendance.length} erfassten Terminen${g.completedAt ? `, abgeschlossen ${dt(g.completedAt)} Uhr` : ''}${g.note ? `; Vermerk: ${g.note}` : ''}`,
    );
  for (const s of e.seatProposals)
    line(`• Kursplatz vorgeschlagen: ${s.kindLabel} ${s.course} „${s.title}“${s.level ? ` (${s.level})` : ''} ab ${formatDay(s.start)}`);
  for (const n of e.educationNeeds)
    line(`• Bildungsbedarf: ${n.kindLabel}${n.level ? ` ${n.level}` : ''}${n.district ? `, Stadtteil ${n.district}` : ''}`);
  for (const m of e.meetings) line(`• Besprechung „${m.series}“ am ${dt(m.at)} Uhr nannte einen Ihrer Fälle (nur mit Aktenzeichen)`);

  h2('3. Empfänger Ihrer Daten (Art. 15 Abs. 1 lit. c DSGVO)');
  if (x.recipients.length)
    for (const r of x.recipients)
      line(`• ${r.name}: ${r.handoffs} Übergabe${r.handoffs === 1 ? '' : 'n'}, erstmals am ${dt(r.firstAt)} Uhr`);
  else none('Keine Übergaben an andere Stellen.');

  // --- cases ---------------------------------------------------------------------------------
  h2(`4. Fälle (${x.cases.length})`);
  if (!x.cases.length) none('Keine Fälle.');
  for (const c of x.cases) {
    h3(`Fall ${c.reference} – ${c.topicLabel}`);
    kv('Status', c.statusLabel);
    kv('Fallmanagement', `${c.caseworker}${c.team ? ` (${c.team})` : ''}`);
    kv('Angelegt am', dt(c.createdAt));
    if (c.closedAt) kv('Abgeschlossen am', dt(c.closedAt));

    h3('Statusänderungen');
    if (!c.statusHistory.length) none('Keine.');
    for (const ch of c.statusHistory) {
      line(
        `• ${dt(ch.at)}: ${ch.fromLabel} → ${ch.toLabel}${ch.closureLabel ? ` (${ch.closureLabel})` : ''}${ch.reason ? ` – Begründung: ${ch.reason}` : ''}`,
      );
    }

    h3('Einwilligungen / Schweigepflichtentbindungen');
    if (!c.consents.length) none('Keine erfasst.');
    for (const k of c.consents) {
      line(`• ${k.departments.map((x2) => x2.name ?? x2.id).join(', ')} – Zweck: ${k.purpose}`);
      line(`erteilt am ${d(k.givenAt)}${k.withdrawnAt ? `, widerrufen am ${d(k.withdrawnAt)}` : ''}`, 12);
    }

    h3('Wiedervorlagen');
    if (!c.followUps.length) none('Keine.');
    for (const f of c.followUps) {
      line(
        `• ${dt(f.dueAt)} Uhr${f.note ? ` – ${f.note}` : ''} (${f.remindedAt ? `erinnert am ${dt(f.remindedAt)}` : f.cancelledAt ? 'ersetzt' : 'offen'})`,
      );
    }

    // case-management cycle (issue 13)
    h3('Anamnese');
    if (!c.assessments.length) none('Keine.');
    for (const a of c.assessments) {
      line(`• Fassung ${a.version} vom ${dt(a.createdAt)} Uhr`);
      for (const x2 of a.areas)
        line(`${x2.areaLabel} (${x2.needLabel}): ${x2.situation ?? '–'}${x2.resources ? ` – Ressourcen: ${x2.resources}` : ''}`, 12);
    }
    h3('Hilfepläne');
    if (!c.plans.length) none('Keine.');
    for (const p of c.plans) {
      line(
        `• Fassung ${p.version} vom ${dt(p.createdAt)} Uhr, Überprüfung am ${formatDay(p.reviewDate)}${p.reviewedAt ? ` (überprüft ${dt(p.reviewedAt)} Uhr)` : ''}`,
      );
      for (const g of p.goals)
        line(
          `Ziel (${g.areaLabel}, bis ${formatDay(g.targetDate)}): ${g.text}${g.ratingLabel ? ` – ${g.ratingLabel}` : ''}${g.ratingNote ? ` (${g.ratingNote})` : ''}`,
          12,
        );
      for (const a of p.actions) line(`Schritt (bis ${formatDay(a.dueDate)}): ${a.text}`, 12);
    }
    h3('Verlaufsdokumentation');
    if (!c.journal.length) none('Keine Einträge.');
    for (const e of c.journal) {
      line(`• ${dt(e.at)} Uhr – ${e.kindLabel}: ${e.text}`);
      for (const r of e.earlierVersions) line(`frühere Fassung (ersetzt ${dt(r.replacedAt)} Uhr): ${r.text}`, 12);
    }
    h3('Dokumente');
    if (!c.documents.length) none('Keine.');
    for (const doc2 of c.documents)
      line(`• ${doc2.fileName} (${doc2.mediaType}, ${Math.ceil(doc2.size / 1024)} KB), hochgeladen am ${dt(doc2.uploadedAt)} Uhr`);

    h3('Ketten und Schritte');
    if (!c.processes.length) none('Keine.');
    for (const p of c.processes) {
      line(
        `• ${p.title} – ${p.statusLabel}, gestartet am ${dt(p.startedAt)}${p.completedAt ? `, beendet am ${dt(p.completedAt)}` : ''}${p.reason ? ` – Begründung: ${p.reason}` : ''}`,
      );
      for (const s of p.steps) {
        line(
          `${s.seq}. ${s.title}${s.departmentName ? ` (${s.departmentName})` : ''} – ${s.statusLabel}${s.completedAt ? ` am ${dt(s.completedAt)}` : ''}${s.outcomeLabel ? `, Ergebnis: ${s.outcomeLabel}` : ''}`,
          12,
        );
        const data = dataText(s.data, s.dataLabels);
        if (data) line(`Angaben: ${data}`, 24);
      }
    }

    h3('Übergaben an Stellen');
    if (!c.handoffs.length) none('Keine.');
    for (const h of c.handoffs) {
      line(
        `• ${h.title} an ${h.departmentName} – ${h.statusLabel}, übergeben am ${dt(h.createdAt)}${h.outcomeLabel ? `, Ergebnis: ${h.outcomeLabel}` : ''}${h.reason ? ` – Begründung: ${h.reason}` : ''}`,
      );
      const data = dataText(h.data);
      if (data) line(`Angaben der Stelle: ${data}`, 12);
      for (const e of h.events) line(`${dt(e.at)} – ${e.label} (${e.by})`, 12);
    }

    if (c.handoffMessages.length) {
      h3('Nachrichten an Stellen');
      for (const m of c.handoffMessages) line(`• ${dt(m.createdAt)} (${m.step}): ${m.text}`);
    }

    h3('E-Mails zu diesem Fall');
    if (!c.mails.length) none('Keine.');
    for (const m of c.mails)
      line(`• ${dt(m.createdAt)} – „${m.subject}“ an ${m.to.join(', ')} – ${m.statusLabel}${m.sentAt ? ` am ${dt(m.sentAt)}` : ''}`);
  }
  if (x.omittedCases) {
    doc.moveDown(0.3);
    none(x.explanation.note ?? '');
  }

  // --- access log ----------------------------------------------------------------------------
  h2('5. Zugriffe auf Ihre Daten');
  line(`Insgesamt ${x.accessLog.total} protokollierte Zugriffe und Änderungen.`);
  for (const a of x.accessLog.byAction) line(`• ${a.label}: ${a.count}`, 12);
  h3(`Einzelne Zugriffe (neueste zuerst${x.accessLog.events.length > PDF_ACCESS_EVENTS ? `, die letzten ${PDF_ACCESS_EVENTS}` : ''})`);
  for (const e of x.accessLog.events.slice(0, PDF_ACCESS_EVENTS))
    line(`${dt(e.at)} – ${e.roleLabel}${e.department ? ` (${e.department})` : ''} – ${e.label}`);

  // --- page numbers --------------------------------------------------------------------------
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const keep = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // writing into the margin must not open a new page
    doc
      .font('R')
      .fontSize(8)
      .fillColor('#555')
      .text(t(`Auskunft nach Art. 15 DSGVO · Seite ${i + 1} von ${range.count}`), left(), doc.page.height - 40, {
        width,
        align: 'center',
        lineBreak: false,
      });
    doc.page.margins.bottom = keep;
  }
  doc.end();
  return done;
}
