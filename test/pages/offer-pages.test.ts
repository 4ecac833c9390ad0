// The German pages of courses, group offers and working meetings (issue 15) on the real stack:
// each form's success, a field error at the field with the input kept and nothing written, and a
// double submit of the same form (same `_key`) writing one record. A seat proposal from the course
// page completes the chain's step; two clicks for the last seat: one wins, the other page shows the
// 409 in German. A person's name in the minutes is refused at the minutes field.
import { chainDriver } from '../support/chain-helpers';
import { startNewChainsOnV1 } from '../support/chain-versions';
import { FormClient, hidden } from '../support/form-client';
import { startStack, type Stack } from '../support/stack';

// the seat proposal completes education/work v1's language-course step
startNewChainsOnV1();

let stack: Stack;
let cw: string;
let page: FormClient;
let d: ReturnType<typeof chainDriver>;

beforeAll(async () => {
  stack = await startStack();
  cw = await stack.token('fallmanagement@kim.example');
  d = chainDriver(stack, cw);
  page = new FormClient(stack.url);
  expect((await page.login('fallmanagement@kim.example')).status).toBe(303);
}, 120_000);
afterAll(() => stack?.stop());

/** the hidden fields (_csrf, _key) of the form posting to `action` on the page at `path` */
async function formOf(path: string, action: string) {
  const r = await page.get(path);
  expect(r.status).toBe(200);
  const at = r.text.indexOf(`action="${action}"`);
  expect(at).toBeGreaterThan(-1);
  const form = r.text.slice(at, r.text.indexOf('</form>', at));
  return { _csrf: hidden(form, '_csrf'), _key: hidden(form, '_key') };
}

async function learner(lastName: string) {
  const c = await d.newCase({ lastName });
  const start = await stack.api('POST', `/api/cases/${c.id}/chains`, { token: cw, body: { type: 'education-work' } });
  expect(start.status).toBe(201);
  await d.complete(start.body.id, 'education-history', 'done');
  await d.at(start.body.id, 'language-course');
  return { processId: start.body.id as string, reference: c.reference as string, caseId: c.id as string };
}

const COURSE = {
  kind: 'integration_course',
  level: 'B1',
  title: 'Integrationskurs B1 Abend',
  start: '2027-03-01',
  end: '2027-08-31',
  seats: '2',
  reserved: '1',
  place: 'VHS Bensberg',
};

