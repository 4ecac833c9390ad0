// Issue 12, point 2: no hard account lock by e-mail alone (anyone could lock staff out). Five wrong
// passwords back off that (address, account) pair only; the back-off answers an existing and an unknown
// account alike (429, same message) and only after a password check's work, so it reveals nothing.
import { LOGIN_FAILURES_PER_ACCOUNT } from '../../api/auth';
import { DEMO_PASSWORD, startStack, type Stack } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ worker: false, outbox: false });
});
afterAll(() => stack?.stop());

const login = async (ip: string, email: string, password: string) => {
  const t = performance.now();
  const r = await stack.api('POST', '/api/session', { body: { email, password }, headers: { 'X-Forwarded-For': ip } });
  return { ...r, ms: performance.now() - t };
};

it('wrong passwords back off the (address, account) pair only; other addresses and accounts still log in', async () => {
  const email = 'jobcenter@kim.example';
  for (let i = 0; i < LOGIN_FAILURES_PER_ACCOUNT; i++) expect((await login('198.51.100.1', email, 'falsch')).status).toBe(401);
  const backedOff = await login('198.51.100.1', email, DEMO_PASSWORD);
  expect(backedOff.status).toBe(429);
  expect(backedOff.body.error.message).toBe('Zu viele Anmeldeversuche. Bitte in einigen Minuten erneut versuchen.');
  expect((await login('198.51.100.2', email, DEMO_PASSWORD)).status).toBe(200); // the account itself is not locked
  expect((await login('198.51.100.1', 'leitung@kim.example', DEMO_PASSWORD)).status).toBe(200); // nor the address
  const user = await stack.db.user.findUniqueOrThrow({ where: { email } });
  expect(user.lockedUntil).toBeNull();
  expect(await stack.db.auditEvent.count({ where: { action: 'login.throttled', actorId: user.id } })).toBe(1);
});

it('a backed-off existing account answers like a backed-off unknown one: same status and message, comparable time', async () => {
  const pairs = [
    ['198.51.100.10', 'leitung@kim.example'],
    ['198.51.100.11', 'niemand-hier@kim.example'],
  ] as const;
  for (const [ip, email] of pairs) for (let i = 0; i < LOGIN_FAILURES_PER_ACCOUNT; i++) await login(ip, email, 'falsch');
  const wrong = await login('198.51.100.12', 'leitung@kim.example', 'falsch'); // a plain wrong password, for comparison
  expect(wrong.status).toBe(401);
  const [known, unknown] = [await login(pairs[0][0], pairs[0][1], 'falsch'), await login(pairs[1][0], pairs[1][1], 'falsch')];
  expect(known.status).toBe(429);
  expect(unknown.status).toBe(429);
  const { requestId: _a, ...knownError } = known.body.error;
  const { requestId: _b, ...unknownError } = unknown.body.error;
  expect(knownError).toEqual(unknownError);
  console.log(
    `wrong password: ${wrong.ms.toFixed(1)} ms; backed off (existing): ${known.ms.toFixed(1)} ms; backed off (unknown): ${unknown.ms.toFixed(1)} ms`,
  );
});
