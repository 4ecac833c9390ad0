// Who may open which page of courses, group offers, working meetings and partners (issue 15), like the JSON
// access matrix: every page route × every role, the route list compared with the routers. As the JSON
// routes: caseworkers and supervisors manage them, only caseworkers propose a seat, department members
// and admins get 403, anonymous visitors are sent to the login. The page reads are audited.
import type { AppDeps } from '../../api/deps';
import { coursePages } from '../../api/pages/course-pages';
import { groupOfferPages } from '../../api/pages/group-offer-pages';
import { meetingPages } from '../../api/pages/meeting-pages';
import { partnerPages } from '../../api/pages/partner-pages';
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
  'GET /bestand': [CW, SV],
  'GET /bestand/kurse': [CW, SV],
  'GET /bestand/kurse/neu': [CW, SV],
  'POST /bestand/kurse/neu': [CW, SV],
  'GET /bestand/kurse/{courseId}': [CW, SV],
  'GET /bestand/kurse/{courseId}/bearbeiten': [CW, SV],
  'POST /bestand/kurse/{courseId}/bearbeiten': [CW, SV],
  'POST /bestand/kurse/{courseId}/vorschlagen': [CW],
  'GET /bestand/gruppen': [CW, SV],
  'GET /bestand/gruppen/neu': [CW, SV],
  'POST /bestand/gruppen/neu': [CW, SV],
  'GET /bestand/gruppen/{groupId}': [CW, SV],
  'POST /bestand/gruppen/{groupId}/termine': [CW, SV],
  'POST /bestand/gruppen/{groupId}/anmeldungen': [CW, SV],
  'POST /bestand/gruppen/{groupId}/termine/{sessionId}/anwesenheit': [CW, SV],
  'POST /bestand/gruppen/{groupId}/anmeldungen/{enrolmentId}/abschluss': [CW, SV],
  'GET /bestand/treffen': [CW, SV],
  'GET /bestand/treffen/neu': [CW, SV],
  'POST /bestand/treffen/neu': [CW, SV],
  'GET /bestand/treffen/{seriesId}': [CW, SV],
  'GET /bestand/treffen/{seriesId}/neu': [CW, SV],
  'POST /bestand/treffen/{seriesId}/neu': [CW, SV],
  'POST /bestand/treffen/aufgaben/{todoId}/erledigt': [CW, SV],
  'GET /bestand/partner': [CW, SV],
  'GET /bestand/partner/neu': [CW, SV],
  'POST /bestand/partner/neu': [CW, SV],
  'GET /bestand/partner/{partnerId}': [CW, SV],
  'GET /bestand/partner/{partnerId}/bearbeiten': [CW, SV],
  'POST /bestand/partner/{partnerId}/bearbeiten': [CW, SV],
  'POST /bestand/partner/{partnerId}/kontakte': [CW, SV],
  'POST /bestand/partner/{partnerId}/links': [CW, SV],
  'POST /bestand/partner/{partnerId}/links/{linkId}/widerrufen': [CW, SV],
  'GET /bestand/wohnungen/neu': [CW, SV],
  'POST /bestand/wohnungen/neu': [CW, SV],
};
/** the route parameters' names in the routers → the table's */
const PARAM_OF: Record<string, Record<string, string>> = {
  kurse: { id: 'courseId' },
  gruppen: { id: 'groupId' },
  treffen: { id: 'seriesId' },
  aufgaben: { id: 'todoId' },
  partner: { id: 'partnerId' },
  links: { linkId: 'linkId' },
};

let stack: Stack;
const clients: Partial<Record<Role, FormClient>> = {};
const ids: Record<string, string> = {};

