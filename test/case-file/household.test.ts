// The household of a case (issue 13): the first member makes the household, the person's cases (open
// before and created after) belong to it; its size is derived from the members — a size typed at the
// person's creation does not count twice —, used by the matching of the move-out chain's waiting
// households, listed in the Art. 15 export; the retention run deletes the members and keeps the size.
import { createRetentionActivities } from '../../activities/retention';
import { loadWaitingHouseholds } from '../../core/inventory-data';
import { FormClient } from '../support/form-client';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let caseworker: string;

beforeAll(async () => {
  stack = await startStack();
  caseworker = await stack.token('fallmanagement@kim.example');
});
afterAll(() => stack?.stop());

const member = (firstName: string, relationship: string, birthDate: string) => ({ firstName, lastName: 'Rahimi', birthDate, relationship });

async function personWithCase(householdSize?: number) {
  const p = await stack.api('POST', '/api/persons', {
    token: caseworker,
    body: { firstName: 'Farid', lastName: 'Rahimi', ...(householdSize ? { householdSize } : {}) },
  });
  const c = await stack.api('POST', '/api/cases', { token: caseworker, body: { personId: p.body.id, topic: 'housing' } });
  expect(c.status).toBe(201);
  return { personId: p.body.id as string, caseId: c.body.id as string };
}

it('the first member makes the household; earlier and later cases belong to it; the size is derived, not typed twice', async () => {
  const { personId, caseId } = await personWithCase(2); // typed "2" at creation
  expect((await stack.db.case.findUniqueOrThrow({ where: { id: caseId } })).householdId).toBeNull();

  // two first members at once: one household
  const added = await Promise.all([
    stack.api('POST', `/api/persons/${personId}/household-members`, { token: caseworker, body: member('Lale', 'partner', '1990-02-03') }),
    stack.api('POST', `/api/persons/${personId}/household-members`, { token: caseworker, body: member('Aryan', 'child', '2019-06-01') }),
  ]);
  expect(added.map((r) => r.status)).toEqual([201, 201]);
  const person = await stack.db.person.findUniqueOrThrow({ where: { id: personId } });
  expect(person.householdId).toEqual(expect.any(String));
  expect(await stack.db.household.count({ where: { persons: { some: { id: personId } } } })).toBe(1);
  expect((await stack.db.case.findUniqueOrThrow({ where: { id: caseId } })).householdId).toBe(person.householdId);
  expect(await stack.db.auditEvent.count({ where: { action: 'household.create', entityId: person.householdId! } })).toBe(1);

  // person + partner + child = 3 (the typed 2 no longer counts)
  const list = await stack.api('GET', `/api/persons/${personId}/household-members`, { token: caseworker });
  expect(list.body.householdSize).toBe(3);
  const later = await stack.api('POST', '/api/cases', { token: caseworker, body: { personId, topic: 'education_work' } });
  expect(later.status).toBe(201);
  expect((await stack.db.case.findUniqueOrThrow({ where: { id: later.body.id } })).householdId).toBe(person.householdId);

  // the case page shows the derived size
  const b = new FormClient(stack.url);
  await b.login('fallmanagement@kim.example');
  expect((await b.get(`/faelle/${caseId}`)).text).toContain('3 Personen, davon 1 Kind');

  // the move-out chain's waiting household is matched with the derived size
  const p = await stack.db.process.create({
    data: {
      caseId,
      type: 'move-out',
      version: 1,
      workflowId: `test-household-${caseId}`,
      currentStep: 'offer',
      assigneeId: person.createdById,
      startedById: person.createdById,
    },
  });
  const [waiting] = await loadWaitingHouseholds(stack.db, {}, p.id);
  expect(waiting.size).toBe(3);

  // Art. 15: the household with its derived size and its cases
  const x = await stack.api('GET', `/api/persons/${personId}/export`, { token: caseworker });
  expect(x.status).toBe(200);
  expect(x.body.household).toMatchObject({ id: person.householdId, size: 3, otherMembers: 0 });
  expect([...x.body.household.caseIds].sort()).toEqual([caseId, later.body.id].sort());
  await stack.db.process.delete({ where: { id: p.id } });
});

it('retention deletes the members, keeps the household size for statistics and the case in its household', async () => {
  const { personId, caseId } = await personWithCase();
  await stack.api('POST', `/api/persons/${personId}/household-members`, { token: caseworker, body: member('Mina', 'child', '2018-01-01') });
  const closed = await stack.api('POST', `/api/cases/${caseId}/status`, { token: caseworker, body: { status: 'closed' } });
  expect(closed.status).toBe(200);
  const r = await createRetentionActivities({ db: stack.db }).anonymizeCases({
    caseIds: [caseId],
    cutoff: new Date(Date.now() + 60_000).toISOString(),
  });
  expect(r).toEqual({ cases: 1, persons: 1 });
  const person = await stack.db.person.findUniqueOrThrow({ where: { id: personId } });
  expect(await stack.db.householdMember.count({ where: { personId } })).toBe(0);
  expect(person.householdSize).toBe(2);
  expect((await stack.db.case.findUniqueOrThrow({ where: { id: caseId } })).householdId).toBe(person.householdId);
  // the household row holds no personal data: id and date only
  expect(Object.keys(await stack.db.household.findUniqueOrThrow({ where: { id: person.householdId! } })).sort()).toEqual([
    'createdAt',
    'id',
  ]);
});
