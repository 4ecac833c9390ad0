// The walk of issue 13 in a real browser (Debian's Chromium) with axe-core on every page it visits:
// intake (new person, new case) → assessment (first with an error: summary focused, keyboard to the field)
// → help plan with two goals → a move-out chain started from the housing goal → journal entry → the
// lease uploaded (a small real PDF) → review with ratings → closure with a coded reason, cancelling the
// running chain in the same confirmed step.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { expectNoSeriousAxeViolations, loginInBrowser, startStackAndBrowser, UUID, type TestBrowser } from '../support/browser';
import { eventually, type Stack } from '../support/stack';

let stack: Stack;
let b: TestBrowser;
let leaseFile: string;

/** a small real PDF (one page of text), as a caseworker would upload a scanned lease */
function leasePdf(): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4' });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.fontSize(14).text('Mietvertrag (Muster)');
    doc.fontSize(11).text('Wohnung Lindenstraße 4, 2 Zimmer, Mietbeginn 01.02.2027.');
    doc.end();
  });
}

beforeAll(async () => {
  ({ stack, browser: b } = await startStackAndBrowser());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kim-walk-'));
  leaseFile = path.join(dir, 'Mietvertrag.pdf');
  fs.writeFileSync(leaseFile, await leasePdf());
}, 120_000);
afterAll(async () => {
  await b?.close();
  await stack?.stop();
  if (leaseFile) fs.rmSync(path.dirname(leaseFile), { recursive: true, force: true });
});

const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

