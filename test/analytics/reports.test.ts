// Committee reports on known data: figures checked exactly, the archive (one report per definition and
// period, even when requested twice), CSV for German Excel and the PDF's text read back, access, and a
// planted single case (one minor, one placement in a study programme) that no report lets anyone recognise.
import { seedChain } from '../support/analytics-seed';
import { pdfPages, pdfText } from '../support/pdf-text';
import { startStack, type Stack } from '../support/stack';
import { startNewChainsOnV1 } from '../support/chain-versions';

// written for v1 of the shipped chains: new chains here start on v1 (v2: test/chains/chains-content.test.ts)
startNewChainsOnV1();

let stack: Stack;
let supervisor: string;
let admin: string;
let caseworker: string;
let member: string;
const references: string[] = [];
const H1 = { from: '2026-01-01', to: '2026-06-30' };

beforeAll(async () => {
  stack = await startStack({ worker: false, outbox: false });
  [supervisor, admin, caseworker, member] = await Promise.all(
    ['leitung@kim.example', 'admin@kim.example', 'fallmanagement@kim.example', 'soziale-foerderung@kim.example'].map((e) => stack.token(e)),
  );
  const cwId = (await stack.db.user.findUniqueOrThrow({ where: { email: 'fallmanagement@kim.example' } })).id;
  // six households move out: readiness 2 working days (January), then the move step of 1..6 working days (February)
  const sizes = [1, 2, 3, 4, 1, 2];
  for (let i = 0; i < 6; i++) {
    const s = await seedChain(stack.db, {
      type: 'move-out',
      caseworkerId: cwId,
      birthDate: '1990-05-01',
      householdSize: sizes[i],
      steps: [
        {
          key: 'readiness',
          title: 'Wohnfähigkeit einschätzen',
          department: '5-53',
          activeAt: '2026-01-05T09:00:00+01:00',
          days: 2,
          deadlineDays: 10,
        },
        { key: 'move', title: 'Umzug', department: '5-53', activeAt: '2026-02-02T09:00:00+01:00', days: i + 1 },
      ],
    });
    references.push(s.reference);
  }
  // the planted single case: a 15-year-old placed into a study programme
  const planted = await seedChain(stack.db, {
    type: 'education-work',
    caseworkerId: cwId,
    birthDate: '2010-08-01',
    outcome: 'study',
    steps: [
      {
        key: 'placement',
        title: 'Vermittlung: Ausbildung, Studium oder Arbeit',
        department: '5-53',
        activeAt: '2026-03-02T09:00:00+01:00',
        days: 3,
        deadlineDays: 20,
      },
    ],
  });
  references.push(planted.reference);

  // the inventory (issue 15): six landlords and two schools, seven contacts in the half year and one
  // before it; a Wohnführerschein with two sessions in the half year (six persons present at least
  // once, one only absent) and one session after it; the June snapshot keeps seven open flats
  const landlords = await Promise.all(
    [1, 2, 3, 4, 5, 6].map((i) =>
      stack.db.partner.create({ data: { kind: 'landlord', name: `Vermieter ${i}`, createdById: cwId, createdAt: new Date('2026-01-15') } }),
    ),
  );
  const schools = await Promise.all(
    [1, 2].map((i) =>
      stack.db.partner.create({ data: { kind: 'school', name: `Schule ${i}`, createdById: cwId, createdAt: new Date('2026-01-15') } }),
    ),
  );
  const contact = (partnerId: string, at: string) =>
    stack.db.partnerContact.create({ data: { partnerId, at: new Date(at), kind: 'phone', topic: 'Wohnungen', createdById: cwId } });
  for (const l of landlords) await contact(l.id, '2026-03-10T10:00:00Z');
  await contact(schools[0].id, '2026-06-30T20:00:00Z'); // 22:00 in Berlin: still in the half year
  await contact(schools[1].id, '2025-12-31T22:30:00Z'); // 23:30 in Berlin on New Year's Eve: before it
  const offer = await stack.db.groupOffer.create({ data: { kind: 'tenancy_training', title: 'Wohnführerschein', createdById: cwId } });
  const sessions = await Promise.all(
    ['2026-02-03T15:00:00Z', '2026-02-10T15:00:00Z', '2026-07-07T15:00:00Z'].map((at) =>
      stack.db.groupSession.create({ data: { groupOfferId: offer.id, at: new Date(at) } }),
    ),
  );
  const persons = await stack.db.person.findMany({ take: 7, select: { id: true } });
  for (const [i, pe] of persons.entries()) {
    const e = await stack.db.groupEnrolment.create({ data: { groupOfferId: offer.id, personId: pe.id, enrolledById: cwId } });
    const present = i < 6;
    await stack.db.groupAttendance.create({ data: { sessionId: sessions[i % 2].id, enrolmentId: e.id, present, recordedById: cwId } });
    await stack.db.groupAttendance.create({ data: { sessionId: sessions[2].id, enrolmentId: e.id, present: true, recordedById: cwId } });
  }
  // registered after the half year: not counted in it
  await stack.db.partner.create({ data: { kind: 'counselling', name: 'Beratung neu', createdById: cwId } });
  await stack.db.situationSnapshot.create({ data: { month: '2026-06', figures: { waitingTotal: 0, openTotal: 7 } } });
}, 120_000);
afterAll(() => stack?.stop());