beforeAll(async () => {
  stack = await startStack({ outbox: false });
  for (const [role, email] of Object.entries(USERS)) {
    const c = new FormClient(stack.url);
    expect((await c.login(email)).status).toBe(303);
    clients[role as Role] = c;
  }
  clients.anonymous = new FormClient(stack.url);
  const token = await stack.token(USERS.caseworker);
  const partner = await stack.api('POST', '/api/partners', { token, body: { kind: 'course_provider', name: 'VHS Zugriff' } });
  const course = await stack.api('POST', '/api/courses', {
    token,
    body: { partnerId: partner.body.id, kind: 'literacy', title: 'Alpha', start: '2027-01-04', seats: 5, place: 'VHS' },
  });
  const group = await stack.api('POST', '/api/group-offers', { token, body: { kind: 'other', title: 'Gruppe Zugriff' } });
  const session = await stack.api('POST', `/api/group-offers/${group.body.id}/sessions`, { token, body: { at: '2027-01-05T10:00:00Z' } });
  const p = await stack.api('POST', '/api/persons', { token, body: { firstName: 'Zugriff', lastName: 'Gruppe', benefitType: 'sgb2' } });
  const enrolment = await stack.api('POST', `/api/group-offers/${group.body.id}/enrolments`, { token, body: { personId: p.body.id } });
  const series = await stack.api('POST', '/api/meeting-series', { token, body: { kind: 'other', title: 'Reihe Zugriff' } });
  const me = await stack.db.user.findUniqueOrThrow({ where: { email: USERS.caseworker } });
  await stack.api('POST', `/api/meeting-series/${series.body.id}/meetings`, {
    token,
    body: { at: '2027-01-06T10:00:00Z', todos: [{ text: 'Nachfassen', ownerId: me.id, due: '2027-01-13' }] },
  });
  const todo = await stack.db.meetingTodo.findFirstOrThrow();
  const landlord = await stack.api('POST', '/api/partners', {
    token,
    body: { kind: 'landlord', name: 'Vermieter Zugriff', email: 'zugriff@vermieter.example' },
  });
  const link = await stack.api('POST', `/api/partners/${landlord.body.id}/offer-links`, { token, body: {} });
  Object.assign(ids, {
    courseId: course.body.id,
    groupId: group.body.id,
    sessionId: session.body.id,
    enrolmentId: enrolment.body.id,
    seriesId: series.body.id,
    todoId: todo.id,
    partnerId: landlord.body.id,
  });
  ids.linkId = link.body.id;
  for (const v of Object.values(ids).filter((v) => v !== ids.linkId)) expect(v).toMatch(/^[0-9a-f-]{36}$/);
}, 120_000);
afterAll(() => stack?.stop());

async function call(role: Role, method: string, path: string) {
  const c = clients[role]!;
  if (method === 'GET') return c.get(path);
  const csrf = role === 'anonymous' ? 'x' : hidden((await c.get('/sitzungen')).text, '_csrf');
  return c.post(path, { _csrf: csrf });
}

it('the table lists every route of the course, group offer, meeting and partner pages', () => {
  const routes = [coursePages, groupOfferPages, meetingPages, partnerPages].flatMap((pages) =>
    (pages({} as AppDeps).stack as Array<{ route?: { path: string; methods: Record<string, boolean> } }>).flatMap((l) =>
      l.route
        ? Object.keys(l.route.methods).map((m) => {
            const segments = l.route!.path.split('/');
            const path = segments
              .map((s, i) => (s.startsWith(':') ? `{${PARAM_OF[segments[i - 1]]?.[s.slice(1)] ?? s.slice(1)}}` : s))
              .join('/');
            return `${m.toUpperCase()} ${path}`;
          })
        : [],
    ),
  );
  expect(routes.sort()).toEqual(Object.keys(PAGES).sort());
});

it('every page × every role answers as the table says', async () => {
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
  }
  expect(mismatches).toEqual([]);
}, 180_000);

it('the navigation shows „Bestand“ to caseworkers and supervisors only; page reads are audited', async () => {
  for (const role of ['caseworker', 'supervisor', 'department_member', 'admin'] as const) {
    const r = await clients[role]!.get('/sitzungen');
    expect([role, r.text.includes('<a href="/bestand">Bestand</a>')]).toEqual([role, role === 'caseworker' || role === 'supervisor']);
  }
  const sv = clients.supervisor!;
  for (const p of [`/bestand/kurse/${ids.courseId}`, `/bestand/gruppen/${ids.groupId}`, `/bestand/treffen/${ids.seriesId}`])
    expect((await sv.get(p)).status).toBe(200);
  const leitung = await stack.db.user.findUniqueOrThrow({ where: { email: USERS.supervisor } });
  const read = await stack.db.auditEvent.findMany({
    where: { actorId: leitung.id, entityId: { in: [ids.courseId, ids.groupId, ids.seriesId] } },
    select: { action: true },
  });
  expect(new Set(read.map((e) => e.action))).toEqual(new Set(['course.matches', 'group-offer.read', 'meeting-series.read']));
});
