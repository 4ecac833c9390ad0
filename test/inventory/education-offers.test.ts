// Education offers, group offers, working meetings and the small open points of issue 15 on the real
// stack: courses with seats matched to education/work chains waiting at the language-course step,
// the last seat under concurrent proposals (one wins, nothing recorded for the loser), group offers
// with attendance as evidence on the readiness step, meetings whose to-dos reach the owner's start page
// and whose minutes refuse a person's name, barrier-free need in the housing matching, a viewing
// declined through the normal step route returning the flat, the situation's education figures,
// and the Art. 15 export and retention of the new personal records.
import { createRetentionActivities } from '../../activities/retention';
import { chainDriver } from '../support/chain-helpers';
import { FormClient, hidden } from '../support/form-client';
import { pdfText } from '../support/pdf-text';
import { startStack, type Stack } from '../support/stack';
import { startNewChainsOnV1 } from '../support/chain-versions';

// written for v1 of the shipped chains: new chains here start on v1 (v2: test/chains/chains-content.test.ts)
startNewChainsOnV1();

let stack: Stack;
let cw: string;
let sv: string;
let dm: string;
let d: ReturnType<typeof chainDriver>;

beforeAll(async () => {
  stack = await startStack();
  cw = await stack.token('fallmanagement@kim.example');
  sv = await stack.token('leitung@kim.example');
  dm = await stack.token('soziale-foerderung@kim.example');
  d = chainDriver(stack, cw);
});
afterAll(() => stack?.stop());

async function partner(kind: string, name: string) {
  const r = await stack.api('POST', '/api/partners', { token: cw, body: { kind, name } });
  expect(r.status).toBe(201);
  return r.body.id as string;
}

/** An education/work chain walked to the language-course step. */
async function learner(lastName: string) {
  const c = await d.newCase({ lastName });
  const start = await stack.api('POST', `/api/cases/${c.id}/chains`, { token: cw, body: { type: 'education-work' } });
  expect(start.status).toBe(201);
  const id = start.body.id as string;
  await d.complete(id, 'education-history', 'done');
  await d.at(id, 'language-course');
  return { processId: id, caseId: c.id, reference: c.reference };
}

const COURSE = {
  kind: 'integration_course',
  level: 'B1',
  title: 'Integrationskurs B1 Vormittag',
  start: '2027-02-01',
  end: '2027-07-31',
  place: 'VHS Bergisch Gladbach',
};