async function produce(definition: string, period = H1) {
  const r = await stack.api('POST', '/api/reports', { token: supervisor, body: { definition, ...period } });
  expect(r.status).toBe(201);
  return r.body.id as string;
}
const figures = async (id: string) => (await stack.db.report.findUniqueOrThrow({ where: { id } })).figures as any[];
const fig = (list: any[], id: string) => list.find((f) => f.id === id);

// one Wohnführerschein with two sessions in the half year (the July one is after it), six persons present
const GROUP_OFFERS_H1 = [
  { label: 'Wohnführerschein', cells: ['< 5', '< 5', 6] },
  { label: 'Bewerbungstraining', cells: [0, 0, 0] },
  { label: 'Gruppenangebot', cells: [0, 0, 0] },
  { label: 'Summe', cells: ['< 5', '< 5', 6], total: true },
];
// six landlords with six contacts, two schools with one contact in the half year: the schools' cells are
// small, the landlords' hidden too (the totals would give them away); the counselling service came later
const PARTNERS_H1 = [
  { label: 'Private/r Vermieter/in', cells: ['< 5', '< 5'] },
  { label: 'Wohnungsgesellschaft', cells: [0, 0] },
  { label: 'Wohnungsgenossenschaft', cells: [0, 0] },
  { label: 'Schule', cells: ['< 5', '< 5'] },
  { label: 'Sprach- und Integrationskursträger', cells: [0, 0] },
  { label: 'Bildungsträger', cells: [0, 0] },
  { label: 'Beratungsstelle', cells: [0, 0] },
  { label: 'Amt / Behörde', cells: [0, 0] },
  { label: 'Summe', cells: [8, 7], total: true },
];

it('ASWDG report: every figure of the seeded half year, small cells as „< 5“, unrecorded ones „noch nicht erfasst“', async () => {
  const list = await figures(await produce('aswdg'));
  expect(list.map((f) => f.id)).toEqual([
    'cases_by_topic',
    'chains_by_type',
    'moves',
    'move_out_duration',
    'step_durations',
    'handoffs_by_department',
    'placements',
    'group_offers',
    'partners',
    'housing_situation',
  ]);
  // one education case beside six housing cases: the column totals would reveal it, so both are hidden
  expect(fig(list, 'cases_by_topic').rows).toEqual([
    { label: 'Wohnen', cells: ['< 5', 0, '< 5'] },
    { label: 'Bildung und Arbeit', cells: ['< 5', 0, '< 5'] },
    { label: 'Gesundheit', cells: [0, 0, 0] },
    { label: 'Summe', cells: [7, 0, 7], total: true },
  ]);
  expect(fig(list, 'chains_by_type').rows).toEqual([
    { label: 'Bildung und Arbeit', cells: ['< 5', 0, 0] },
    { label: 'Gesundheit', cells: [0, 0, 0] },
    { label: 'Auszug aus der Notunterkunft', cells: ['< 5', 0, 0] },
    { label: 'Summe', cells: [7, 0, 0], total: true },
  ]);
  expect(fig(list, 'moves').rows).toEqual([{ label: 'in eine Wohnung gezogen', cells: [6, 13] }]);
  // per chain: readiness 2 + move 1..6 → 3..8 working days
  expect(fig(list, 'move_out_duration').rows).toEqual([{ label: 'Auszugskette bis zum Umzug', cells: [6, 5.5, 7.5] }]);
  const steps = fig(list, 'step_durations').rows;
  expect(steps).toContainEqual({ label: 'Wohnfähigkeit einschätzen', cells: ['Soziale Stadtentwicklung – KIM (5-53)', 6, 2, 2, 100] });
  expect(steps).toContainEqual({ label: 'Umzug', cells: ['Soziale Stadtentwicklung – KIM (5-53)', 6, 3.5, 5.5, null] });
  expect(steps).toContainEqual({
    label: 'Vermittlung: Ausbildung, Studium oder Arbeit',
    cells: ['Soziale Stadtentwicklung – KIM (5-53)', '< 5', null, null, null],
  });
  expect(fig(list, 'placements').rows).toEqual([{ label: 'Vermittlungen', cells: [0, '< 5', 0, 0, '< 5'] }]);
  // one offer in two sessions: the counts 1 and 2 are hidden, and so are the totals that would reveal them
  expect(fig(list, 'group_offers').rows).toEqual(GROUP_OFFERS_H1);
  expect(fig(list, 'partners').rows).toEqual(PARTNERS_H1);
  expect(fig(list, 'housing_situation').rows).toEqual([
    { label: 'wartende Haushalte', cells: [0] },
    { label: 'freie Wohnungen', cells: [7] },
  ]);
  // a half year whose end month has no snapshot (and is over): not recorded
  const h2 = await figures(await produce('aswdg', { from: '2025-07-01', to: '2025-12-31' }));
  expect(fig(h2, 'housing_situation').rows[1]).toEqual({ label: 'freie Wohnungen', cells: ['noch nicht erfasst'] });
});

