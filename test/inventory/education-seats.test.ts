// Seat proposals at every step of the education/work chain v2 (the shipped default) that a course kind
// serves (education15): an integration course completes `integration-course` (the chain goes on to
// `language-level`), a school place answers the Schulamt's `school-place` handoff as the department
// would (`assigned`, the chain goes on to `school-follow-up`), a vocational measure accepts the
// Bildungsträger's `measure` handoff (its outcomes report the measure's end, which the provider still
// reports). Matching finds the chains at those steps; a chain with a seat no longer waits for one.
import { createRetentionActivities } from '../../activities/retention';
import { chainDriver } from '../support/chain-helpers';
import { pdfText } from '../support/pdf-text';
import { eventually, startStack, type Stack } from '../support/stack';

let stack: Stack;
let cw: string;
let d: ReturnType<typeof chainDriver>;
let providerId: string;

beforeAll(async () => {
  stack = await startStack();
  cw = await stack.token('fallmanagement@kim.example');
  d = chainDriver(stack, cw);
  const p = await stack.api('POST', '/api/partners', { token: cw, body: { kind: 'course_provider', name: 'VHS Seats' } });
  providerId = p.body.id as string;
});
afterAll(() => stack?.stop());

async function course(kind: string, title: string, seats = 2) {
  const r = await stack.api('POST', '/api/courses', {
    token: cw,
    body: { partnerId: providerId, kind, title, start: '2027-02-01', end: '2027-07-31', seats, place: 'Stadthaus' },
  });
  expect(r.status).toBe(201);
  return r.body as { id: string; reference: string };
}
async function chain(birthDate: string) {
  const c = await d.newCase({ birthDate });
  const r = await stack.api('POST', `/api/cases/${c.id}/chains`, { token: cw, body: { type: 'education-work' } });
  expect(r.status).toBe(201);
  return r.body.id as string;
}
const matched = async (courseId: string) =>
  (
    (await stack.api('GET', `/api/courses/${courseId}/matches`, { token: cw })).body.items as Array<{ processId: string; fits: boolean }>
  ).map((m) => [m.processId, m.fits]);
/** The handoff task of the chain's step, once delivered to the department. */
const delivered = (processId: string, stepKey: string) =>
  eventually(() => stack.db.task.findFirst({ where: { processId, stepKey, status: 'notified' } }), 30_000);

it('v2 adult: an integration course completes integration-course with the course data; the chain is at language-level', async () => {
  const id = await chain('1990-05-01');
  expect((await d.at(id, 'education-history')).version).toBe(2);
  await d.complete(id, 'education-history', 'done');
  await d.complete(id, 'integration-course-status', 'entitled', { basis: 'bamf-certificate' });
  await d.at(id, 'integration-course');
  const k = await course('integration_course', 'Integrationskurs v2');
  expect((await stack.api('GET', `/api/courses/${k.id}`, { token: cw })).body).toMatchObject({
    step: 'language-course',
    steps: ['language-course', 'integration-course'],
  });
  expect(await matched(k.id)).toContainEqual([id, true]);
  // a job-related language course is not for this step
  const job = await course('job_language_course', 'Berufssprachkurs');
  expect((await matched(job.id)).map(([p]) => p)).not.toContain(id);
  expect((await stack.api('POST', `/api/courses/${job.id}/propose`, { token: cw, body: { processId: id } })).status).toBe(409);

  const r = await stack.api('POST', `/api/courses/${k.id}/propose`, { token: cw, body: { processId: id } });
  expect(r.status).toBe(200);
  expect(r.body).toMatchObject({ taken: 1, free: 1 });
  const p = await d.at(id, 'language-level');
  expect(p.currentStep.key).toBe('language-level');
  expect(await stack.db.processStep.findFirstOrThrow({ where: { processId: id, key: 'integration-course' } })).toMatchObject({
    outcome: 'enrolled',
    data: { provider: `Kurs ${k.reference}`, start: '2027-02-01', end: '2027-07-31' },
  });
  expect((await matched(k.id)).map(([p]) => p)).not.toContain(id);
});