it('courses: new form (field errors, nothing written, double submit → one course), edit, matching, seat proposal and the 409', async () => {
  const partner = await stack.api('POST', '/api/partners', { token: cw, body: { kind: 'course_provider', name: 'VHS Bensberg' } });
  const partnerId = partner.body.id as string;
  const nav = await page.get('/bestand');
  expect(nav.text).toContain('<a href="/bestand">Bestand</a>');
  expect(nav.text).toContain('href="/bestand/kurse"');

  // field errors: at the fields, input kept, nothing written
  let form = await formOf('/bestand/kurse/neu', '/bestand/kurse/neu');
  const bad = await page.post('/bestand/kurse/neu', { ...form, ...COURSE, partnerId, seats: 'zwei', end: '2027-01-01' });
  expect(bad.status).toBe(400);
  expect(bad.text).toContain('class="error-summary"');
  expect(bad.text).toMatch(/<p class="error" id="f-seats-error">Plätze: Zahl erwartet<\/p>/);
  const badEnd = await page.post('/bestand/kurse/neu', { ...form, ...COURSE, partnerId, end: '2027-01-01' });
  expect(badEnd.status).toBe(400);
  expect(badEnd.text).toMatch(/<p class="error" id="f-end-error">Ende: liegt vor dem Beginn<\/p>/);
  expect(bad.text).toContain('value="Integrationskurs B1 Abend"');
  expect(bad.text).toContain(`name="_key" value="${form._key}"`);
  expect(await stack.db.course.count()).toBe(0);

  // the corrected form sent twice (double click): one course
  const body = { ...form, ...COURSE, partnerId };
  const [r1, r2] = await Promise.all([page.post('/bestand/kurse/neu', body), page.post('/bestand/kurse/neu', body)]);
  expect([r1.status, r2.status]).toEqual([303, 303]);
  expect(r1.location).toBe(r2.location);
  expect(await stack.db.course.count()).toBe(1);
  const course = await stack.db.course.findFirstOrThrow();
  expect(r1.location).toBe(`/bestand/kurse/${course.id}?ok=angelegt`);

  const list = await page.get('/bestand/kurse');
  expect(list.text).toContain(course.reference);
  expect(list.text).toContain('VHS Bensberg');
  expect(list.text).toContain('01.03.2027');

  // a chain waiting at the language-course step: matched with German reasons, a seat proposed
  const a = await learner('Kursa');
  let detail = await page.get(`/bestand/kurse/${course.id}`);
  expect(detail.status).toBe(200);
  expect(detail.text).toContain(a.reference);
  expect(detail.text).toContain('wartet im passenden Schritt');
  expect(detail.text).toContain('1 freier Platz');
  const propose = await formOf(`/bestand/kurse/${course.id}`, `/bestand/kurse/${course.id}/vorschlagen`);
  const [p1, p2] = await Promise.all([
    page.post(`/bestand/kurse/${course.id}/vorschlagen`, { ...propose, processId: a.processId }),
    page.post(`/bestand/kurse/${course.id}/vorschlagen`, { ...propose, processId: a.processId }),
  ]);
  // the same form twice: both end on the notice, one proposal
  expect([p1.status, p2.status]).toEqual([303, 303]);
  expect(p1.location).toBe(`/bestand/kurse/${course.id}?ok=vorgeschlagen`);
  expect(await stack.db.seatProposal.count({ where: { courseId: course.id } })).toBe(1);
  await d.at(a.processId, 'counselling');
  detail = await page.get(p1.location!);
  expect(detail.text).toContain('Platz vorgeschlagen');
  expect(detail.text).toContain('frei 0');

  // edit: seats below the taken + reserved → at the field, nothing changed; then more seats
  form = await formOf(`/bestand/kurse/${course.id}/bearbeiten`, `/bestand/kurse/${course.id}/bearbeiten`);
  const tooFew = await page.post(`/bestand/kurse/${course.id}/bearbeiten`, { ...form, ...COURSE, partnerId, seats: '1', reserved: '1' });
  expect(tooFew.status).toBe(400);
  expect(tooFew.text).toMatch(/id="f-seats-error">Plätze: 1 ist schon vergeben/);
  expect(await stack.db.course.findUniqueOrThrow({ where: { id: course.id } })).toMatchObject({ seats: 2, reserved: 1, taken: 1 });
  const edited = await page.post(`/bestand/kurse/${course.id}/bearbeiten`, {
    ...form,
    ...COURSE,
    partnerId,
    seats: '3',
    title: 'Integrationskurs B1 Abend (neu)',
  });
  expect(edited.status).toBe(303);
  expect(await stack.db.course.findUniqueOrThrow({ where: { id: course.id } })).toMatchObject({
    seats: 3,
    taken: 1,
    title: 'Integrationskurs B1 Abend (neu)',
  });

  // two chains, one free seat, two clicks at once: one proposal, the other sees the 409 in German
  const [b, c] = [await learner('Kursb'), await learner('Kursc')];
  const f1 = await formOf(`/bestand/kurse/${course.id}`, `/bestand/kurse/${course.id}/vorschlagen`);
  const f2 = await formOf(`/bestand/kurse/${course.id}`, `/bestand/kurse/${course.id}/vorschlagen`);
  const [q1, q2] = await Promise.all([
    page.post(`/bestand/kurse/${course.id}/vorschlagen`, { ...f1, processId: b.processId }),
    page.post(`/bestand/kurse/${course.id}/vorschlagen`, { ...f2, processId: c.processId }),
  ]);
  expect([q1.status, q2.status].sort()).toEqual([303, 409]);
  const lost = q1.status === 409 ? q1 : q2;
  expect(lost.text).toContain('Vorschlag nicht möglich');
  expect(lost.text).toContain(`Im Kurs ${course.reference} ist kein Platz mehr frei.`);
  expect(await stack.db.course.findUniqueOrThrow({ where: { id: course.id } })).toMatchObject({ taken: 2 });
  expect(await stack.db.seatProposal.count({ where: { courseId: course.id } })).toBe(2);

  // the supervisor reads the course page without the proposal buttons
  const sv = new FormClient(stack.url);
  await sv.login('leitung@kim.example');
  const svPage = await sv.get(`/bestand/kurse/${course.id}`);
  expect(svPage.status).toBe(200);
  expect(svPage.text).not.toContain('/vorschlagen"');
});