it('courses: field errors, rights, matching at the language-course step, the last seat goes to one of two concurrent proposals', async () => {
  const providerId = await partner('course_provider', 'VHS Bergisch Gladbach');
  const bad = await stack.api('POST', '/api/courses', {
    token: cw,
    body: { ...COURSE, partnerId: providerId, kind: 'yoga', level: 'D1', seats: 2, reserved: 3, end: '2027-01-01' },
  });
  expect(bad.status).toBe(400);
  expect(bad.body.error.details.map((x: { field: string }) => x.field).sort()).toEqual(['kind', 'level']);
  const bad2 = await stack.api('POST', '/api/courses', {
    token: cw,
    body: { ...COURSE, partnerId: providerId, seats: 2, reserved: 3, end: '2027-01-01' },
  });
  expect(bad2.body.error.details.map((x: { field: string }) => x.field).sort()).toEqual(['end', 'reserved']);
  expect(bad2.body.error.details.find((x: { field: string }) => x.field === 'end').message).toContain('Ende: liegt vor dem Beginn');
  expect((await stack.api('POST', '/api/courses', { token: dm, body: { ...COURSE, partnerId: providerId, seats: 3 } })).status).toBe(403);

  // 3 seats, 1 reserved, 1 taken below → the last free one is contested
  const created = await stack.api('POST', '/api/courses', { token: sv, body: { ...COURSE, partnerId: providerId, seats: 3, reserved: 1 } });
  expect(created.status).toBe(201);
  const courseId = created.body.id as string;
  const [a, b, c] = [await learner('Eins'), await learner('Zwei'), await learner('Drei')];
  expect(
    (
      await stack.api('PUT', `/api/processes/${c.processId}/education-need`, {
        token: cw,
        body: { kind: 'integration_course', level: 'A1' },
      })
    ).status,
  ).toBe(200);
  const matches = await stack.api('GET', `/api/courses/${courseId}/matches`, { token: cw });
  expect(matches.status).toBe(200);
  const mine = (matches.body.items as Array<{ processId: string; fits: boolean; reasons: string[] }>).filter((m) =>
    [a, b, c].some((l) => l.processId === m.processId),
  );
  expect(mine.map((m) => [m.processId, m.fits])).toEqual([
    [a.processId, true],
    [b.processId, true],
    [c.processId, false],
  ]);
  expect(mine[2].reasons).toContain('Niveau B1 statt A1');
  expect(mine[0].reasons).toContain('2 freie Plätze');

  const first = await stack.api('POST', `/api/courses/${courseId}/propose`, { token: cw, body: { processId: a.processId } });
  expect(first.status).toBe(200);
  expect(first.body).toMatchObject({ taken: 1, free: 1 });
  const done = await d.process(a.processId);
  const step = done.steps.find((s: { key: string }) => s.key === 'language-course');
  expect(step.outcome).toBe('enrolled');
  expect(await stack.db.processStep.findFirstOrThrow({ where: { processId: a.processId, key: 'language-course' } })).toMatchObject({
    data: { provider: `Kurs ${created.body.reference}`, start: '2027-02-01', end: '2027-07-31' },
  });
  // the same chain again: 409
  expect((await stack.api('POST', `/api/courses/${courseId}/propose`, { token: cw, body: { processId: a.processId } })).status).toBe(409);

  // two clicks at once for the last free seat: one wins, the other 409 and nothing recorded for it
  const second = await learner('Vier');
  const [r1, r2] = await Promise.all([
    stack.api('POST', `/api/courses/${courseId}/propose`, { token: cw, body: { processId: b.processId } }),
    stack.api('POST', `/api/courses/${courseId}/propose`, { token: cw, body: { processId: second.processId } }),
  ]);
  expect([r1.status, r2.status].sort()).toEqual([200, 409]);
  const loser = r1.status === 200 ? second : b;
  const winner = r1.status === 200 ? b : second;
  expect(await stack.db.course.findUniqueOrThrow({ where: { id: courseId } })).toMatchObject({ taken: 2, reserved: 1, seats: 3 });
  expect(await stack.db.seatProposal.count({ where: { courseId } })).toBe(2);
  expect(await stack.db.seatProposal.count({ where: { processId: loser.processId } })).toBe(0);
  await d.at(winner.processId, 'counselling');
  const lost = await d.process(loser.processId);
  expect(lost.currentStep.key).toBe('language-course');
  expect(lost.history.some((h: { event: string; step: string }) => h.event === 'step.completed' && h.step === 'language-course')).toBe(
    false,
  );
  expect((await stack.api('GET', `/api/courses/${courseId}`, { token: cw })).body.free).toBe(0);
  // department members neither see nor propose
  expect((await stack.api('GET', '/api/courses', { token: dm })).status).toBe(403);
  expect((await stack.api('POST', `/api/courses/${courseId}/propose`, { token: sv, body: { processId: loser.processId } })).status).toBe(
    403,
  );
});

