// Who may open which page of the case-management cycle (issue 13), like the JSON access matrix: every
// page route × every role on a real case. Caseworkers read and change their own and their team's cases
// (another team's case → 403, the refusal audited), supervisors read without forms, department members
// and admins see no case content (403), anonymous visitors are sent to the login. Page reads are audited.
import type { AppDeps } from '../../api/deps';
import { caseCyclePages } from '../../api/pages/case-cycle-pages';
import { FormClient, hidden } from '../support/form-client';
import { startStack, type Stack } from '../support/stack';

type Role = 'anonymous' | 'caseworker' | 'department_member' | 'supervisor' | 'admin';
const USERS: Record<Exclude<Role, 'anonymous'>, string> = {
  caseworker: 'fallmanagement@kim.example',
  department_member: 'soziale-foerderung@kim.example',
  supervisor: 'leitung@kim.example',
  admin: 'admin@kim.example',
};
const CW: Role = 'caseworker',
  SV: Role = 'supervisor';

/** page route → the roles it admits (everyone else: 403; anonymous: to the login) */
const PAGES: Record<string, Role[]> = {
  'GET /faelle/{id}/anamnese': [CW, SV],
  'POST /faelle/{id}/anamnese': [CW],
  'GET /faelle/{id}/hilfeplan': [CW, SV],
  'GET /faelle/{id}/hilfeplan/neu': [CW],
  'POST /faelle/{id}/hilfeplan/neu': [CW],
  'POST /faelle/{id}/hilfeplan/{planId}/ueberpruefung': [CW],
  'POST /faelle/{id}/hilfeplan/{planId}/ziele/{goalId}/kette': [CW],
  'GET /faelle/{id}/verlauf': [CW, SV],
  'POST /faelle/{id}/verlauf': [CW],
  'GET /faelle/{id}/verlauf/{entryId}': [CW],
  'POST /faelle/{id}/verlauf/{entryId}': [CW],
  'GET /faelle/{id}/dokumente': [CW, SV],
  'POST /faelle/{id}/dokumente': [CW],
};

let stack: Stack;
const clients: Partial<Record<Role, FormClient>> = {};
let ids: Record<string, string>;
let foreignCase: string;

beforeAll(async () => {
  stack = await startStack({ outbox: false });
  for (const [role, email] of Object.entries(USERS)) {
    const c = new FormClient(stack.url);
    expect((await c.login(email)).status).toBe(303);
    clients[role as Role] = c;
  }
  clients.anonymous = new FormClient(stack.url);
  const token = await stack.token(USERS.caseworker);
  const newCase = async () => {
    const p = await stack.api('POST', '/api/persons', { token, body: { firstName: 'Zugriff', lastName: 'Test', benefitType: 'sgb2' } });
    const c = await stack.api('POST', '/api/cases', { token, body: { personId: p.body.id, topic: 'housing' } });
    return c.body.id as string;
  };
  const id = await newCase();
  const day = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
  const plan = await stack.api('POST', `/api/cases/${id}/plans`, {
    token,
    body: { goals: [{ area: 'housing', text: 'Wohnung', targetDate: day(60) }], reviewDate: day(30) },
  });
  const goal = await stack.db.planGoal.findFirstOrThrow({ where: { planId: plan.body.id } });
  const entry = await stack.api('POST', `/api/cases/${id}/journal`, { token, body: { kind: 'note', text: 'Notiz' } });
  ids = { id, planId: plan.body.id, goalId: goal.id, entryId: entry.body.id };
  // a case of another team's caseworker
  foreignCase = await newCase();
  const other = await stack.db.user.create({
    data: { email: 'andere-kollegin@kim.example', name: 'Andere Kollegin', role: 'caseworker', departmentId: 'jobcenter' },
  });
  await stack.db.case.update({ where: { id: foreignCase }, data: { caseworkerId: other.id, departmentId: 'jobcenter' } });
}, 120_000);
afterAll(() => stack?.stop());

async function call(role: Role, method: string, path: string) {
  const c = clients[role]!;
  if (method === 'GET') return c.get(path);
  const csrf = role === 'anonymous' ? 'x' : hidden((await c.get('/sitzungen')).text, '_csrf');
  return c.post(path, { _csrf: csrf });
}

it('the table lists every route of the case-cycle pages', () => {
  const stack_ = caseCyclePages({} as AppDeps).router.stack as Array<{ route?: { path: string; methods: Record<string, boolean> } }>;
  const routes = stack_.flatMap((l) =>
    l.route ? Object.keys(l.route.methods).map((m) => `${m.toUpperCase()} ${l.route!.path.replace(/:(\w+)/g, '{$1}')}`) : [],
  );
  expect(routes.sort()).toEqual(Object.keys(PAGES).sort());
});

it('every case-cycle page × every role answers as the table says', async () => {
  const mismatches: string[] = [];
  for (const [route, admitted] of Object.entries(PAGES)) {
    const [method, pattern] = route.split(' ');
    const path = pattern.replace(/\{(\w+)\}/g, (_, k: string) => ids[k]);
    for (const role of ['anonymous', ...Object.keys(USERS)] as Role[]) {
      const r = await call(role, method, path);
      const got =
        r.status === 303 && r.location?.startsWith('/login')
          ? 'login'
          : r.status === 403
            ? '403'
            : r.status >= 500
              ? `5xx (${r.status})`
              : 'allowed';
      const expected = role === 'anonymous' ? 'login' : admitted.includes(role) ? 'allowed' : '403';
      if (got !== expected) mismatches.push(`${route} as ${role}: expected ${expected}, got ${r.status}`);
    }
    // another team's case: refused for the caseworker too
    const foreign = await call(
      'caseworker',
      method,
      pattern.replace(/\{(\w+)\}/g, (_, k: string) => (k === 'id' ? foreignCase : ids[k])),
    );
    if (foreign.status !== 403 && foreign.status !== 404) mismatches.push(`${route} on another team's case: got ${foreign.status}`);
  }
  expect(mismatches).toEqual([]);
}, 120_000);

it('supervisors read without forms; page reads and refused reads are audited', async () => {
  const sv = clients.supervisor!;
  for (const p of ['anamnese', 'hilfeplan', 'verlauf', 'dokumente']) {
    const r = await sv.get(`/faelle/${ids.id}/${p}`);
    expect(r.status).toBe(200);
    expect(r.text).not.toMatch(new RegExp(`<form method="post" action="/faelle/${ids.id}`));
  }
  const leitung = await stack.db.user.findUniqueOrThrow({ where: { email: USERS.supervisor } });
  const read = await stack.db.auditEvent.findMany({ where: { actorId: leitung.id, caseId: ids.id }, select: { action: true } });
  expect(new Set(read.map((e) => e.action))).toEqual(
    new Set(['case.assessment.read', 'case.plan.read', 'case.journal.read', 'case.document.list']),
  );
  const refused = await stack.db.auditEvent.count({ where: { caseId: foreignCase, action: 'access.refused' } });
  expect(refused).toBeGreaterThan(0);
});