it('group offers: new offer, session, enrolment by case reference, attendance, completion — errors at the field, double submit once', async () => {
  let form = await formOf('/bestand/gruppen/neu', '/bestand/gruppen/neu');
  const bad = await page.post('/bestand/gruppen/neu', { ...form, kind: 'tenancy_training', title: '', place: 'Stadthaus' });
  expect(bad.status).toBe(400);
  expect(bad.text).toMatch(/id="f-title-error">Titel/);
  expect(bad.text).toContain('value="Stadthaus"');
  expect(await stack.db.groupOffer.count()).toBe(0);
  const body = { ...form, kind: 'tenancy_training', title: 'Wohnführerschein Frühjahr', place: 'Stadthaus' };
  const [g1, g2] = await Promise.all([page.post('/bestand/gruppen/neu', body), page.post('/bestand/gruppen/neu', body)]);
  expect([g1.status, g2.status]).toEqual([303, 303]);
  expect(await stack.db.groupOffer.count()).toBe(1);
  const g = await stack.db.groupOffer.findFirstOrThrow();
  const path = `/bestand/gruppen/${g.id}`;

  // session: a bad date at the field, then twice the same form → one session
  form = await formOf(path, `${path}/termine`);
  const badAt = await page.post(`${path}/termine`, { ...form, at: '31.02.2027' });
  expect(badAt.status).toBe(400);
  expect(badAt.text).toMatch(/id="f-at-error">Termin: Datum und Uhrzeit angeben/);
  expect(badAt.text).toContain('value="31.02.2027"');
  expect(await stack.db.groupSession.count()).toBe(0);
  const sBody = { ...form, at: '2027-04-13T17:00' };
  const [s1, s2] = await Promise.all([page.post(`${path}/termine`, sBody), page.post(`${path}/termine`, sBody)]);
  expect([s1.status, s2.status]).toEqual([303, 303]);
  expect(await stack.db.groupSession.count()).toBe(1);
  const session = await stack.db.groupSession.findFirstOrThrow();
  expect(session.at.toISOString()).toBe('2027-04-13T15:00:00.000Z');

  // enrolment by case reference: unknown → at the field; a case of mine twice → one enrolment
  const kase = await d.newCase({ firstName: 'Gruppen', lastName: 'Teilnahme' });
  form = await formOf(path, `${path}/anmeldungen`);
  const unknown = await page.post(`${path}/anmeldungen`, { ...form, caseReference: 'KIM-1999-9999', note: '' });
  expect(unknown.status).toBe(400);
  expect(unknown.text).toMatch(/id="f-caseReference-error">Aktenzeichen unbekannt oder nicht in Ihrer Zuständigkeit/);
  expect(unknown.text).toContain('value="KIM-1999-9999"');
  expect(await stack.db.groupEnrolment.count()).toBe(0);
  const eBody = { ...form, caseReference: kase.reference, note: 'braucht Kinderbetreuung' };
  const [e1, e2] = await Promise.all([page.post(`${path}/anmeldungen`, eBody), page.post(`${path}/anmeldungen`, eBody)]);
  expect([e1.status, e2.status]).toEqual([303, 303]);
  expect(await stack.db.groupEnrolment.count()).toBe(1);
  const enrolment = await stack.db.groupEnrolment.findFirstOrThrow();
  // a second form for the same person: the 409 at the field
  const again = await page.post(`${path}/anmeldungen`, { ...(await formOf(path, `${path}/anmeldungen`)), caseReference: kase.reference });
  expect(again.status).toBe(409);
  expect(again.text).toContain('Die Person ist schon angemeldet.');

  let html = (await page.get(path)).text;
  expect(html).toContain(kase.reference);
  expect(html).not.toContain('Gruppen Teilnahme');
  // the page named the case: the read stands in the case's audit log
  expect(await stack.db.auditEvent.count({ where: { caseId: kase.id, action: 'group-offer.case-read' } })).toBeGreaterThan(0);

  // completion before attendance: the 409 in German, nothing written
  const early = await page.post(
    `${path}/anmeldungen/${enrolment.id}/abschluss`,
    await formOf(path, `${path}/anmeldungen/${enrolment.id}/abschluss`),
  );
  expect(early.status).toBe(409);
  expect(early.text).toContain('Ohne einen besuchten Termin');
  // attendance, then completion
  form = await formOf(path, `${path}/termine/${session.id}/anwesenheit`);
  const att = await page.post(`${path}/termine/${session.id}/anwesenheit`, { ...form, enrolment: enrolment.id, present: enrolment.id });
  expect(att.status).toBe(303);
  expect(await stack.db.groupAttendance.findFirstOrThrow()).toMatchObject({ enrolmentId: enrolment.id, present: true });
  const done = await page.post(
    `${path}/anmeldungen/${enrolment.id}/abschluss`,
    await formOf(path, `${path}/anmeldungen/${enrolment.id}/abschluss`),
  );
  expect(done.status).toBe(303);
  expect((await stack.db.groupEnrolment.findUniqueOrThrow({ where: { id: enrolment.id } })).completedAt).not.toBeNull();
  html = (await page.get(path)).text;
  expect(html).toContain('1 von 1');
  expect(html).toContain('abgeschlossen am');
});

