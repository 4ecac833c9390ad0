// One request, one effect on the cycle's POST routes (issue 13): the same Idempotency-Key again —
// after the first request or racing it — creates no second assessment version, plan, journal entry,
// document, review or chain, and answers the first result with 200. Kept 24 h; the retention run
// drops older answers and those of an anonymised case.
import { createRetentionActivities } from '../../activities/retention';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let caseworker: string;

beforeAll(async () => {
  stack = await startStack();
  caseworker = await stack.token('fallmanagement@kim.example');
});
afterAll(() => stack?.stop());

const isoDay = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
let n = 0;
const newKey = () => `idem-${Date.now()}-${++n}`;

async function newCase() {
  const p = await stack.api('POST', '/api/persons', { token: caseworker, body: { firstName: 'Lina', lastName: 'Haddad' } });
  const c = await stack.api('POST', '/api/cases', { token: caseworker, body: { personId: p.body.id, topic: 'housing' } });
  expect(c.status).toBe(201);
  return c.body.id as string;
}

/** The same request twice in a row, then twice at once with another key: one record per key. */
async function twiceAndRacing(path: string, body: unknown, count: () => Promise<number>, method = 'POST', firstStatus = 201) {
  const before = await count();
  const key = newKey();
  const send = (k: string) => stack.api(method, path, { token: caseworker, body, headers: { 'Idempotency-Key': k } });
  const first = await send(key);
  expect(first.status).toBe(firstStatus);
  const again = await send(key);
  expect(again.status).toBe(200);
  expect(again.body).toEqual(first.body);
  expect(await count()).toBe(before + 1);
  const raceKey = newKey();
  const raced = await Promise.all([send(raceKey), send(raceKey)]);
  expect(raced.map((r) => r.status).sort()).toEqual([firstStatus, 200].sort());
  expect(raced[0].body).toEqual(raced[1].body);
  expect(await count()).toBe(before + 2);
  // without a key every request is its own
  expect((await stack.api(method, path, { token: caseworker, body })).status).toBe(firstStatus);
  expect(await count()).toBe(before + 3);
  return first.body;
}

it('assessment versions, plans, journal entries and journal edits are created once per key', async () => {
  const caseId = await newCase();
  await twiceAndRacing(
    `/api/cases/${caseId}/assessments`,
    { areas: [{ area: 'housing', situation: 'Notunterkunft', need: 'urgent' }] },
    () => stack.db.assessment.count({ where: { caseId } }),
  );
  await twiceAndRacing(
    `/api/cases/${caseId}/plans`,
    { goals: [{ area: 'housing', text: 'Eigene Wohnung', targetDate: isoDay(120) }], reviewDate: isoDay(60) },
    () => stack.db.plan.count({ where: { caseId } }),
  );
  const entry = await twiceAndRacing(`/api/cases/${caseId}/journal`, { kind: 'note', text: 'Telefonat mit dem Vermieter' }, () =>
    stack.db.journalEntry.count({ where: { caseId } }),
  );
  await twiceAndRacing(
    `/api/cases/${caseId}/journal/${entry.id}`,
    { text: 'Telefonat mit der Vermieterin' },
    () => stack.db.journalRevision.count({ where: { entryId: entry.id } }),
    'PUT',
    200,
  );
});

it('a review and a chain from a goal run once per key; with the first answer', async () => {
  const caseId = await newCase();
  const plan = await stack.api('POST', `/api/cases/${caseId}/plans`, {
    token: caseworker,
    body: { goals: [{ area: 'housing', text: 'Eigene Wohnung', targetDate: isoDay(120) }], reviewDate: isoDay(60) },
  });
  const goalId = (await stack.api('GET', `/api/cases/${caseId}/plans/${plan.body.id}`, { token: caseworker })).body.goals[0].id;

  const key = newKey();
  const chainPath = `/api/cases/${caseId}/plans/${plan.body.id}/goals/${goalId}/chains`;
  const chains = await Promise.all(
    [0, 1].map(() => stack.api('POST', chainPath, { token: caseworker, body: { type: 'move-out' }, headers: { 'Idempotency-Key': key } })),
  );
  expect(chains.map((r) => r.status).sort()).toEqual([200, 201]);
  expect(chains[0].body.id).toBe(chains[1].body.id);
  expect(await stack.db.process.count({ where: { caseId } })).toBe(1);
  expect(await stack.db.goalChain.count({ where: { goalId } })).toBe(1);

  const review = { ratings: [{ goalId, rating: 'achieved' }] };
  const rKey = newKey();
  const reviewPath = `/api/cases/${caseId}/plans/${plan.body.id}/review`;
  const first = await stack.api('POST', reviewPath, { token: caseworker, body: review, headers: { 'Idempotency-Key': rKey } });
  expect(first.status).toBe(200);
  const again = await stack.api('POST', reviewPath, { token: caseworker, body: review, headers: { 'Idempotency-Key': rKey } });
  expect(again.status).toBe(200); // without the key: 409 already reviewed
  expect(again.body).toEqual(first.body);
  expect((await stack.api('POST', reviewPath, { token: caseworker, body: review })).status).toBe(409);
});

it('a document upload is stored once per key; a failed first request leaves the key free', async () => {
  const caseId = await newCase();
  const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n% Mietvertrag\n'), Buffer.alloc(200, 0x20), Buffer.from('\n%%EOF\n')]);
  const send = async (content: Buffer, key: string) => {
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(content)]), 'mietvertrag.pdf');
    const path = `/api/cases/${caseId}/documents`;
    const res = await fetch(stack.url + path, {
      method: 'POST',
      headers: { authorization: `Bearer ${caseworker}`, 'Idempotency-Key': key },
      body: form,
    });
    await (await stack.contract()).checkResponse('POST', path, res);
    return { status: res.status, body: (await res.json()) as { id: string } };
  };
  const key = newKey();
  // the first attempt fails (not a PDF by content): nothing kept, the key stays usable
  expect((await send(Buffer.from('kein pdf, nur text'), key)).status).toBe(415);
  const raced = await Promise.all([send(PDF, key), send(PDF, key)]);
  expect(raced.map((r) => r.status).sort()).toEqual([200, 201]);
  expect(raced[0].body.id).toBe(raced[1].body.id);
  expect(await stack.db.caseDocument.count({ where: { caseId } })).toBe(1);
  const bad = await stack.api('POST', `/api/cases/${caseId}/journal`, {
    token: caseworker,
    body: { kind: 'note', text: 'x' },
    headers: { 'Idempotency-Key': 'kurz' },
  });
  expect(bad.status).toBe(400);
  expect(bad.body.error.details[0].field).toBe('Idempotency-Key');
});

it('the retention run drops answers older than 24 hours', async () => {
  const caseId = await newCase();
  const key = newKey();
  const path = `/api/cases/${caseId}/journal`;
  await stack.api('POST', path, { token: caseworker, body: { kind: 'note', text: 'Notiz' }, headers: { 'Idempotency-Key': key } });
  const rows = () => stack.db.idempotentResponse.count({ where: { key } });
  expect(await rows()).toBe(1);
  await createRetentionActivities({ db: stack.db }).findDueCases({ cutoff: new Date(0).toISOString(), limit: 1 });
  expect(await rows()).toBe(1);
  await stack.db.idempotentResponse.updateMany({ where: { key }, data: { createdAt: new Date(Date.now() - 25 * 3_600_000) } });
  await createRetentionActivities({ db: stack.db }).findDueCases({ cutoff: new Date(0).toISOString(), limit: 1 });
  expect(await rows()).toBe(0);
});