it('group offers: sessions, enrolment, attendance; a completed participation is evidence on the readiness step', async () => {
  const c = await d.newCase({ firstName: 'Wohn', lastName: 'Schein' });
  const person = await stack.db.case.findUniqueOrThrow({ where: { id: c.id }, select: { personId: true } });
  const chain = await stack.api('POST', `/api/cases/${c.id}/chains`, { token: cw, body: { type: 'move-out' } });
  await d.at(chain.body.id, 'readiness');

  const g = await stack.api('POST', '/api/group-offers', {
    token: cw,
    body: { kind: 'tenancy_training', title: 'Wohnführerschein Herbst', place: 'Stadthaus' },
  });
  expect(g.status).toBe(201);
  expect(
    (await stack.api('POST', '/api/group-offers', { token: cw, body: { kind: 'yoga', title: '' } })).body.error.details
      .map((x: { field: string }) => x.field)
      .sort(),
  ).toEqual(['kind', 'title']);
  expect((await stack.api('POST', '/api/group-offers', { token: dm, body: { kind: 'other', title: 'X' } })).status).toBe(403);
  const s1 = await stack.api('POST', `/api/group-offers/${g.body.id}/sessions`, { token: cw, body: { at: '2026-11-10T15:00:00Z' } });
  const s2 = await stack.api('POST', `/api/group-offers/${g.body.id}/sessions`, { token: cw, body: { at: '2026-11-17T15:00:00Z' } });
  expect([s1.status, s2.status]).toEqual([201, 201]);
  const e = await stack.api('POST', `/api/group-offers/${g.body.id}/enrolments`, {
    token: cw,
    body: { personId: person.personId, note: 'braucht Dolmetscher' },
  });
  expect(e.status).toBe(201);
  expect(
    (await stack.api('POST', `/api/group-offers/${g.body.id}/enrolments`, { token: cw, body: { personId: person.personId } })).status,
  ).toBe(409);
  // not completable before a session was attended
  expect((await stack.api('POST', `/api/group-offers/${g.body.id}/enrolments/${e.body.id}/complete`, { token: cw })).status).toBe(409);

  const page = new FormClient(stack.url);
  await page.login('fallmanagement@kim.example');
  let html = (await page.get(`/prozesse/${chain.body.id}`)).text;
  expect(html).toContain('Nachweise für die Wohnfähigkeit');
  expect(html).toContain('Keine abgeschlossene Teilnahme');

  const att = await stack.api('POST', `/api/group-offers/${g.body.id}/sessions/${s1.body.id}/attendance`, {
    token: cw,
    body: { items: [{ enrolmentId: e.body.id, present: true }] },
  });
  expect(att.status).toBe(200);
  await stack.api('POST', `/api/group-offers/${g.body.id}/sessions/${s2.body.id}/attendance`, {
    token: cw,
    body: { items: [{ enrolmentId: e.body.id, present: true }] },
  });
  const badAtt = await stack.api('POST', `/api/group-offers/${g.body.id}/sessions/${s1.body.id}/attendance`, {
    token: cw,
    body: { items: [{ enrolmentId: crypto.randomUUID(), present: true }] },
  });
  expect(badAtt.status).toBe(400);
  expect(badAtt.body.error.details[0].field).toBe('items.0.enrolmentId');
  const complete = await stack.api('POST', `/api/group-offers/${g.body.id}/enrolments/${e.body.id}/complete`, { token: cw });
  expect(complete.status).toBe(200);
  const detail = await stack.api('GET', `/api/group-offers/${g.body.id}`, { token: sv });
  expect(detail.body.enrolments[0].attendance).toHaveLength(2);

  html = (await page.get(`/prozesse/${chain.body.id}`)).text;
  expect(html).toContain('Wohnführerschein „Wohnführerschein Herbst“: Teilnahme abgeschlossen');
  expect(html).toContain('2 von 2 Terminen besucht');

  // Art. 15: enrolment with note and attendance in the person's export (JSON and PDF)
  const pdf = await fetch(`${stack.url}/api/persons/${person.personId}/export.pdf`, { headers: { authorization: `Bearer ${cw}` } });
  expect(pdf.status).toBe(200);
  const text = pdfText(Buffer.from(await pdf.arrayBuffer()));
  expect(text).toContain('Wohnführerschein „Wohnführerschein Herbst“');
  expect(text).toContain('Vermerk: braucht Dolmetscher');
  const x = await stack.api('GET', `/api/persons/${person.personId}/export`, { token: cw });
  expect(x.status).toBe(200);
  expect(x.body.education.groupEnrolments).toEqual([
    expect.objectContaining({
      offer: 'Wohnführerschein Herbst',
      note: 'braucht Dolmetscher',
      attendance: [expect.objectContaining({ present: true }), expect.objectContaining({ present: true })],
    }),
  ]);
});