it('JHA report: minors and young adults separately', async () => {
  const list = await figures(await produce('jha', { from: '2026-01-01', to: '2026-06-30' }));
  const ages = fig(list, 'age_groups');
  expect(ages.columns).toEqual(['unter 18', '18 bis unter 27', '27 und älter', 'unbekannt', 'Summe']);
  expect(ages.rows.at(-1)).toEqual({ label: 'Summe', cells: ['< 5', 0, '< 5', 0, 7], total: true });
});

it('a planted single case cannot be recognised in any report (no cell 1–4, no line with one hidden cell next to a total, no reference)', async () => {
  for (const def of ['aswdg', 'jha', 'ki']) {
    const id = await produce(def);
    for (const f of await figures(id)) {
      for (const row of f.rows) {
        for (const v of row.cells)
          if (typeof v === 'number' && f.id !== 'move_out_duration' && f.id !== 'step_durations') expect(v === 0 || v >= 5).toBe(true);
      }
      const hasTotals = f.rows.some((r: any) => r.total) || f.columns.includes('Summe');
      if (hasTotals) {
        const grid: any[][] = f.rows.map((r: any) => r.cells);
        const lines = f.columns.includes('Summe') ? grid : [];
        const cols = f.rows.some((r: any) => r.total) ? grid[0].map((_: any, c: number) => grid.map((r) => r[c])) : [];
        for (const line of [...lines, ...cols]) expect(line.filter((v: any) => v === '< 5').length).not.toBe(1);
      }
    }
    const csv = await fetch(`${stack.url}/api/reports/${id}.csv`, { headers: { authorization: `Bearer ${supervisor}` } });
    const text = Buffer.from(await csv.arrayBuffer()).toString('utf8');
    const pdf = await fetch(`${stack.url}/api/reports/${id}.pdf`, { headers: { authorization: `Bearer ${supervisor}` } });
    const pdfBody = pdfText(Buffer.from(await pdf.arrayBuffer()));
    for (const out of [text, pdfBody]) {
      for (const ref of references) expect(out).not.toContain(ref);
      expect(out).not.toContain('Analyse');
    }
  }
});

it('requesting the same report twice archives it once (same id)', async () => {
  const a = await produce('ki', { from: '2026-01-01', to: '2026-03-31' });
  const b = await produce('ki', { from: '2026-01-01', to: '2026-03-31' });
  expect(b).toBe(a);
  expect(await stack.db.report.count({ where: { definitionId: 'ki', from: '2026-01-01', to: '2026-03-31' } })).toBe(1);
  const list = await stack.api('GET', '/api/reports', { token: admin });
  expect(list.status).toBe(200);
  expect(list.body.items.filter((r: any) => r.id === a)).toHaveLength(1);
});

