// Who may call which JSON route: every route of the OpenAPI document × every role against the explicit
// table below (the same table is in README.md, "Zugriffsrechte / access matrix"). Anonymous → 401 on
// every non-public route, a role not in the table → 403, a listed role → neither 401 nor 403 (400, 404,
// 409 … are fine: the requests use unknown ids and empty bodies). A route missing from the table fails.
import crypto from 'node:crypto';
import { startStack, type Stack } from '../support/stack';
import { startNewChainsOnV1 } from '../support/chain-versions';

// written for v1 of the shipped chains: new chains here start on v1 (v2: test/chains/chains-content.test.ts)
startNewChainsOnV1();

const ROLES = ['anonymous', 'caseworker', 'department_member', 'supervisor', 'admin'] as const;
type Role = (typeof ROLES)[number];
const USERS: Record<Exclude<Role, 'anonymous'>, string> = {
  caseworker: 'fallmanagement@kim.example',
  department_member: 'soziale-foerderung@kim.example',
  supervisor: 'leitung@kim.example',
  admin: 'admin@kim.example',
};

const CW = 'caseworker',
  DM = 'department_member',
  SV = 'supervisor',
  AD = 'admin';
/** 'public': everyone incl. anonymous; 'login': every logged-in role; else the roles admitted. */
const ACCESS: Record<string, 'public' | 'login' | Role[]> = {
  'POST /api/session': 'public',
  'DELETE /api/session': 'login',
  'POST /api/persons': [CW],
  'GET /api/persons/{id}': [CW],
  // case file: person, household, shelters (issue 13)
  'PATCH /api/persons/{id}': [CW],
  'GET /api/persons/{id}/household-members': [CW],
  'POST /api/persons/{id}/household-members': [CW],
  'DELETE /api/persons/{id}/household-members/{memberId}': [CW],
  'GET /api/shelters': [CW, SV, AD],
  'POST /api/shelters': [SV, AD],
  'PUT /api/shelters/{id}': [SV, AD],
  'GET /api/shelters/waiting': [SV, CW],
  'PUT /api/persons/{id}/shelter-place': [CW],
  'DELETE /api/persons/{id}/shelter-place': [CW],
  'POST /api/cases': [CW],
  'GET /api/cases': [CW, SV],
  'GET /api/cases/{id}': [CW, SV],
  'POST /api/cases/{id}/follow-ups': [CW],
  'POST /api/cases/{id}/status': [CW],
  'POST /api/cases/{id}/consents': [CW],
  'POST /api/cases/{id}/consents/{consentId}/withdraw': [CW],
  'POST /api/cases/{id}/handoffs': [CW],
  'GET /api/tasks': [DM, CW, SV],
  'GET /api/tasks/{id}': [DM, CW, SV],
  'POST /api/tasks/{id}/accept': [DM],
  'POST /api/tasks/{id}/decline': [DM],
  'POST /api/tasks/{id}/complete': [DM],
  'POST /api/tasks/{id}/forward': [DM],
  'POST /api/tasks/{id}/cancel': [CW],
  'GET /api/admin/deadlines': [AD],
  'PUT /api/admin/deadlines': [AD],
  'POST /api/cases/{id}/chains': [CW],
  'GET /api/processes': [CW, SV],
  'GET /api/processes/{id}': [CW, SV],
  'POST /api/processes/{id}/steps/{key}/complete': [CW],
  'POST /api/processes/{id}/hold': [CW, SV],
  'POST /api/processes/{id}/resume': [CW, SV],
  'POST /api/processes/{id}/cancel': [CW],
  'POST /api/processes/{id}/reassign': [CW, SV],
  'POST /api/processes/{id}/handoff-messages': [CW], // issue 14: the caseworker's message to a department
  'GET /api/processes.csv': [CW, SV],
  'GET /api/dashboard': [SV, CW],
  'GET /api/workload': [SV, CW],
  'POST /api/processes/reassign': [SV],
  'POST /api/admin/reconcile': [AD, SV],
  'GET /api/cases/{id}/audit': [SV],
  'GET /api/cases/{id}/audit.csv': [SV],
  'GET /api/persons/{id}/export': [CW, SV],
  'GET /api/persons/{id}/export.pdf': [CW, SV],
  'GET /api/admin/chain-definitions': [AD],
  'POST /api/admin/chain-definitions': [AD],
  'POST /api/persons/{id}/status-link': [CW],
  'DELETE /api/persons/{id}/status-link': [CW],
  // case-management cycle (issue 13): caseworkers write, supervisors read, departments and admins see no case file
  'POST /api/cases/{id}/assessments': [CW],
  'GET /api/cases/{id}/assessments': [CW, SV],
  'POST /api/cases/{id}/plans': [CW],
  'GET /api/cases/{id}/plans': [CW, SV],
  'GET /api/cases/{id}/plans/{planId}': [CW, SV],
  'GET /api/cases/{id}/plans/{planId}.pdf': [CW, SV],
  'POST /api/cases/{id}/plans/{planId}/review': [CW],
  'POST /api/cases/{id}/plans/{planId}/goals/{goalId}/chains': [CW],
  'POST /api/cases/{id}/journal': [CW],
  'GET /api/cases/{id}/journal': [CW, SV],
  'PUT /api/cases/{id}/journal/{entryId}': [CW],
  'POST /api/cases/{id}/documents': [CW],
  'GET /api/cases/{id}/documents': [CW, SV],
  'GET /api/cases/{id}/documents/{docId}': [CW, SV],
  // reports and analytics (issue: reports): analytics — caseworkers their own cases' figures; reports — supervisors and admins
  'GET /api/analytics/steps': [SV, AD, CW],
  'GET /api/analytics/steps.csv': [SV, AD, CW],
  'GET /api/reports': [SV, AD],
  'POST /api/reports': [SV],
  'GET /api/reports/{id}.pdf': [SV, AD],
  'GET /api/reports/{id}.csv': [SV, AD],
  'GET /api/admin/report-definitions': [AD],
  'POST /api/admin/report-definitions': [AD],
  'PUT /api/admin/report-definitions/{id}': [AD],
  'GET /api/dev/mails': 'login', // only with the embedded SMTP capture (no SMTP_URL), never in production
  'GET /api/openapi.json': 'public',
  // inventory (issue 15): caseworkers and supervisors manage partners and offers; proposing and offer outcomes move a chain (caseworker)
  'POST /api/partners': [CW, SV],
  'GET /api/partners': [CW, SV],
  'GET /api/partners/{id}': [CW, SV],
  'POST /api/partners/{id}/contacts': [CW, SV],
  'POST /api/partners/{id}/offer-links': [CW, SV],
  'DELETE /api/partners/{id}/offer-links/{linkId}': [CW, SV],
  'POST /api/offers/housing': [CW, SV],
  'GET /api/offers/housing': [CW, SV],
  'GET /api/offers/housing/{id}': [CW, SV],
  'GET /api/offers/housing/{id}/matches': [CW, SV],
  'GET /api/processes/{id}/matches': [CW, SV],
  'POST /api/offers/housing/{id}/propose': [CW],
  'POST /api/offers/housing/{id}/status': [CW],
  'GET /api/admin/rent-caps': [AD, CW, SV],
  'PUT /api/admin/rent-caps': [AD],
  'GET /api/situation': [CW, SV],
  'GET /api/situation.csv': [CW, SV],
  // education offers, group offers, working meetings, households' needs (issue 15, education-offers)
  'POST /api/courses': [CW, SV],
  'GET /api/courses': [CW, SV],
  'GET /api/courses/{id}': [CW, SV],
  'GET /api/courses/{id}/matches': [CW, SV],
  'POST /api/courses/{id}/propose': [CW],
  'PUT /api/processes/{id}/education-need': [CW],
  'PUT /api/persons/{id}/housing-need': [CW],
  'POST /api/group-offers': [CW, SV],
  'GET /api/group-offers': [CW, SV],
  'GET /api/group-offers/{id}': [CW, SV],
  'POST /api/group-offers/{id}/sessions': [CW, SV],
  'POST /api/group-offers/{id}/enrolments': [CW, SV],
  'POST /api/group-offers/{id}/sessions/{sessionId}/attendance': [CW, SV],
  'POST /api/group-offers/{id}/enrolments/{enrolmentId}/complete': [CW, SV],
  'POST /api/meeting-series': [CW, SV],
  'GET /api/meeting-series': [CW, SV],
  'GET /api/meeting-series/{id}': [CW, SV],
  'POST /api/meeting-series/{id}/meetings': [CW, SV],
  'POST /api/meeting-todos/{id}/done': [CW, SV],
};

