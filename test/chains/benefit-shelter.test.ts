// End to end on the real stack with the real mails (SMTP capture): a move-out chain of a person in a
// shelter; the benefit type changes (AsylbLG → SGB II) while the cost approval lies with 5-50 → the
// handoff moves to the Jobcenter (both offices get a German notice, the Jobcenter the task with new
// links, 5-50's old link answers 410), the later steps go to the Jobcenter; the shelter release frees
// the place. Shelters: occupancy, capacity, who waits longest.
import { chainDriver } from '../support/chain-helpers';
import { eventually, startStack, type Stack } from '../support/stack';
import { startNewChainsOnV1 } from '../support/chain-versions';

// written for v1 of the shipped chains: new chains here start on v1 (v2: test/chains/chains-content.test.ts)
startNewChainsOnV1();

const DAY = 0.2;
let stack: Stack;
let caseworker: string;
let supervisor: string;
let member550: string;
let d: ReturnType<typeof chainDriver>;

beforeAll(async () => {
  stack = await startStack({ workingDaySeconds: DAY });
  [caseworker, supervisor, member550] = await Promise.all([
    stack.token('fallmanagement@kim.example'),
    stack.token('leitung@kim.example'),
    stack.token('soziale-foerderung@kim.example'),
  ]);
  d = chainDriver(stack, caseworker);
});
afterAll(() => stack?.stop());

const mailsTo = (to: string, reference: string, prefix: string) =>
  stack.capture.list({ to }).filter((m) => m.subject.startsWith(prefix) && m.subject.includes(reference));