it('CSV for German Excel and a PDF whose text reads back (title page, contents, tables, chart text)', async () => {
  const id = await produce('aswdg');
  const csv = await fetch(`${stack.url}/api/reports/${id}.csv`, { headers: { authorization: `Bearer ${supervisor}` } });
  expect(csv.status).toBe(200);
  const bytes = Buffer.from(await csv.arrayBuffer());
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.subarray(3).toString('utf8');
  expect(text).toContain('Auszugskette bis zum Umzug;6;5,5;7,5\r\n');
  expect(text).toContain('Vermittlungen;0;< 5;0;0;< 5\r\n');
  const pdf = await fetch(`${stack.url}/api/reports/${id}.pdf`, { headers: { authorization: `Bearer ${supervisor}` } });
  expect(pdf.status).toBe(200);
  expect(pdf.headers.get('content-type')).toBe('application/pdf');
  const buf = Buffer.from(await pdf.arrayBuffer());
  expect(buf.subarray(0, 5).toString()).toBe('%PDF-');
  const pages = pdfPages(buf);
  const page = (i: number) => pages[i].replace(/\s+/g, ' ');
  expect(page(0)).toContain('Ausschuss für Soziales');
  expect(page(0)).toContain('01.01.2026 bis 30.06.2026');
  expect(page(1)).toContain('Inhalt');
  expect(page(1)).toContain('4. Dauer der Auszugskette');
  const all = pdfText(buf);
  expect(all).toContain('Textalternative zum Diagramm');
  expect(all).toContain('noch nicht erfasst');
  expect(all).toContain('< 5');
});

it('access and input: supervisors request, admins read, caseworkers and departments nothing; bad input → 400 naming the field', async () => {
  const body = { definition: 'aswdg', ...H1 };
  expect((await stack.api('POST', '/api/reports', { token: admin, body })).status).toBe(403);
  expect((await stack.api('POST', '/api/reports', { token: caseworker, body })).status).toBe(403);
  expect((await stack.api('GET', '/api/reports', { token: caseworker })).status).toBe(403);
  expect((await stack.api('GET', '/api/reports', { token: member })).status).toBe(403);
  const id = await produce('aswdg');
  expect((await fetch(`${stack.url}/api/reports/${id}.pdf`, { headers: { authorization: `Bearer ${caseworker}` } })).status).toBe(403);
  expect((await fetch(`${stack.url}/api/reports/${id}.csv`, { headers: { authorization: `Bearer ${admin}` } })).status).toBe(200);
  expect((await stack.api('GET', '/api/reports/00000000-0000-5000-a000-000000000000.csv', { token: admin })).status).toBe(404);
  const bad = await stack.api('POST', '/api/reports', { token: supervisor, body: { definition: 'gibtsnicht', ...H1 } });
  expect(bad.status).toBe(400);
  expect(bad.body.error.details[0].field).toBe('definition');
  const future = await stack.api('POST', '/api/reports', {
    token: supervisor,
    body: { definition: 'aswdg', from: '2099-01-01', to: '2099-06-30' },
  });
  expect(future.status).toBe(400);
  expect(future.body.error.details[0].field).toBe('to');
});

it('/berichte: the supervisor produces a report with the form (a double submit keeps one), sees the archive; a caseworker gets 403', async () => {
  const { FormClient } = await import('../support/form-client');
  const sv = new FormClient(stack.url);
  await sv.login('leitung@kim.example');
  const bad = await sv.submit('/berichte', '/berichte', { definition: 'jha', from: '2025-13-01', to: '2025-12-31' });
  expect(bad.status).toBe(400);
  expect(bad.text).toContain('aria-invalid="true"');
  expect(bad.text).toContain('id="f-from-error"');
  expect(bad.text).toContain('value="2025-13-01"'); // the input is kept
  for (let i = 0; i < 2; i++) {
    const ok = await sv.submit('/berichte', '/berichte', { definition: 'jha', from: '2025-01-01', to: '2025-12-31' });
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('Bericht erstellt und archiviert.');
  }
  expect(await stack.db.report.count({ where: { definitionId: 'jha', from: '2025-01-01' } })).toBe(1);
  const list = await sv.get('/berichte');
  expect(list.text).toContain('01.01.2025 – 31.12.2025');
  const cw = new FormClient(stack.url);
  await cw.login('fallmanagement@kim.example');
  expect((await cw.get('/berichte')).status).toBe(403);
});
