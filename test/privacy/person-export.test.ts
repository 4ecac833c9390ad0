// Art. 15 export of a person on the real stack: a person with two cases, consents, a follow-up, a
// move-out chain whose residence check was handed to the Ausländerbehörde (accepted through the
// e-mail link), and the mails about it. The JSON export holds each of them; the PDF parses and prints
// them (umlauts, Cyrillic, Arabic); hostile names do not break it; access follows the README matrix;
// both exports are in the audit log.
import { hashPassword } from '../../core/passwords';
import { findUnicodeFont } from '../../api/services/pdf-document';
import { renderPersonExportPdf } from '../../api/services/person-export-pdf';
import { chainDriver } from '../support/chain-helpers';
import { pdfPages, pdfText } from '../support/pdf-text';
import { DEMO_PASSWORD, eventually, startStack, type Stack } from '../support/stack';
import { startNewChainsOnV1 } from '../support/chain-versions';

// written for v1 of the shipped chains: new chains here start on v1 (v2: test/chains/chains-content.test.ts)
startNewChainsOnV1();

let stack: Stack;
let caseworker: string, supervisor: string, admin: string, member: string, otherTeam: string;
let personId: string;
let caseA: { id: string; reference: string }, caseB: { id: string; reference: string };
let processId: string, taskId: string;

const PERSON = {
  firstName: 'Jürgen',
  lastName: 'Weiß-Größe',
  birthDate: '1985-03-14',
  householdSize: 4,
  shelterId: 'NU-Bensberg-12',
  benefitType: 'sgb2',
};