it('working meetings: series, meeting with minutes and to-do; a name in the minutes refused at the field, nothing written; double submit once', async () => {
  let form = await formOf('/bestand/treffen/neu', '/bestand/treffen/neu');
  const body = { ...form, kind: 'ki_working_meeting', title: 'Arbeitstreffen Wohnen' };
  const [r1, r2] = await Promise.all([page.post('/bestand/treffen/neu', body), page.post('/bestand/treffen/neu', body)]);
  expect([r1.status, r2.status]).toEqual([303, 303]);
  expect(await stack.db.meetingSeries.count()).toBe(1);
  const series = await stack.db.meetingSeries.findFirstOrThrow();
  const path = `/bestand/treffen/${series.id}/neu`;

  const kase = await d.newCase({ firstName: 'Protokoll', lastName: 'Namensprobe' });
  const me = await stack.db.user.findUniqueOrThrow({ where: { email: 'fallmanagement@kim.example' } });
  form = await formOf(path, path);
  const meeting = {
    at: '2027-05-04T10:00',
    participants: 'Fallmanagement\nWohnungsamt',
    agenda: 'Wohnungsmarkt\nFälle mit Handlungsbedarf',
    todo0Text: 'Vermieter anrufen',
    todo0Owner: me.id,
    todo0Due: '2027-05-11',
    todo0Case: kase.reference,
  };
  const named = await page.post(path, { ...form, ...meeting, minutes: `Frau Namensprobe sucht eine Wohnung (${kase.reference}).` });
  expect(named.status).toBe(400);
  expect(named.text).toMatch(/id="f-minutes-error">Protokoll: nennt eine Person beim Namen/);
  expect(named.text).toContain('Frau Namensprobe sucht eine Wohnung');
  expect(named.text).toContain('value="Vermieter anrufen"');
  expect(await stack.db.meeting.count()).toBe(0);
  expect(await stack.db.meetingTodo.count()).toBe(0);

  // a to-do without an owner: at that to-do's owner field
  const noOwner = await page.post(path, { ...form, ...meeting, todo0Owner: '', minutes: 'ok' });
  expect(noOwner.status).toBe(400);
  expect(noOwner.text).toMatch(/id="f-todo0Owner-error">/);

  const good = { ...form, ...meeting, minutes: `Der Fall ${kase.reference} braucht eine Wohnung.` };
  const [m1, m2] = await Promise.all([page.post(path, good), page.post(path, good)]);
  expect([m1.status, m2.status]).toEqual([303, 303]);
  expect(await stack.db.meeting.count()).toBe(1);
  expect(await stack.db.meetingTodo.count()).toBe(1);
  const html = (await page.get(m1.location!)).text;
  expect(html).toContain('Treffen festgehalten');
  expect(html).toContain('04.05.2027');
  expect(html).toContain('Vermieter anrufen');
  expect(html).toContain(me.name);
  expect(html).toContain(kase.reference);
  // the to-do on the owner's start page, then done from the series page
  const start = (await page.get('/')).text;
  expect(start).toContain('Vermieter anrufen');
  expect(start).toContain(`<a href="/bestand/treffen/${series.id}">Aufgabe aus Besprechung: Vermieter anrufen</a>`);
  const todo = await stack.db.meetingTodo.findFirstOrThrow();
  const done = await page.post(
    `/bestand/treffen/aufgaben/${todo.id}/erledigt`,
    await formOf(`/bestand/treffen/${series.id}`, `/bestand/treffen/aufgaben/${todo.id}/erledigt`),
  );
  expect(done.status).toBe(303);
  expect((await stack.db.meetingTodo.findUniqueOrThrow({ where: { id: todo.id } })).doneAt).not.toBeNull();
});