let stack: Stack;
const tokens: Partial<Record<Role, string>> = {};
beforeAll(async () => {
  stack = await startStack({ outbox: false });
  for (const [role, email] of Object.entries(USERS)) tokens[role as Role] = await stack.token(email);
});
afterAll(() => stack?.stop());

it('every route × every role answers as the access table says', async () => {
  const doc = (await stack.api('GET', '/api/openapi.json')).body as {
    paths: Record<string, Record<string, { security?: unknown[]; requestBody?: unknown }>>;
  };
  const routes = Object.entries(doc.paths).flatMap(([p, ops]) =>
    Object.entries(ops).map(([m, op]) => ({ key: `${m.toUpperCase()} ${p}`, method: m.toUpperCase(), path: p, op })),
  );
  expect(routes.map((r) => r.key).filter((k) => !(k in ACCESS))).toEqual([]); // a new route needs its row
  expect(Object.keys(ACCESS).filter((k) => !routes.some((r) => r.key === k))).toEqual([]); // and no stale rows

  const mismatches: string[] = [];
  for (const r of routes) {
    const rule = ACCESS[r.key];
    // the OpenAPI document's security flag agrees with the table
    if ((rule === 'public') !== (Array.isArray(r.op.security) && r.op.security.length === 0))
      mismatches.push(`${r.key}: security in OpenAPI`);
    for (const role of ROLES) {
      // DELETE /api/session revokes the token it is called with: a fresh one (logins are rate-limited per IP)
      const token = role === 'anonymous' ? undefined : r.key === 'DELETE /api/session' ? await stack.token(USERS[role]) : tokens[role];
      const path = r.path.replace(/\{\w+\}/g, () => crypto.randomUUID());
      const res = await stack.api(r.method, path, { token, ...(r.method === 'GET' || r.method === 'DELETE' ? {} : { body: {} }) });
      const allowed = rule === 'public' || (rule === 'login' ? role !== 'anonymous' : rule.includes(role));
      const expected = allowed ? 'allowed' : role === 'anonymous' ? '401' : '403';
      const got = res.status === 401 ? '401' : res.status === 403 ? '403' : res.status >= 500 ? `5xx (${res.status})` : 'allowed';
      if (got !== expected)
        mismatches.push(`${r.key} as ${role}: expected ${expected}, got ${res.status} ${JSON.stringify(res.body).slice(0, 120)}`);
    }
  }
  expect(mismatches).toEqual([]);
}, 60_000);