async function download(path: string, token?: string) {
  const res = await fetch(stack.url + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  await (await stack.contract()).checkResponse('GET', path, res);
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

beforeAll(async () => {
  stack = await startStack();
  await stack.db.user.create({
    data: {
      email: 'fm-wohnungsamt@kim.example',
      name: 'Andere Fallmanagerin',
      role: 'caseworker',
      departmentId: 'wohnungsamt',
      passwordHash: await hashPassword(DEMO_PASSWORD),
    },
  });
  // one login after the other: argon2 is CPU-heavy, the machine's two cores are shared
  caseworker = await stack.token('fallmanagement@kim.example');
  supervisor = await stack.token('leitung@kim.example');
  admin = await stack.token('admin@kim.example');
  member = await stack.token('soziale-foerderung@kim.example');
  otherTeam = await stack.token('fm-wohnungsamt@kim.example');
  const api = stack.api.bind(stack);
  personId = (await api('POST', '/api/persons', { token: caseworker, body: PERSON })).body.id;
  caseA = (await api('POST', '/api/cases', { token: caseworker, body: { personId, topic: 'housing' } })).body;
  caseB = (await api('POST', '/api/cases', { token: caseworker, body: { personId, topic: 'education_work' } })).body;
  expect(
    (
      await api('POST', `/api/cases/${caseA.id}/consents`, {
        token: caseworker,
        body: { departments: ['5-50', 'auslaenderbehoerde'], purpose: 'Wohnungssuche und Auszug', givenAt: '2026-11-02' },
      })
    ).status,
  ).toBe(201);
  const dueAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
  expect(
    (await api('POST', `/api/cases/${caseB.id}/follow-ups`, { token: caseworker, body: { dueAt, note: 'Sprachkurs klären' } })).status,
  ).toBe(201);

  const d = chainDriver(stack, caseworker);
  const start = await api('POST', `/api/cases/${caseA.id}/chains`, { token: caseworker, body: { type: 'move-out' } });
  expect(start.status).toBe(201);
  processId = start.body.id;
  await d.complete(processId, 'readiness', 'ready', { assessment: 'Kann selbstständig wohnen' });
  taskId = await d.departmentActs(processId, 'residence-check', 'accept');
  await eventually(() => stack.db.taskEvent.findFirst({ where: { taskId, event: 'accepted' } }));
  await eventually(() =>
    stack.db.mail.findFirst({ where: { caseId: caseA.id, status: 'sent', to: { has: 'auslaenderbehoerde@kim.example' } } }),
  );
}, 120_000);
afterAll(() => stack?.stop());

it('finds the Unicode font the PDF embeds (DejaVu Sans from Debian)', () => {
  if (!findUnicodeFont()) throw new Error('DejaVu Sans fehlt: `npm run setup:fonts` (apt-get install fonts-dejavu-core) ausführen.');
  expect(findUnicodeFont()![0]).toMatch(/DejaVuSans\.ttf$/);
});

it('JSON: the person, both cases with consents, follow-ups, the chain with step data, the handoff with its events, the mails and the accesses', async () => {
  const before = new Date();
  const r = await download(`/api/persons/${personId}/export`, caseworker);
  expect(r.status).toBe(200);
  expect(r.headers.get('content-type')).toMatch(/^application\/json/);
  expect(r.headers.get('content-disposition')).toMatch(
    new RegExp(`^attachment; filename="auskunft-${personId}-\\d{4}-\\d{2}-\\d{2}\\.json"$`),
  );
  expect(r.headers.get('content-disposition')).not.toMatch(/Weiß|Jürgen/);
  const x = JSON.parse(r.bytes.toString('utf8'));

  expect(x).toMatchObject({ format: 'kim-flow/art15-export', version: 1, omittedCases: 0 });
  expect(new Date(x.generatedAt).getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
  expect(x.explanation).toMatchObject({
    title: 'Auskunft nach Art. 15 DSGVO',
    storagePeriod: 'gemäß Aufbewahrungsfrist',
    purpose: expect.stringContaining('Integrationsmanagement'),
  });
  expect(x.explanation.recipients).toContain('Ausländerbehörde');
  expect(x.person).toEqual({
    id: personId,
    firstName: 'Jürgen',
    lastName: 'Weiß-Größe',
    birthDate: '1985-03-14',
    householdSize: 4,
    shelterId: 'NU-Bensberg-12',
    benefitType: 'sgb2',
    benefitTypeLabel: 'SGB II (Jobcenter)',
    householdId: null,
    createdAt: expect.any(String),
  });
  expect(x.household).toBeNull();
  expect(x.cases.map((c: { reference: string; topic: string }) => [c.reference, c.topic])).toEqual([
    [caseA.reference, 'housing'],
    [caseB.reference, 'education_work'],
  ]);

  const [a, b] = x.cases;
  expect(a.consents).toEqual([
    expect.objectContaining({
      purpose: 'Wohnungssuche und Auszug',
      givenAt: '2026-11-02T00:00:00.000Z',
      withdrawnAt: null,
      departments: [
        { id: '5-50', name: 'Soziale Förderung (5-50)' },
        { id: 'auslaenderbehoerde', name: 'Ausländerbehörde' },
      ],
    }),
  ]);
  expect(b.followUps).toEqual([expect.objectContaining({ note: 'Sprachkurs klären', remindedAt: null, cancelledAt: null })]);
  expect(b.processes).toEqual([]);

  expect(a.processes).toHaveLength(1);
  expect(a.processes[0]).toMatchObject({ id: processId, type: 'move-out', title: 'Auszug aus der Notunterkunft', status: 'running' });
  const steps = a.processes[0].steps;
  expect(steps.find((s: { key: string }) => s.key === 'readiness')).toMatchObject({
    status: 'done',
    statusLabel: 'erledigt',
    outcome: 'ready',
    outcomeLabel: 'wohnfähig',
    data: { assessment: 'Kann selbstständig wohnen' },
    dataLabels: { assessment: 'Einschätzung' },
  });
  expect(steps.find((s: { key: string }) => s.key === 'residence-check')).toMatchObject({
    status: 'handoff',
    department: 'auslaenderbehoerde',
    departmentName: 'Ausländerbehörde',
  });

  expect(a.handoffs).toEqual([
    expect.objectContaining({
      id: taskId,
      step: 'residence-check',
      department: 'auslaenderbehoerde',
      departmentName: 'Ausländerbehörde',
      status: 'accepted',
      acceptedAt: expect.any(String),
    }),
  ]);
  expect(a.handoffs[0].events.map((e: { event: string }) => e.event)).toEqual(['notified', 'accepted']);
  expect(a.handoffs[0].events.find((e: { event: string }) => e.event === 'accepted').by).toBe('Stelle (E-Mail-Link)');
  expect(x.recipients).toEqual([expect.objectContaining({ department: 'auslaenderbehoerde', name: 'Ausländerbehörde', handoffs: 1 })]);

  const mail = a.mails.find((m: { to: string[] }) => m.to.includes('auslaenderbehoerde@kim.example'));
  expect(mail).toMatchObject({
    subject: expect.stringContaining(caseA.reference),
    status: 'sent',
    sentAt: expect.any(String),
    createdAt: expect.any(String),
  });
  expect(b.mails).toEqual([]);

  // the access summary: the export itself is the newest entry; the chain's reads are in it
  expect(x.accessLog.events[0]).toMatchObject({
    action: 'person.export',
    role: 'caseworker',
    roleLabel: 'Fallmanagement',
    department: 'Soziale Stadtentwicklung – KIM (5-53)',
    label: 'Auskunft (Art. 15) erstellt',
  });
  const actions = x.accessLog.byAction.map((e: { action: string }) => e.action);
  expect(actions).toEqual(
    expect.arrayContaining([
      'person.create',
      'case.create',
      'case.consent.add',
      'case.followup.set',
      'process.start',
      'process.read',
      'task.accepted',
      'person.export',
    ]),
  );
  expect(x.accessLog.total).toBe(x.accessLog.byAction.reduce((n: number, e: { count: number }) => n + e.count, 0));
  expect(JSON.stringify(x.accessLog)).not.toContain('fallmanagement@kim.example'); // staff by role and department only

  const logged = await stack.db.auditEvent.findMany({ where: { action: 'person.export', entityId: personId } });
  expect(logged).toEqual([
    expect.objectContaining({
      entityType: 'Person',
      details: { format: 'json', cases: 2, omittedCases: 0 },
      ip: expect.stringMatching(/127\.0\.0\.1/),
    }),
  ]);
});

it('PDF: starts with %PDF, parses, numbers its pages and prints the person, the cases, the handoff and the accesses', async () => {
  const r = await download(`/api/persons/${personId}/export.pdf`, supervisor);
  expect(r.status).toBe(200);
  expect(r.headers.get('content-type')).toBe('application/pdf');
  expect(r.headers.get('content-disposition')).toMatch(
    new RegExp(`^attachment; filename="auskunft-${personId}-\\d{4}-\\d{2}-\\d{2}\\.pdf"$`),
  );
  expect(r.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const pages = pdfPages(r.bytes);
  expect(pages.length).toBeGreaterThanOrEqual(1);
  pages.forEach((p, i) => expect(p).toContain(`Seite ${i + 1} von ${pages.length}`));
  const text = pdfText(r.bytes);
  for (const s of [
    'Auskunft nach Art. 15 DSGVO',
    'Zweck der Verarbeitung',
    'Empfänger',
    'Speicherdauer: gemäß Aufbewahrungsfrist',
    'Vorname: Jürgen',
    'Nachname: Weiß-Größe',
    'Geburtsdatum: 14.03.1985',
    'Unterkunft: NU-Bensberg-12',
    'Leistungsart: SGB II (Jobcenter)',
    `Fall ${caseA.reference} – Wohnen`,
    `Fall ${caseB.reference} – Bildung und Arbeit`,
    'Wohnungssuche und Auszug',
    'Sprachkurs klären',
    'Auszug aus der Notunterkunft',
    'Wohnfähigkeit einschätzen – erledigt am',
    'Ergebnis: wohnfähig',
    'Einschätzung: Kann selbstständig wohnen',
    'Stelle benachrichtigt (System)',
    'an Ausländerbehörde – angenommen',
    '5. Zugriffe auf Ihre Daten',
    'Auskunft (Art. 15) erstellt',
  ])
    expect(text).toContain(s);
  expect(text).not.toContain('\uFFFD'); // every glyph maps back to text
  expect(
    await stack.db.auditEvent.count({
      where: { action: 'person.export', entityId: personId, details: { equals: { format: 'pdf', cases: 2, omittedCases: 0 } } },
    }),
  ).toBe(1);
});

it('hostile names (markup, SQL, right-to-left, Cyrillic, emoji) neither crash the PDF nor change the JSON', async () => {
  const hostile = { firstName: '<script>alert("x")</script>', lastName: '"; DROP TABLE "Person"; -- محمد علي Иван Петров 😀 \u202Eabc' };
  const p = await stack.api('POST', '/api/persons', { token: caseworker, body: hostile });
  expect(p.status).toBe(201);
  expect((await stack.api('POST', '/api/cases', { token: caseworker, body: { personId: p.body.id, topic: 'health' } })).status).toBe(201);
  const persons = await stack.db.person.count();

  const json = await stack.api('GET', `/api/persons/${p.body.id}/export`, { token: caseworker });
  expect(json.status).toBe(200);
  expect(json.body.person).toMatchObject(hostile);

  const pdf = await download(`/api/persons/${p.body.id}/export.pdf`, caseworker);
  expect(pdf.status).toBe(200);
  const text = pdfText(pdf.bytes);
  expect(text).toContain('Vorname: <script>alert("x")</script>');
  expect(text).toContain('"; DROP TABLE "Person"; --');
  expect(text).toContain('Иван Петров');
  for (const ch of 'محمدعلي') expect(text).toContain(ch); // shaped and laid out right-to-left by the font engine
  expect(await stack.db.person.count()).toBe(persons);
});

it('without a Unicode font the PDF falls back to Helvetica: WinAnsi text stays, the rest becomes „?“', async () => {
  const x = (await stack.api('GET', `/api/persons/${personId}/export`, { token: caseworker })).body;
  x.person.firstName = 'Jürgen Иван';
  const pdf = await renderPersonExportPdf(x, { fonts: null });
  const text = pdfText(pdf);
  expect(text).toContain('Vorname: Jürgen ????');
  expect(text).toContain('Nachname: Weiß-Größe');
  expect(text).toContain('als „?“ dargestellt');
});

it('access: another team 404, department member and admin 403, anonymous 401; nothing is exported or logged for them', async () => {
  const before = await stack.db.auditEvent.count({ where: { action: 'person.export' } });
  for (const path of [`/api/persons/${personId}/export`, `/api/persons/${personId}/export.pdf`]) {
    expect((await stack.api('GET', path, { token: otherTeam })).status).toBe(404);
    expect((await stack.api('GET', path, { token: member })).status).toBe(403);
    expect((await stack.api('GET', path, { token: admin })).status).toBe(403);
    const anon = await stack.api('GET', path);
    expect(anon.status).toBe(401);
    expect(anon.body.error.code).toBe('unauthorized');
  }
  expect((await stack.api('GET', '/api/persons/00000000-0000-4000-8000-000000000000/export', { token: supervisor })).status).toBe(404);
  expect((await stack.api('GET', '/api/persons/kein-uuid/export.pdf', { token: supervisor })).status).toBe(404);
  expect(await stack.db.auditEvent.count({ where: { action: 'person.export' } })).toBe(before);
});

it('a caseworker exports only the cases they may read and is told how many are left out; the supervisor gets all', async () => {
  // a third case of the person, opened here and handed over to the other team (which may not open one
  // for a person outside its scope itself)
  const c = await stack.api('POST', '/api/cases', { token: caseworker, body: { personId, topic: 'health' } });
  expect(c.status).toBe(201);
  const other = await stack.db.user.findUniqueOrThrow({ where: { email: 'fm-wohnungsamt@kim.example' } });
  await stack.db.case.update({ where: { id: c.body.id }, data: { caseworkerId: other.id, departmentId: other.departmentId } });
  const own = await stack.api('GET', `/api/persons/${personId}/export`, { token: caseworker });
  expect(own.body.cases.map((k: { reference: string }) => k.reference)).toEqual([caseA.reference, caseB.reference]);
  expect(own.body.omittedCases).toBe(1);
  expect(own.body.explanation.note).toContain('1 weiterer Fall');
  const theirs = await stack.api('GET', `/api/persons/${personId}/export`, { token: otherTeam });
  expect(theirs.status).toBe(200);
  expect(theirs.body.cases.map((k: { reference: string }) => k.reference)).toEqual([c.body.reference]);
  expect(JSON.stringify(theirs.body)).not.toContain('Wohnungssuche und Auszug');
  const all = await stack.api('GET', `/api/persons/${personId}/export`, { token: supervisor });
  expect(all.body.cases).toHaveLength(3);
  expect(all.body.omittedCases).toBe(0);
});

it('the person’s status links are in the export (made, valid until, revoked) and their views in the access log', async () => {
  const made = await stack.api('POST', `/api/persons/${personId}/status-link`, { token: caseworker });
  expect(made.status).toBe(201);
  expect((await fetch(made.body.url)).status).toBe(200);
  expect((await stack.api('DELETE', `/api/persons/${personId}/status-link`, { token: caseworker })).status).toBe(200);
  const x = (await stack.api('GET', `/api/persons/${personId}/export`, { token: caseworker })).body;
  expect(x.statusLinks).toEqual([{ createdAt: expect.any(String), expiresAt: made.body.expiresAt, revokedAt: expect.any(String) }]);
  const actions = x.accessLog.byAction.map((a: { action: string; label: string }) => `${a.action}=${a.label}`);
  expect(actions).toEqual(
    expect.arrayContaining([
      'status-link.create=Statuslink erstellt',
      'status-page.view=Statusseite angesehen',
      'status-link.revoke=Statuslink widerrufen',
    ]),
  );
});

it('the case file of the cycle is in the export: assessment, plan with ratings, journal with earlier text, documents (issue 13)', async () => {
  const api = stack.api.bind(stack);
  const p = (await api('POST', '/api/persons', { token: caseworker, body: { firstName: 'Nadia', lastName: 'Zyklus' } })).body.id;
  const c = (await api('POST', '/api/cases', { token: caseworker, body: { personId: p, topic: 'housing' } })).body;
  const post = async (path: string, body: unknown) => {
    const r = await api('POST', `/api/cases/${c.id}/${path}`, { token: caseworker, body });
    expect(r.status).toBeLessThan(300);
    return r.body;
  };
  await post('assessments', { areas: [{ area: 'housing', situation: 'Notunterkunft seit März', need: 'urgent' }] });
  const plan = await post('plans', {
    goals: [{ area: 'housing', text: 'Eigene Wohnung finden', targetDate: '2099-06-30' }],
    actions: [{ text: 'WBS beantragen', owner: 'person', dueDate: '2099-05-01' }],
    reviewDate: '2099-06-01',
  });
  const goal = (await api('GET', `/api/cases/${c.id}/plans/${plan.id}`, { token: caseworker })).body.goals[0];
  await post(`plans/${plan.id}/review`, { ratings: [{ goalId: goal.id, rating: 'partly', note: 'Zwei Besichtigungen' }] });
  const entry = await post('journal', { kind: 'phone', text: 'Telefonat mit dem Vermieter' });
  expect(
    (await api('PUT', `/api/cases/${c.id}/journal/${entry.id}`, { token: caseworker, body: { text: 'Telefonat mit der Vermieterin' } }))
      .status,
  ).toBe(200);
  const form = new FormData();
  form.set('file', new Blob([Buffer.from('%PDF-1.4 lease')]), 'Mietvertrag.pdf');
  expect(
    (
      await fetch(`${stack.url}/api/cases/${c.id}/documents`, {
        method: 'POST',
        headers: { authorization: `Bearer ${caseworker}` },
        body: form,
      })
    ).status,
  ).toBe(201);

  const json = JSON.parse((await download(`/api/persons/${p}/export`, caseworker)).bytes.toString('utf8'));
  const x = json.cases[0];
  expect(x.assessments[0].areas[0]).toMatchObject({
    areaLabel: 'Wohnen',
    situation: 'Notunterkunft seit März',
    needLabel: 'dringender Bedarf',
  });
  expect(x.plans[0].goals[0]).toMatchObject({
    text: 'Eigene Wohnung finden',
    ratingLabel: 'teilweise erreicht',
    ratingNote: 'Zwei Besichtigungen',
  });
  expect(x.plans[0].actions[0]).toMatchObject({ text: 'WBS beantragen', owner: 'person' });
  expect(x.journal[0]).toMatchObject({ kindLabel: 'Telefonat', text: 'Telefonat mit der Vermieterin' });
  expect(x.journal[0].earlierVersions).toEqual([expect.objectContaining({ text: 'Telefonat mit dem Vermieter' })]);
  expect(x.documents).toEqual([expect.objectContaining({ fileName: 'Mietvertrag.pdf', mediaType: 'application/pdf' })]);

  const text = pdfText((await download(`/api/persons/${p}/export.pdf`, supervisor)).bytes);
  for (const s of [
    'Anamnese',
    'Wohnen (dringender Bedarf): Notunterkunft seit März',
    'Ziel (Wohnen, bis 30.06.2099): Eigene Wohnung finden – teilweise erreicht',
    'Telefonat: Telefonat mit der Vermieterin',
    'frühere Fassung',
    'Mietvertrag.pdf (application/pdf',
  ])
    expect(text).toContain(s);
});

it('the caseworker’s messages to departments are in the export (JSON and PDF) (issue 14)', async () => {
  const m = await stack.api('POST', `/api/processes/${processId}/handoff-messages`, {
    token: caseworker,
    body: { step: 'wbs', text: 'Bitte Einkommensnachweis beachten' },
  });
  expect(m.status).toBe(201);
  const x = (await stack.api('GET', `/api/persons/${personId}/export`, { token: caseworker })).body;
  const messages = x.cases.flatMap((c: { handoffMessages: unknown[] }) => c.handoffMessages);
  expect(messages).toEqual([{ step: 'wbs', taskId: null, text: 'Bitte Einkommensnachweis beachten', createdAt: expect.any(String) }]);
  const text = pdfText((await download(`/api/persons/${personId}/export.pdf`, caseworker)).bytes);
  expect(text).toContain('Nachrichten an Stellen');
  expect(text).toContain('Bitte Einkommensnachweis beachten');
});