it('bad input on every form of these pages: a German 4xx page, never a 5xx, nothing written', async () => {
  const course = await stack.db.course.findFirstOrThrow();
  const group = await stack.db.groupOffer.findFirstOrThrow();
  const session = await stack.db.groupSession.findFirstOrThrow();
  const series = await stack.db.meetingSeries.findFirstOrThrow();
  const counts = async () =>
    Promise.all([
      stack.db.course.count(),
      stack.db.groupOffer.count(),
      stack.db.groupSession.count(),
      stack.db.groupEnrolment.count(),
      stack.db.meetingSeries.count(),
      stack.db.meeting.count(),
      stack.db.meetingTodo.count(),
      stack.db.seatProposal.count(),
    ]);
  const before = await counts();
  const routes = [
    '/bestand/kurse/neu',
    `/bestand/kurse/${course.id}/bearbeiten`,
    `/bestand/kurse/${course.id}/vorschlagen`,
    '/bestand/gruppen/neu',
    `/bestand/gruppen/${group.id}/termine`,
    `/bestand/gruppen/${group.id}/anmeldungen`,
    `/bestand/gruppen/${group.id}/termine/${session.id}/anwesenheit`,
    '/bestand/treffen/neu',
    `/bestand/treffen/${series.id}/neu`,
  ];
  const junk = ['\u0000', 'x'.repeat(4000), '<script>alert(1)</script>', '-1', '1e309', '2027-02-30', 'KIM-\u0007'];
  const fields = [
    'partnerId',
    'kind',
    'level',
    'title',
    'start',
    'end',
    'seats',
    'reserved',
    'place',
    'processId',
    'at',
    'caseReference',
    'note',
    'enrolment',
    'present',
    'participants',
    'agenda',
    'minutes',
    'todo0Text',
    'todo0Owner',
    'todo0Due',
    'todo0Case',
  ];
  const problems: string[] = [];
  for (const route of routes)
    for (const v of junk) {
      const csrf = hidden((await page.get('/sitzungen')).text, '_csrf');
      const r = await page.post(route, {
        _csrf: csrf,
        _key: `fuzz-${crypto.randomUUID()}`,
        ...Object.fromEntries(fields.map((f) => [f, v])),
      });
      if (r.status >= 500 || r.status < 400) problems.push(`${route} with ${JSON.stringify(v.slice(0, 20))}: ${r.status}`);
      else if (!r.text.includes('lang="de"') || r.text.includes('<script>alert')) problems.push(`${route}: not a German escaped page`);
    }
  expect(problems).toEqual([]);
  expect(await counts()).toEqual(before);
});