it('intake → assessment → help plan → chain from a goal → journal → lease → review → closure; axe clean on every page', async () => {
  const p = b.page;
  const url = (s: string) => stack.url + s;
  const visited: string[] = [];
  const axe = async (label: string) => {
    visited.push(label);
    await expectNoSeriousAxeViolations(p, label);
  };

  // --- intake ---------------------------------------------------------------------------------
  await loginInBrowser(p, stack.url, 'fallmanagement@kim.example');
  await axe('Fallliste');
  await p.goto(url('/personen/neu'));
  await axe('Neue Person');
  await p.getByLabel('Vorname').fill('Leyla');
  await p.getByLabel('Nachname').fill('Rundgang');
  await p.getByLabel('Leistungsart').selectOption({ label: 'SGB II (Jobcenter)' });
  await Promise.all([
    p.waitForURL(new RegExp(`/faelle/neu\\?personId=${UUID}$`)),
    p.getByRole('button', { name: 'Person anlegen' }).click(),
  ]);
  await axe('Neuer Fall');
  await p.getByLabel('Thema').selectOption({ label: 'Wohnen' });
  await Promise.all([p.waitForURL(new RegExp(`/faelle/${UUID}$`)), p.getByRole('button', { name: 'Fall anlegen' }).click()]);
  const caseId = p.url().split('/').pop()!;
  await axe('Fall');

  // --- assessment: an error first (summary has the focus, keyboard to the field), then saved -------
  await Promise.all([p.waitForURL(url(`/faelle/${caseId}/anamnese`)), p.getByRole('link', { name: 'Anamnese (Erstgespräch)' }).click()]);
  await axe('Anamnese');
  await p.getByLabel('Situation (Wohnen)').fill('Lebt mit zwei Kindern in der Notunterkunft.');
  await p.getByRole('button', { name: 'Anamnese speichern' }).click();
  await p.locator('#fehler').waitFor();
  await p.waitForFunction(() => document.activeElement?.id === 'fehler');
  expect(await p.locator('#f-need_housing-error').innerText()).toBe('Bedarf (Wohnen): bitte wählen');
  expect(await p.getByLabel('Situation (Wohnen)').inputValue()).toBe('Lebt mit zwei Kindern in der Notunterkunft.');
  expect(await stack.db.assessment.count()).toBe(0);
  await axe('Anamnese mit Fehler');
  await p.keyboard.press('Tab');
  await p.keyboard.press('Enter');
  expect(await p.evaluate(() => document.activeElement?.id)).toBe('f-need_housing');
  await p.getByLabel('Bedarf (Wohnen)').selectOption({ label: 'dringender Bedarf' });
  await p.getByLabel('Ressourcen (Wohnen, optional)').fill('Bruder hilft bei der Wohnungssuche.');
  await p.getByLabel('Situation (Sprache)').fill('Deutsch A2, Kurs B1 beginnt im Januar.');
  await p.getByLabel('Bedarf (Sprache)').selectOption({ label: 'Bedarf' });
  await Promise.all([
    p.waitForURL(url(`/faelle/${caseId}/anamnese?ok=anamnese`)),
    p.getByRole('button', { name: 'Anamnese speichern' }).click(),
  ]);
  expect(await p.locator('main').innerText()).toContain('Fassung 1 vom');
  await axe('Anamnese gespeichert');

  // --- help plan with two goals -----------------------------------------------------------------
  await Promise.all([
    p.waitForURL(url(`/faelle/${caseId}/hilfeplan`)),
    p.getByRole('navigation', { name: 'Fallakte' }).getByRole('link', { name: 'Hilfeplan' }).click(),
  ]);
  await axe('Hilfeplan (leer)');
  await Promise.all([p.waitForURL(url(`/faelle/${caseId}/hilfeplan/neu`)), p.getByRole('link', { name: 'Hilfeplan anlegen' }).click()]);
  await axe('Hilfeplan anlegen');
  await p.getByLabel('Lebensbereich (Ziel 1)').selectOption({ label: 'Wohnen' });
  await p.getByLabel('Formulierung (Ziel 1)').fill('Eigene Wohnung für die Familie finden');
  await p.getByLabel('Zieldatum (Ziel 1)').fill(day(90));
  await p.getByLabel('Lebensbereich (Ziel 2)').selectOption({ label: 'Sprache' });
  await p.getByLabel('Formulierung (Ziel 2)').fill('Sprachkurs B1 abschließen');
  await p.getByLabel('Zieldatum (Ziel 2)').fill(day(150));
  await p.getByLabel('Was (Maßnahme 1)').fill('Wohnberechtigungsschein beantragen');
  await p.getByLabel('Wer (Maßnahme 1)').selectOption({ label: 'die Person selbst' });
  await p.getByLabel('Fällig am (Maßnahme 1)').fill(day(14));
  await p.getByLabel('Überprüfung des Hilfeplans am').fill(day(60));
  await Promise.all([
    p.waitForURL(url(`/faelle/${caseId}/hilfeplan?ok=hilfeplan`)),
    p.getByRole('button', { name: 'Hilfeplan speichern' }).click(),
  ]);
  expect(await p.locator('main').innerText()).toContain('Hilfeplan, Fassung 1 (in Kraft)');
  await axe('Hilfeplan');

  // --- a move-out chain from the housing goal, shown on the goal ---------------------------------
  expect(await p.getByLabel('Kette für Ziel 1').inputValue()).toBe('move-out');
  await Promise.all([p.waitForURL(/\?ok=kette/), p.getByRole('button', { name: 'Kette aus Ziel 1 starten' }).click()]);
  const process = await stack.db.process.findFirstOrThrow({ where: { caseId } });
  expect(process).toMatchObject({ type: 'move-out', status: 'running' });
  const goal1 = p.locator('ol.goals > li').first();
  expect(await goal1.getByRole('link').first().getAttribute('href')).toBe(`/prozesse/${process.id}`);
  await axe('Hilfeplan mit Kette am Ziel');

  // --- journal entry linked to the housing goal ----------------------------------------------------
  await Promise.all([
    p.waitForURL(url(`/faelle/${caseId}/verlauf`)),
    p.getByRole('navigation', { name: 'Fallakte' }).getByRole('link', { name: 'Verlaufsdokumentation' }).click(),
  ]);
  await axe('Verlaufsdokumentation');
  await p.getByLabel('Art').selectOption({ label: 'Hausbesuch' });
  await p.getByLabel('Zu Ziel (optional)').selectOption({ index: 1 });
  await p.getByLabel('Text des Eintrags').fill('Hausbesuch in der Notunterkunft: Unterlagen für den WBS besprochen.');
  await Promise.all([
    p.waitForURL(url(`/faelle/${caseId}/verlauf?ok=eintrag`)),
    p.getByRole('button', { name: 'Eintrag speichern' }).click(),
  ]);
  expect(await p.locator('main').innerText()).toContain('Hausbesuch in der Notunterkunft');
  await axe('Verlaufsdokumentation mit Eintrag');

  // --- the lease, uploaded ------------------------------------------------------------------------
  await Promise.all([
    p.waitForURL(url(`/faelle/${caseId}/dokumente`)),
    p.getByRole('navigation', { name: 'Fallakte' }).getByRole('link', { name: 'Dokumente' }).click(),
  ]);
  await axe('Dokumente');
  await p.getByLabel('Datei').setInputFiles(leaseFile);
  await Promise.all([
    p.waitForURL(url(`/faelle/${caseId}/dokumente?ok=hochgeladen`)),
    p.getByRole('button', { name: 'Hochladen' }).click(),
  ]);
  expect(await p.getByRole('link', { name: 'Mietvertrag.pdf' }).count()).toBe(1);
  const doc = await stack.db.caseDocument.findFirstOrThrow({ where: { caseId } });
  expect(doc).toMatchObject({ fileName: 'Mietvertrag.pdf', mediaType: 'application/pdf', size: fs.statSync(leaseFile).size });
  await axe('Dokumente mit Mietvertrag');

  // --- review with ratings ------------------------------------------------------------------------
  await Promise.all([
    p.waitForURL(url(`/faelle/${caseId}/hilfeplan`)),
    p.getByRole('navigation', { name: 'Fallakte' }).getByRole('link', { name: 'Hilfeplan' }).click(),
  ]);
  await axe('Hilfeplan vor der Überprüfung');
  await p
    .getByRole('group', { name: /^Ziel 1 \(Wohnen\)/ })
    .getByLabel('teilweise erreicht')
    .check();
  await p.getByLabel('Anmerkung zu Ziel 1 (optional)').fill('Mietvertrag liegt vor, Einzug steht noch aus.');
  await p
    .getByRole('group', { name: /^Ziel 2 \(Sprache\)/ })
    .getByLabel('erreicht', { exact: true })
    .check();
  await Promise.all([
    p.waitForURL(url(`/faelle/${caseId}/hilfeplan?ok=ueberprueft`)),
    p.getByRole('button', { name: 'Überprüfung speichern' }).click(),
  ]);
  const goals = await stack.db.planGoal.findMany({ orderBy: { seq: 'asc' } });
  expect(goals.map((g) => g.rating)).toEqual(['partly', 'achieved']);
  expect(await p.locator('main').innerText()).toContain('Bewertung: teilweise erreicht');
  await axe('Hilfeplan überprüft');

  // --- closure with a coded reason, cancelling the running chain in the same step ------------------
  await Promise.all([p.waitForURL(url(`/faelle/${caseId}`)), p.getByRole('link', { name: /^Zurück zum Fall/ }).click()]);
  await axe('Fall vor dem Abschluss');
  await p.getByLabel('Neuer Status').selectOption({ label: 'abgeschlossen' });
  await p.getByLabel('Abschlussgrund (nur beim Abschließen)').selectOption({ label: 'eigene Wohnung bezogen' });
  await p.getByLabel('Beim Abschließen die laufende Kette abbrechen').check();
  await Promise.all([p.waitForURL(url(`/faelle/${caseId}?ok=status`)), p.getByRole('button', { name: 'Status speichern' }).click()]);
  const closed = await eventually(async () => {
    const [c, pr] = await Promise.all([
      stack.db.case.findUniqueOrThrow({ where: { id: caseId } }),
      stack.db.process.findUniqueOrThrow({ where: { id: process.id } }),
    ]);
    return c.status === 'closed' && pr.status === 'cancelled' ? { c, pr } : null;
  });
  expect(closed.c.status).toBe('closed');
  expect(await p.locator('main').innerText()).toContain('eigene Wohnung bezogen');
  await axe('Fall abgeschlossen');

  expect(visited).toHaveLength(19);
  expect(b.problems.filter((x) => !/status of 400 \(Bad Request\)/.test(x))).toEqual([]);
}, 240_000);