it('working meetings: case references only (names refused), to-dos on the owner start page', async () => {
  const c = await d.newCase({ firstName: 'Mirela', lastName: 'Protokollova' });
  const series = await stack.api('POST', '/api/meeting-series', {
    token: cw,
    body: { kind: 'exchange_5_50_5_53', title: 'Austausch 5-50/5-53' },
  });
  expect(series.status).toBe(201);
  expect((await stack.api('POST', '/api/meeting-series', { token: dm, body: { kind: 'other', title: 'X' } })).status).toBe(403);
  const owner = await stack.db.user.findUniqueOrThrow({ where: { email: 'fallmanagement@kim.example' } });
  const body = {
    at: '2026-11-20T09:00:00Z',
    participants: ['Fallmanagement 5-53', 'Soziale Förderung 5-50'],
    agenda: ['Belegung Notunterkünfte', `Fall ${c.reference}`],
    minutes: `Zu ${c.reference}: Kostenübernahme klären.`,
    todos: [{ text: 'Kostenübernahme mit 5-50 klären', ownerId: owner.id, due: '2026-12-01', caseReference: c.reference }],
  };
  const before = await stack.db.meeting.count();
  const named = await stack.api('POST', `/api/meeting-series/${series.body.id}/meetings`, {
    token: cw,
    body: { ...body, minutes: `Zu ${c.reference}: Frau Protokollova braucht Hilfe.` },
  });
  expect(named.status).toBe(400);
  expect(named.body.error.details[0]).toMatchObject({ field: 'minutes' });
  expect(named.body.error.details[0].message).toMatch(/beim Namen/);
  const unknown = await stack.api('POST', `/api/meeting-series/${series.body.id}/meetings`, {
    token: cw,
    body: { ...body, minutes: 'Zu KIM-1999-9999 nichts Neues.' },
  });
  expect(unknown.status).toBe(400);
  expect(unknown.body.error.details[0].message).toBe('Aktenzeichen KIM-1999-9999 unbekannt');
  expect(await stack.db.meeting.count()).toBe(before);

  const ok = await stack.api('POST', `/api/meeting-series/${series.body.id}/meetings`, { token: cw, body });
  expect(ok.status).toBe(201);
  const detail = await stack.api('GET', `/api/meeting-series/${series.body.id}`, { token: sv });
  expect(detail.body.meetings[0]).toMatchObject({
    caseReferences: [c.reference],
    todos: [expect.objectContaining({ caseReference: c.reference, doneAt: null })],
  });

  const page = new FormClient(stack.url);
  await page.login('fallmanagement@kim.example');
  expect((await page.get('/')).text).toContain('Aufgabe aus Besprechung: Kostenübernahme mit 5-50 klären');
  const todoId = detail.body.meetings[0].todos[0].id;
  expect((await stack.api('POST', `/api/meeting-todos/${todoId}/done`, { token: cw })).status).toBe(200);
  expect((await page.get('/')).text).not.toContain('Aufgabe aus Besprechung: Kostenübernahme');
});

it('barrier-free need in the housing matching; a viewing declined through the step route returns the flat', async () => {
  const landlordId = await partner('housing_company', 'Wohnbau Barrierefrei GmbH');
  const c = await d.newCase({ householdSize: 2, benefitType: 'none' });
  const personId = (await stack.db.case.findUniqueOrThrow({ where: { id: c.id } })).personId;
  const chain = await stack.api('POST', `/api/cases/${c.id}/chains`, { token: cw, body: { type: 'move-out' } });
  const id = chain.body.id as string;
  await d.complete(id, 'readiness', 'ready');
  await d.departmentActs(id, 'residence-check', 'complete', { outcome: 'clear' });
  await d.departmentActs(id, 'wbs', 'complete', { outcome: 'issued' });
  await d.complete(id, 'search-profile', 'done', { rooms: 2, rentCap: 900 });
  await d.at(id, 'offer');
  const flat = {
    district: 'Refrath',
    address: 'Dolmanstraße 2',
    rooms: 2,
    livingSpace: 55,
    coldRent: 450,
    serviceCharges: 120,
    availableFrom: '2027-01-01',
    wbsRequired: false,
  };
  const plain = await stack.api('POST', '/api/offers/housing', { token: cw, body: { partnerId: landlordId, ...flat } });
  const step = await stack.api('POST', '/api/offers/housing', {
    token: cw,
    body: { partnerId: landlordId, ...flat, address: 'Dolmanstraße 4', barrierFree: true },
  });
  const fitOf = async () =>
    Object.fromEntries(
      (
        (await stack.api('GET', `/api/processes/${id}/matches`, { token: cw })).body.items as Array<{
          offerId: string;
          fits: boolean;
          reasons: string[];
        }>
      ).map((m) => [m.offerId, m]),
    );
  expect((await fitOf())[plain.body.id].fits).toBe(true);
  const need = await stack.api('PUT', `/api/persons/${personId}/housing-need`, { token: cw, body: { barrierFree: true } });
  expect(need.status).toBe(200);
  expect(
    (await stack.api('PUT', `/api/persons/${personId}/housing-need`, { token: cw, body: { barrierFree: 'ja' } })).body.error.details[0]
      .field,
  ).toBe('barrierFree');
  const fit = await fitOf();
  expect(fit[plain.body.id]).toMatchObject({
    fits: false,
    reasons: expect.arrayContaining(['barrierefreie Wohnung nötig, diese ist nicht barrierefrei']),
  });
  expect(fit[step.body.id]).toMatchObject({ fits: true, reasons: expect.arrayContaining(['barrierefrei wie benötigt']) });

  // proposed, then the viewing declined through the chain's normal step route: the flat is open again
  expect((await stack.api('POST', `/api/offers/housing/${step.body.id}/propose`, { token: cw, body: { processId: id } })).status).toBe(200);
  await d.complete(id, 'viewing', 'declined', { date: '2026-12-02' });
  await d.at(id, 'offer');
  expect(await stack.db.housingOffer.findUniqueOrThrow({ where: { id: step.body.id } })).toMatchObject({ status: 'open', processId: null });
  expect(await stack.client.workflow.getHandle(`housing-offer-${step.body.id}`).query<string>('offerStatus')).toBe('open');

  const x = await stack.api('GET', `/api/persons/${personId}/export`, { token: cw });
  expect(x.body.education.housingNeed).toMatchObject({ barrierFree: true });
});

