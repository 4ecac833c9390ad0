// Issue 12, point 5: a web session ends after KIM_SESSION_IDLE_MINUTES (default 30, BSI IT-Grundschutz)
// without a request; /sitzungen lists the user's own active sessions and "Überall abmelden" ends all of
// them (web sessions and API tokens), audited.
import { sha256 } from '../../api/auth';
import { ConfigError, loadConfig } from '../../core/config';
import { FormClient, hidden } from '../support/form-client';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ worker: false, outbox: false });
});
afterAll(() => stack?.stop());

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
const sessionOf = (b: FormClient) => sha256(b.cookies.get('kim_session')!);

it('KIM_SESSION_IDLE_MINUTES: default 30, a positive number of minutes', () => {
  expect(loadConfig({}).KIM_SESSION_IDLE_MINUTES).toBe(30);
  expect(loadConfig({ KIM_SESSION_IDLE_MINUTES: '15' }).KIM_SESSION_IDLE_MINUTES).toBe(15);
  for (const bad of ['0', '-5', 'halbe Stunde']) expect(() => loadConfig({ KIM_SESSION_IDLE_MINUTES: bad })).toThrow(ConfigError);
});

it('a web session idle for longer than 30 minutes is ended; 29 idle minutes are fine; API tokens have no idle timeout', async () => {
  const fresh = new FormClient(stack.url);
  const idle = new FormClient(stack.url);
  await fresh.login('fallmanagement@kim.example');
  await idle.login('fallmanagement@kim.example');
  await stack.db.session.update({ where: { id: sessionOf(fresh) }, data: { lastSeenAt: minutesAgo(29) } });
  await stack.db.session.update({ where: { id: sessionOf(idle) }, data: { lastSeenAt: minutesAgo(31) } });
  expect((await fresh.get('/faelle')).status).toBe(200);
  const gone = await idle.get('/faelle');
  expect(gone.status).toBe(303);
  expect(gone.location).toMatch(/^\/login/);
  expect((await stack.db.session.findUniqueOrThrow({ where: { id: sessionOf(idle) } })).revokedAt).not.toBeNull();

  const token = await stack.token('fallmanagement@kim.example');
  await stack.db.session.update({ where: { id: sha256(token) }, data: { lastSeenAt: minutesAgo(120) } });
  expect((await stack.api('GET', '/api/cases', { token })).status).toBe(200);
});

it('/sitzungen lists only the own active sessions; "Überall abmelden" ends all of them and is audited', async () => {
  const a = new FormClient(stack.url);
  const b = new FormClient(stack.url);
  await a.login('jobcenter@kim.example');
  await b.login('jobcenter@kim.example');
  const token = await stack.token('jobcenter@kim.example');
  const other = new FormClient(stack.url);
  await other.login('leitung@kim.example');
  const user = await stack.db.user.findUniqueOrThrow({ where: { email: 'jobcenter@kim.example' } });

  const list = await a.get('/sitzungen');
  expect(list.status).toBe(200);
  expect(list.text).toContain('<h1>Meine Sitzungen</h1>');
  expect(list.text).toMatch(/<caption>\s*Aktive Sitzungen \(3\)\s*<\/caption>/);
  expect(list.text.match(/<tr aria-current="true">/g)).toHaveLength(1);
  expect(list.text).toContain('(diese Sitzung)');
  expect(list.text).toContain('API-Token');
  expect(list.text).toContain('127.0.0.1');
  expect(list.text).toContain('<th scope="col">Zuletzt aktiv</th>');

  // a forged post (no CSRF token) ends nothing
  expect((await a.post('/sitzungen/ueberall-abmelden', {})).status).toBe(403);
  expect(await stack.db.session.count({ where: { userId: user.id, revokedAt: null } })).toBe(3);

  const out = await a.post('/sitzungen/ueberall-abmelden', { _csrf: hidden(list.text, '_csrf') });
  expect(out.status).toBe(303);
  expect(out.location).toBe('/login');
  expect(a.cookies.has('kim_session')).toBe(false);
  for (const c of [a, b]) expect((await c.get('/faelle')).status).toBe(303);
  expect((await stack.api('GET', '/api/tasks', { token })).status).toBe(401);
  expect((await other.get('/faelle')).status).toBe(200); // another user's session stays
  const event = await stack.db.auditEvent.findFirstOrThrow({ where: { action: 'session.revoke_all', actorId: user.id } });
  expect(event).toMatchObject({ entityType: 'User', entityId: user.id, details: { sessions: 3 } });
});
