// Issue 12, point 3: a caseworker opens a case only for a person in scope — created by the user or the
// user's team (department), or with a case of the team. Outside the scope (and unknown): 404, the
// person's existence is not revealed, and the attempt is audited. Two users without a department are
// different teams.
import crypto from 'node:crypto';
import { hashPassword } from '../../core/passwords';
import { DEMO_PASSWORD, startStack, type Stack } from '../support/stack';

let stack: Stack;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  stack = await startStack({ worker: false, outbox: false });
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await stack.db.user.createMany({
    data: [
      { email: 'team-53@kim.example', name: 'Kollegin 5-53', role: 'caseworker', departmentId: '5-53', passwordHash },
      {
        email: 'wohnungsamt-cw@kim.example',
        name: 'Fallmanagement Wohnungsamt',
        role: 'caseworker',
        departmentId: 'wohnungsamt',
        passwordHash,
      },
      { email: 'ohne-team-1@kim.example', name: 'Ohne Team 1', role: 'caseworker', departmentId: null, passwordHash },
      { email: 'ohne-team-2@kim.example', name: 'Ohne Team 2', role: 'caseworker', departmentId: null, passwordHash },
    ],
  });
  for (const e of ['fallmanagement', 'team-53', 'wohnungsamt-cw', 'ohne-team-1', 'ohne-team-2'])
    tokens[e] = await stack.token(`${e}@kim.example`);
});
afterAll(() => stack?.stop());

const person = async (who: string) =>
  (await stack.api('POST', '/api/persons', { token: tokens[who], body: { firstName: 'Sena', lastName: 'Bereichsfremd' } })).body
    .id as string;
// anything but 404 means the scope check let it pass
const openCase = (who: string, personId: string) =>
  stack.api('POST', '/api/cases', { token: tokens[who], body: { personId, topic: 'housing' } });

it('a person of another department: 404 (as for an unknown person), and the attempt is audited', async () => {
  const personId = await person('wohnungsamt-cw');
  const r = await openCase('fallmanagement', personId);
  expect(r.status).toBe(404);
  const unknown = await openCase('fallmanagement', crypto.randomUUID());
  expect(unknown.status).toBe(404);
  expect(unknown.body.error.message).toBe(r.body.error.message);
  expect(await stack.db.case.count({ where: { personId } })).toBe(0);
  const refused = await stack.db.auditEvent.findFirst({ where: { action: 'access.refused', entityId: personId } });
  expect(refused).toMatchObject({ entityType: 'Person', details: { attempted: 'case.create', status: 404 } });
});

it('own persons and the team’s persons are in scope', async () => {
  expect((await openCase('fallmanagement', await person('fallmanagement'))).status).not.toBe(404);
  expect((await openCase('fallmanagement', await person('team-53'))).status).not.toBe(404);
});

it('a person with a case of the team is in scope', async () => {
  const personId = await person('wohnungsamt-cw');
  // a case of team 5-53 for that person (made directly: the scope rule is what is tested)
  const { id: cwId } = await stack.db.user.findUniqueOrThrow({ where: { email: 'team-53@kim.example' } });
  await stack.db.case.create({
    data: {
      id: crypto.randomUUID(),
      reference: `KIM-T-${crypto.randomBytes(3).toString('hex')}`,
      personId,
      topic: 'housing',
      caseworkerId: cwId,
      departmentId: '5-53',
      workflowId: `case-${crypto.randomUUID()}`,
      createdById: cwId,
    },
  });
  expect((await openCase('fallmanagement', personId)).status).not.toBe(404);
});

it('two users without a department are different teams', async () => {
  const personId = await person('ohne-team-1');
  expect((await openCase('ohne-team-2', personId)).status).toBe(404);
  expect((await openCase('ohne-team-1', personId)).status).not.toBe(404);
});