it('situation analysis: education needs by kind and level against free seats (JSON, CSV, page)', async () => {
  const providerId = await partner('course_provider', 'Sprachschule Refrath');
  await stack.api('POST', '/api/courses', {
    token: cw,
    body: { ...COURSE, kind: 'literacy', level: 'A1', title: 'Alpha A1', partnerId: providerId, seats: 1 },
  });
  const l = await learner('Alpha');
  const l2 = await learner('Beta');
  for (const p of [l, l2])
    await stack.api('PUT', `/api/processes/${p.processId}/education-need`, { token: cw, body: { kind: 'literacy', level: 'A1' } });
  const s = await stack.api('GET', '/api/situation', { token: sv });
  expect(s.status).toBe(200);
  expect(s.body.education.rows).toContainEqual({ kind: 'literacy', level: 'A1', needed: 2, freeSeats: 1, gap: 1 });
  expect(s.body.education.gaps).toContain('Alphabetisierungskurs A1: 2 Personen warten, 1 freier Platz – es fehlen 1.');
  const csv = await fetch(`${stack.url}/api/situation.csv`, { headers: { authorization: `Bearer ${sv}` } });
  expect(await csv.text()).toContain('Alphabetisierungskurs;A1;2;1;1');
  const page = new FormClient(stack.url);
  await page.login('leitung@kim.example');
  const html = (await page.get('/bestand/lage')).text;
  expect(html).toContain('Bildungsbedarf und freie Plätze nach Art und Niveau');
  expect(html).toContain('Alphabetisierungskurs A1: 2 Personen warten');

  // Art. 15: the seat proposal and the education need of the person
  const providerId2 = await partner('course_provider', 'Sprachschule Export');
  const k = await stack.api('POST', '/api/courses', {
    token: cw,
    body: { ...COURSE, kind: 'literacy', level: 'A1', title: 'Alpha Export', partnerId: providerId2, seats: 5 },
  });
  expect((await stack.api('POST', `/api/courses/${k.body.id}/propose`, { token: cw, body: { processId: l.processId } })).status).toBe(200);
  const personId = (await stack.db.case.findUniqueOrThrow({ where: { id: l.caseId } })).personId;
  const x = await stack.api('GET', `/api/persons/${personId}/export`, { token: cw });
  expect(x.body.education.seatProposals).toEqual([
    expect.objectContaining({ course: k.body.reference, step: 'language-course', kindLabel: 'Alphabetisierungskurs' }),
  ]);
  expect(x.body.education.educationNeeds).toEqual([expect.objectContaining({ kind: 'literacy', level: 'A1' })]);
});

