// Points of issue 6 no other file proves (the former account lockout: login-backoff.test.ts): session cookie flags (HttpOnly, SameSite, Secure in
// production), the audit log's append-only trigger, the body size
// limit, and that passwords, tokens and session cookies never reach the logs.
import express from 'express';
import { createAuth } from '../../api/auth';
import { hashPassword } from '../../core/passwords';
import { FormClient } from '../support/form-client';
import { freePort } from '../support/ports';
import { DEMO_PASSWORD, startStack, type Stack } from '../support/stack';

const logLines: string[] = [];
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ worker: false, outbox: false, logLines });
});
afterAll(() => stack?.stop());

it('the session cookie is HttpOnly and SameSite=Lax; Secure when the app runs in production', async () => {
  const res = await fetch(`${stack.url}/login`);
  const form = await res.text();
  const csrf = form.match(/name="_csrf" value="([^"]+)"/)![1];
  const loginCookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const login = await fetch(`${stack.url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: loginCookie },
    body: new URLSearchParams({ _csrf: csrf, next: '', email: 'fallmanagement@kim.example', password: DEMO_PASSWORD }).toString(),
  });
  expect(login.status).toBe(303);
  const session = login.headers.getSetCookie().find((c) => c.startsWith('kim_session='))!;
  expect(session).toMatch(/; HttpOnly/);
  expect(session).toMatch(/; SameSite=Lax/);
  expect(session).not.toMatch(/; Secure/); // http://localhost in development

  // production (NODE_ENV=production → secureCookies, app/boot.ts): the same cookie with Secure
  const auth = createAuth(stack.db, { sessionHours: 1, secureCookies: true });
  const app = express().get('/x', (_req, r) => {
    auth.setSessionCookie(r, 'token', new Date(Date.now() + 60_000));
    r.end();
  });
  const port = await freePort();
  const server = app.listen(port, '127.0.0.1');
  try {
    const prod = (await fetch(`http://127.0.0.1:${port}/x`)).headers.getSetCookie()[0];
    expect(prod).toMatch(/; Secure/);
    expect(prod).toMatch(/; HttpOnly/);
  } finally {
    server.close();
  }
});

it('the audit log is append-only: the database refuses UPDATE and DELETE', async () => {
  const before = await stack.db.auditEvent.count();
  expect(before).toBeGreaterThan(0);
  await expect(stack.db.$executeRaw`UPDATE "AuditEvent" SET "action" = 'geändert'`).rejects.toThrow(
    /append-only|nicht erlaubt|not allowed|AuditEvent/i,
  );
  await expect(stack.db.$executeRaw`DELETE FROM "AuditEvent"`).rejects.toThrow(/append-only|nicht erlaubt|not allowed|AuditEvent/i);
  expect(await stack.db.auditEvent.count()).toBe(before);
  expect(await stack.db.auditEvent.count({ where: { action: 'geändert' } })).toBe(0);
});

it('a body over the limit gets 413 with a German message and writes nothing', async () => {
  const token = await stack.token('fallmanagement@kim.example');
  const persons = await stack.db.person.count();
  const r = await stack.api('POST', '/api/persons', { token, body: { firstName: 'A'.repeat(300_000), lastName: 'B' } });
  expect(r.status).toBe(413);
  expect(r.body.error.message).toEqual(expect.stringMatching(/[äöüÄÖÜß]|zu groß/));
  expect(await stack.db.person.count()).toBe(persons);
});

it('passwords, tokens and session cookies never reach the logs (every line of this file’s app, at debug level)', async () => {
  const password = 'Kennwort-Qx7Zr9-Lang';
  await stack.db.user.update({ where: { email: 'leitung@kim.example' }, data: { passwordHash: await hashPassword(password) } });
  const token = await stack.token('leitung@kim.example', password);
  await stack.api('GET', '/api/processes', { token });
  await stack.api('POST', '/api/session', { body: { email: 'leitung@kim.example', password: 'Geheim-Falsch-4711' } });
  const b = new FormClient(stack.url);
  expect((await b.login('leitung@kim.example', password)).status).toBe(303);
  expect((await b.get('/faelle')).status).toBe(200);
  const cookie = b.cookies.get('kim_session')!;
  const all = logLines.join('\n');
  expect(all).toContain('"path":"/api/processes"'); // positive control: requests are logged
  for (const secret of [password, 'Geheim-Falsch-4711', token, cookie]) expect(all).not.toContain(secret);
});