it('v2 minor: a school place answers the Schulamt handoff (assigned) and the chain goes on', async () => {
  const id = await chain('2013-03-01');
  await d.at(id, 'school-place', 'handoff');
  const task = await delivered(id, 'school-place');
  const k = await course('school_place', 'Internationale Klasse 7');
  expect(await matched(k.id)).toContainEqual([id, true]);
  const r = await stack.api('POST', `/api/courses/${k.id}/propose`, { token: cw, body: { processId: id } });
  expect(r.status).toBe(200);
  await d.at(id, 'school-follow-up', ['waiting', 'active']);
  expect(await stack.db.task.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({
    status: 'completed',
    outcome: 'assigned',
    data: expect.objectContaining({ school: 'Internationale Klasse 7, Stadthaus' }),
  });
  expect(await stack.db.processStep.findFirstOrThrow({ where: { processId: id, key: 'school-place' } })).toMatchObject({
    outcome: 'assigned',
  });
  expect(await stack.db.seatProposal.count({ where: { processId: id, stepKey: 'school-place' } })).toBe(1);
});

it('v2 adult at measure: a vocational measure accepts the Bildungsträger handoff; the chain no longer waits for a seat', async () => {
  const id = await chain('1985-01-01');
  await d.complete(id, 'education-history', 'done');
  await d.complete(id, 'integration-course-status', 'not-needed');
  await d.departmentActs(id, 'counselling', 'complete', { outcome: 'done' });
  await d.at(id, 'measure', 'handoff');
  const task = await delivered(id, 'measure');
  const k = await course('vocational_measure', 'Maßnahme Lager und Logistik', 3);
  expect(await matched(k.id)).toContainEqual([id, true]);
  const r = await stack.api('POST', `/api/courses/${k.id}/propose`, { token: cw, body: { processId: id } });
  expect(r.status).toBe(200);
  expect(await stack.db.task.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({ status: 'accepted' });
  const p = await d.process(id);
  expect(p.currentStep.key).toBe('measure'); // the Bildungsträger reports the end (finished / dropped out)
  expect((await matched(k.id)).map(([p]) => p)).not.toContain(id);
  // a second measure for the same step: 409, nothing written
  const other = await course('vocational_measure', 'Maßnahme Pflegehilfe', 3);
  expect((await stack.api('POST', `/api/courses/${other.id}/propose`, { token: cw, body: { processId: id } })).status).toBe(409);
  expect(await stack.db.course.findUniqueOrThrow({ where: { id: other.id } })).toMatchObject({ taken: 0 });
  expect(await stack.db.seatProposal.count({ where: { courseId: other.id } })).toBe(0);
  // the department reports the end as before; the chain goes on to placement
  await d.departmentActs(id, 'measure', 'complete', { outcome: 'finished' });
  await d.at(id, 'placement');
});

it("the need's district: in the Art. 15 export (JSON and PDF); gone with the anonymised case", async () => {
  const c = await d.newCase({ birthDate: '1992-01-01' });
  const personId = (await stack.db.case.findUniqueOrThrow({ where: { id: c.id } })).personId;
  const id = (await stack.api('POST', `/api/cases/${c.id}/chains`, { token: cw, body: { type: 'education-work' } })).body.id as string;
  const bad = await stack.api('PUT', `/api/processes/${id}/education-need`, {
    token: cw,
    body: { kind: 'literacy', district: 'x'.repeat(101) },
  });
  expect(bad.status).toBe(400);
  expect(bad.body.error.details[0]).toMatchObject({
    field: 'district',
    message: 'district: Stadtteil ist zu lang (höchstens 100 Zeichen)',
  });
  const ok = await stack.api('PUT', `/api/processes/${id}/education-need`, { token: cw, body: { kind: 'literacy', district: 'Refrath' } });
  expect(ok.body).toMatchObject({ district: 'Refrath' });
  const x = await stack.api('GET', `/api/persons/${personId}/export`, { token: cw });
  expect(x.body.education.educationNeeds).toEqual([expect.objectContaining({ kind: 'literacy', district: 'Refrath' })]);
  const pdf = await fetch(`${stack.url}/api/persons/${personId}/export.pdf`, { headers: { authorization: `Bearer ${cw}` } });
  expect(pdfText(Buffer.from(await pdf.arrayBuffer()))).toContain('Bildungsbedarf: Alphabetisierungskurs, Stadtteil Refrath');

  await stack.api('POST', `/api/processes/${id}/cancel`, { token: cw, body: { reason: 'Test beendet' } });
  await eventually(async () => ((await stack.db.process.findUniqueOrThrow({ where: { id } })).status !== 'running' ? true : undefined));
  const closed = await stack.api('POST', `/api/cases/${c.id}/status`, {
    token: cw,
    body: { status: 'closed', reason: 'erledigt', closureCode: 'other' },
  });
  expect(closed.status).toBe(200);
  await stack.db.case.update({ where: { id: c.id }, data: { closedAt: new Date(Date.now() - 3_600_000) } });
  const r = await createRetentionActivities({ db: stack.db }).anonymizeCases({ caseIds: [c.id], cutoff: new Date().toISOString() });
  expect(r).toMatchObject({ cases: 1 });
  expect(await stack.db.educationNeed.findUniqueOrThrow({ where: { processId: id } })).toMatchObject({ kind: 'literacy', district: null });
});