it('retention: the enrolment note, the housing need and case to-dos go with the anonymised case and person', async () => {
  const c = await d.newCase({ firstName: 'Alt', lastName: 'Fall' });
  const personId = (await stack.db.case.findUniqueOrThrow({ where: { id: c.id } })).personId;
  const g = await stack.api('POST', '/api/group-offers', {
    token: cw,
    body: { kind: 'application_training', title: 'Bewerbungstraining' },
  });
  await stack.api('POST', `/api/group-offers/${g.body.id}/enrolments`, {
    token: cw,
    body: { personId, note: 'Frühschicht, nur nachmittags' },
  });
  await stack.api('PUT', `/api/persons/${personId}/housing-need`, { token: cw, body: { barrierFree: true } });
  const owner = await stack.db.user.findUniqueOrThrow({ where: { email: 'fallmanagement@kim.example' } });
  const series = await stack.api('POST', '/api/meeting-series', {
    token: cw,
    body: { kind: 'ki_working_meeting', title: 'Arbeitstreffen KI' },
  });
  expect(
    (
      await stack.api('POST', `/api/meeting-series/${series.body.id}/meetings`, {
        token: cw,
        body: {
          at: '2026-11-21T09:00:00Z',
          todos: [{ text: 'Unterlagen zur Wohnung anfordern', ownerId: owner.id, due: '2026-12-01', caseReference: c.reference }],
        },
      })
    ).status,
  ).toBe(201);
  const closed = await stack.api('POST', `/api/cases/${c.id}/status`, {
    token: cw,
    body: { status: 'closed', reason: 'erledigt', closureCode: 'other' },
  });
  expect(closed.status).toBe(200);
  await stack.db.case.update({ where: { id: c.id }, data: { closedAt: new Date(Date.now() - 3_600_000) } });
  const r = await createRetentionActivities({ db: stack.db }).anonymizeCases({ caseIds: [c.id], cutoff: new Date().toISOString() });
  expect(r).toEqual({ cases: 1, persons: 1 });
  expect(await stack.db.groupEnrolment.findFirstOrThrow({ where: { personId } })).toMatchObject({ note: null });
  expect(await stack.db.housingNeed.count({ where: { personId } })).toBe(0);
  expect(await stack.db.meetingTodo.findFirstOrThrow({ where: { caseId: c.id } })).toMatchObject({ text: 'anonymisiert' });
});

it('the matching page: proposing a flat through the form, a double submit proposes once, a conflict is shown on the page', async () => {
  const landlordId = await partner('landlord', 'Frau Vermieterin');
  const waiting = async () => {
    const c = await d.newCase({ householdSize: 1, benefitType: 'none' });
    const chain = await stack.api('POST', `/api/cases/${c.id}/chains`, { token: cw, body: { type: 'move-out' } });
    const id = chain.body.id as string;
    await d.complete(id, 'readiness', 'ready');
    await d.departmentActs(id, 'residence-check', 'complete', { outcome: 'clear' });
    await d.departmentActs(id, 'wbs', 'complete', { outcome: 'issued' });
    await d.complete(id, 'search-profile', 'done', { rooms: 1, rentCap: 900 });
    await d.at(id, 'offer');
    return { id, reference: c.reference };
  };
  const [h1, h2] = [await waiting(), await waiting()];
  const offer = await stack.api('POST', '/api/offers/housing', {
    token: cw,
    body: {
      partnerId: landlordId,
      district: 'Gronau',
      address: 'Hauptstraße 1',
      rooms: 1,
      livingSpace: 40,
      coldRent: 350,
      serviceCharges: 90,
      availableFrom: '2027-01-01',
      wbsRequired: false,
    },
  });
  const page = new FormClient(stack.url);
  await page.login('fallmanagement@kim.example');
  const path = `/bestand/wohnungen/${offer.body.id}`;
  const html = (await page.get(path)).text;
  expect(html).toContain(h1.reference);
  expect(html).toContain(`dem Haushalt ${h1.reference} vorschlagen`);
  const csrf = hidden(html, '_csrf');
  const form = { _csrf: csrf, _key: 'doppelklick-0001', processId: h1.id };
  const [a, b] = [await page.post(`${path}/vorschlagen`, form), await page.post(`${path}/vorschlagen`, form)];
  expect([a.status, b.status]).toEqual([303, 303]);
  expect(b.location).toBe(`${path}?ok=vorgeschlagen`);
  expect(await stack.db.auditEvent.count({ where: { action: 'offer.proposed', entityId: offer.body.id } })).toBe(1);
  await d.at(h1.id, 'viewing');
  // another household now: 409 with the message on the page, nothing changed
  const conflict = await page.post(`${path}/vorschlagen`, { _csrf: csrf, _key: 'doppelklick-0002', processId: h2.id });
  expect(conflict.status).toBe(409);
  expect(conflict.text).toContain('Vorschlag nicht möglich');
  expect(conflict.text).toContain('ist nicht frei');
  expect((await d.process(h2.id)).currentStep.key).toBe('offer');
  const dept = new FormClient(stack.url);
  await dept.login('soziale-foerderung@kim.example');
  expect((await dept.get(path)).status).toBe(403);
});