describe('shelters', () => {
  it('counts places, refuses a full shelter, lists who waits longest; 400 and 409 in German', async () => {
    const s = await stack.api('POST', '/api/shelters', { token: supervisor, body: { name: 'NU Test Klein', capacity: 1 } });
    expect(s.status).toBe(201);
    expect((await stack.api('POST', '/api/shelters', { token: supervisor, body: { name: 'NU Test Klein', capacity: 3 } })).status).toBe(
      409,
    );
    const bad = await stack.api('POST', '/api/shelters', { token: supervisor, body: { name: 'X', capacity: 0 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('Plätze');

    const a = await d.newCase({ benefitType: 'asylblg' });
    const b = await d.newCase({ benefitType: 'asylblg' });
    const pa = (await stack.db.case.findUniqueOrThrow({ where: { id: a.id } })).personId;
    const pb = (await stack.db.case.findUniqueOrThrow({ where: { id: b.id } })).personId;
    const put = (pid: string, since: string) =>
      stack.api('PUT', `/api/persons/${pid}/shelter-place`, { token: caseworker, body: { shelterId: s.body.id, place: 'Zi. 1', since } });
    expect((await put(pa, '2025-01-10')).status).toBe(200);
    const full = await put(pb, '2025-02-10');
    expect(full.status).toBe(409);
    expect(full.body.error.message).toContain('voll belegt');

    const occ = await stack.api('GET', '/api/shelters', { token: supervisor });
    expect(occ.body.items.find((x: { id: string }) => x.id === s.body.id)).toMatchObject({ capacity: 1, occupied: 1, free: 0 });
    const w = await stack.api('GET', '/api/shelters/waiting', { token: supervisor });
    expect(w.status).toBe(200);
    expect(w.body.items.find((x: { personId: string }) => x.personId === pa)).toMatchObject({
      caseReference: a.reference,
      since: '2025-01-10',
    });
    expect((await stack.api('DELETE', `/api/persons/${pa}/shelter-place`, { token: caseworker })).status).toBe(200);
    expect((await put(pb, '2025-02-10')).status).toBe(200);
  });
});

it('benefit type changed while a chain runs: the open handoff moves, later steps follow; the release frees the place', async () => {
  const shelter = await stack.api('POST', '/api/shelters', { token: supervisor, body: { name: 'NU Bensberg', capacity: 30 } });
  const c = await d.newCase({ benefitType: 'asylblg' });
  const personId = (await stack.db.case.findUniqueOrThrow({ where: { id: c.id } })).personId;
  expect(
    (
      await stack.api('PUT', `/api/persons/${personId}/shelter-place`, {
        token: caseworker,
        body: { shelterId: shelter.body.id, since: '2024-05-01' },
      })
    ).status,
  ).toBe(200);

  const id = (await stack.api('POST', `/api/cases/${c.id}/chains`, { token: caseworker, body: { type: 'move-out' } })).body.id as string;
  await d.complete(id, 'readiness', 'ready');
  await d.departmentActs(id, 'residence-check', 'complete', { outcome: 'clear' });
  await d.departmentActs(id, 'wbs', 'complete', { outcome: 'issued', 'data.rooms': '2' });
  await d.complete(id, 'search-profile', 'done', { rooms: 2, rentCap: 600, area: 'Bensberg' });
  await d.complete(id, 'offer', 'received');
  await d.complete(id, 'viewing', 'accepted', { date: '2026-12-08' });
  await d.complete(id, 'rent-offer', 'received', { rent: 580 });

  // cost approval with 5-50 (AsylbLG); 5-50 has its mail
  const p1 = await d.at(id, 'cost-approval', 'handoff');
  expect(p1.currentStep.department).toBe('5-50');
  const taskId = [...p1.steps].reverse().find((s: { key: string }) => s.key === 'cost-approval').taskId as string;
  const [first] = await eventually(() => {
    const m = mailsTo('soziale-foerderung@kim.example', c.reference, '[KIM] Bitte bestätigen: Mietübernahme');
    return m.length ? m : undefined;
  });
  const oldAccept = first.links.find((l) => l.includes('/t/'))!;

  // recognition: AsylbLG → SGB II
  const version = (await stack.api('GET', `/api/persons/${personId}`, { token: caseworker })).body.version;
  const patch = await stack.api('PATCH', `/api/persons/${personId}`, { token: caseworker, body: { version, benefitType: 'sgb2' } });
  expect(patch.status).toBe(200);
  expect(patch.body.reroutedTasks).toEqual([taskId]);

  // the task now lies with the Jobcenter; both offices have the notice, the Jobcenter the task mail
  await eventually(async () => (await stack.db.task.findUniqueOrThrow({ where: { id: taskId } })).departmentId === 'jobcenter');
  expect((await d.at(id, 'cost-approval', 'handoff')).currentStep.department).toBe('jobcenter');
  for (const to of ['soziale-foerderung@kim.example', 'jobcenter@kim.example']) {
    const [notice] = await eventually(() => {
      const m = mailsTo(to, c.reference, '[KIM] Zuständigkeit geändert: Mietübernahme');
      return m.length ? m : undefined;
    });
    expect(notice.text).toContain('Leistungsart');
    expect(notice.text).not.toContain('Kette Test'); // no names in mails
  }
  await eventually(() => mailsTo('jobcenter@kim.example', c.reference, '[KIM] Bitte bestätigen: Mietübernahme').length > 0 || undefined);
  // 5-50's old link: 410, nothing changes
  expect((await fetch(oldAccept, { method: 'POST' })).status).toBe(410);
  expect((await stack.api('POST', `/api/tasks/${taskId}/accept`, { token: member550 })).status).toBe(403);
  const audited = await stack.db.auditEvent.findFirstOrThrow({ where: { action: 'task.reroute', entityId: taskId } });
  expect(audited.details).toMatchObject({ from: '5-50', to: 'jobcenter' });

  // the Jobcenter decides; the later benefit-routed steps go to the Jobcenter too
  // (through the API: the task's links in the capture include 5-50's dead ones)
  const jc = await stack.token('jobcenter@kim.example');
  const done = await stack.api('POST', `/api/tasks/${taskId}/complete`, {
    token: jc,
    body: { outcome: 'approved', data: { approvedRent: 580 } },
  });
  expect(done.status).toBe(200);
  expect((await d.at(id, 'deposit', 'handoff')).currentStep.department).toBe('jobcenter');
  await d.departmentActs(id, 'deposit', 'complete', { outcome: 'approved' });
  await d.complete(id, 'lease', 'signed', { moveInDate: '2027-01-15' });
  expect((await d.at(id, 'furnishing', 'handoff')).currentStep.department).toBe('jobcenter');
  await d.departmentActs(id, 'furnishing', 'complete', { outcome: 'approved' });

  // the shelter release (5-50) frees the place
  const before = (await stack.api('GET', '/api/shelters', { token: supervisor })).body.items.find(
    (x: { id: string }) => x.id === shelter.body.id,
  );
  expect(before.occupied).toBe(1);
  await d.departmentActs(id, 'move', 'complete', { outcome: 'released' });
  await eventually(async () => (await stack.db.shelterStay.findFirst({ where: { personId, releasedAt: null } })) === null || undefined);
  const stay = await stack.db.shelterStay.findFirstOrThrow({ where: { personId } });
  expect(stay.releasedBy).toMatch(/^task:/);
  const after = (await stack.api('GET', '/api/shelters', { token: supervisor })).body.items.find(
    (x: { id: string }) => x.id === shelter.body.id,
  );
  expect(after).toMatchObject({ occupied: 0, free: 30 });
});
