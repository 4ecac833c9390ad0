// Issue 12, point 3: the JSON API accepted the browser's session cookie for writes without CSRF
// protection. Now a cookie-authenticated POST/PUT/PATCH/DELETE to /api/* needs the session's CSRF token
// (X-CSRF-Token) or this app's own Origin, else 403 with a German message; bearer tokens are unaffected.
// With secure cookies the session cookie is named __Host-kim_session.
import { FormClient, hidden } from '../support/form-client';
import { startSecondApp } from '../support/second-app';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ worker: false, outbox: false });
});
afterAll(() => stack?.stop());

const person = { firstName: 'Amina', lastName: 'Yilmaz' };
const post = (headers: Record<string, string>) =>
  fetch(`${stack.url}/api/persons`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(person),
  });

it('a cookie-authenticated API write needs the CSRF header or the own Origin; a bearer token does not', async () => {
  const b = new FormClient(stack.url);
  expect((await b.login('fallmanagement@kim.example')).status).toBe(303);
  const cookie = `kim_session=${b.cookies.get('kim_session')}`;
  const csrf = hidden((await b.get('/personen/neu')).text, '_csrf');
  const before = await stack.db.person.count();

  const attempts: Record<string, string>[] = [
    { cookie },
    { cookie, 'x-csrf-token': 'x'.repeat(csrf.length) },
    { cookie, origin: 'https://angreifer.example' },
    { cookie, origin: 'null' },
  ];
  for (const headers of attempts) {
    const r = await post(headers);
    expect({ headers, status: r.status }).toEqual({ headers, status: 403 });
    const body = await r.json();
    expect(body.error.message).toMatch(/CSRF/);
    expect(body.error.message).toMatch(/Schreibzugriffe mit dem Sitzungs-Cookie/);
  }
  const del = await fetch(`${stack.url}/api/session`, { method: 'DELETE', headers: { cookie } });
  expect(del.status).toBe(403);
  expect(await stack.db.person.count()).toBe(before);

  expect((await post({ cookie, 'x-csrf-token': csrf })).status).toBe(201);
  expect((await post({ cookie, origin: new URL(stack.url).origin })).status).toBe(201);
  expect((await post({ authorization: `Bearer ${await stack.token('fallmanagement@kim.example')}` })).status).toBe(201);
  expect(await stack.db.person.count()).toBe(before + 3);
  // reads stay as they were
  expect((await fetch(`${stack.url}/api/cases`, { headers: { cookie } })).status).toBe(200);
});

it('with secure cookies the session cookie is __Host-kim_session (Secure, path /, no Domain); the plain name is not accepted there', async () => {
  const second = await startSecondApp(stack, { secureCookies: true });
  const url = second.url;
  try {
    const b = new FormClient(url);
    const login = await b.login('fallmanagement@kim.example');
    expect(login.status).toBe(303);
    const set = login.headers.getSetCookie().find((c) => c.startsWith('__Host-kim_session='))!;
    expect(set).toMatch(/; Path=\//);
    expect(set).toMatch(/; Secure/);
    expect(set).not.toMatch(/Domain=/i);
    expect((await b.get('/faelle')).status).toBe(200);
    const token = b.cookies.get('__Host-kim_session')!;
    expect((await fetch(`${url}/faelle`, { redirect: 'manual', headers: { cookie: `kim_session=${token}` } })).status).toBe(303);
  } finally {
    await second.close();
  }
});
