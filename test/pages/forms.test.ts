// The HTML forms without a browser: plain fetch with a small cookie jar against the full stack.
// CSRF (session token on every form, double-submit cookie on the login form), the login redirect,
// idempotent double submits, output escaping of hostile names, and the Content-Security-Policy.
import { berlinLocalToIso } from '../../core/format/dates';
import { DEMO_PASSWORD, startStack, type Stack } from '../support/stack';
import { FormClient, hidden, type Reply } from '../support/form-client';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ outbox: false });
});
afterAll(() => stack?.stop());

const CASEWORKER = 'fallmanagement@kim.example';
const XSS = '<script>alert(1)</script>';
const SQL = '"; DROP TABLE "Person"; --';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

/** A browser stand-in bound to this file's stack. */
class Browser extends FormClient {
  constructor() {
    super(stack.url);
  }
}

async function login(email = CASEWORKER): Promise<Browser> {
  const b = new Browser();
  expect(await b.login(email)).toMatchObject({ status: 303, location: '/faelle' });
  expect(b.cookies.has('kim_session')).toBe(true);
  return b;
}

/** Fills the new-person form like a browser: the page's hidden _csrf and _key, then the fields. */
async function createPerson(b: Browser, firstName: string, lastName: string): Promise<string> {
  const form = await b.get('/personen/neu');
  expect(form.status).toBe(200);
  const r = await b.post('/personen/neu', {
    _csrf: hidden(form.text, '_csrf'),
    _key: hidden(form.text, '_key'),
    firstName,
    lastName,
    birthDate: '',
    householdSize: '',
    shelterId: '',
    benefitType: 'none',
  });
  expect(r.status).toBe(303);
  const id = new URL(r.location!, stack.url).searchParams.get('personId');
  expect(id).toMatch(UUID);
  return id!;
}

async function newCaseForm(b: Browser, personId: string) {
  const form = await b.get(`/faelle/neu?personId=${personId}`);
  expect(form.status).toBe(200);
  return { _csrf: hidden(form.text, '_csrf'), _key: hidden(form.text, '_key'), personId, topic: 'housing' };
}

describe('CSRF', () => {
  it('a form post with a valid session but a missing or wrong _csrf gets 403 and writes nothing', async () => {
    const b = await login();
    const other = await login();
    const form = await b.get('/personen/neu');
    const fields = { _key: hidden(form.text, '_key'), firstName: 'Amina', lastName: 'Yilmaz', benefitType: 'none' };
    const before = await stack.db.person.count();

    for (const csrf of [undefined, '', 'x'.repeat(32), hidden((await other.get('/personen/neu')).text, '_csrf')]) {
      const r = await b.post('/personen/neu', csrf === undefined ? fields : { ...fields, _csrf: csrf });
      expect({ csrf, status: r.status }).toEqual({ csrf, status: 403 });
      expect(r.text).toContain('Das Formular ist abgelaufen oder ungültig.');
    }
    // The same as JSON, which the app also parses on this route.
    const json = await fetch(`${stack.url}/personen/neu`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/json', cookie: `kim_session=${b.cookies.get('kim_session')}` },
      body: JSON.stringify(fields),
    });
    expect(json.status).toBe(403);
    expect(await stack.db.person.count()).toBe(before);

    // Control: the page's own token goes through.
    const ok = await b.post('/personen/neu', { ...fields, _csrf: hidden(form.text, '_csrf') });
    expect(ok.status).toBe(303);
    expect(await stack.db.person.count()).toBe(before + 1);
  });

  it('a login post without the login CSRF cookie (or with another token) gets 403 and opens no session', async () => {
    const sessions = await stack.db.session.count();
    const b = new Browser();
    const token = hidden((await b.get('/login')).text, '_csrf');
    expect(b.cookies.get('kim_login_csrf')).toBe(token);

    b.cookies.delete('kim_login_csrf');
    const noCookie = await b.post('/login', { _csrf: token, email: CASEWORKER, password: DEMO_PASSWORD });
    expect(noCookie.status).toBe(403);
    expect(noCookie.text).toContain('Das Formular ist abgelaufen. Bitte erneut anmelden.');

    const c = new Browser();
    await c.get('/login');
    const wrong = await c.post('/login', { _csrf: 'y'.repeat(32), email: CASEWORKER, password: DEMO_PASSWORD });
    expect(wrong.status).toBe(403);
    for (const x of [b, c]) expect(x.cookies.has('kim_session')).toBe(false);
    expect(await stack.db.session.count()).toBe(sessions);
  });

  it('the login form on screen keeps working after other unauthenticated requests (second tab, /favicon.ico)', async () => {
    const b = new Browser();
    const token = hidden((await b.get('/login')).text, '_csrf');
    expect(await b.get('/favicon.ico')).toMatchObject({ status: 303, location: expect.stringMatching(/^\/login/) });
    await b.get('/login?next=%2Ffaelle');
    const r = await b.post('/login', { _csrf: token, email: CASEWORKER, password: DEMO_PASSWORD });
    expect(r).toMatchObject({ status: 303, location: '/faelle' });
  });

  it('unauthenticated: GET /faelle redirects to the login page, a form post writes nothing', async () => {
    const b = new Browser();
    expect(await b.get('/faelle')).toMatchObject({ status: 303, location: '/login?next=%2Ffaelle' });
    const before = await stack.db.person.count();
    expect(await b.post('/personen/neu', { firstName: 'A', lastName: 'B' })).toMatchObject({ status: 303, location: '/login' });
    expect(await stack.db.person.count()).toBe(before);
  });

  it('login keeps only a local "next" target', async () => {
    for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example']) {
      const b = new Browser();
      const token = hidden((await b.get('/login')).text, '_csrf');
      const r = await b.post('/login', { _csrf: token, next, email: CASEWORKER, password: DEMO_PASSWORD });
      expect({ next, location: r.location }).toEqual({ next, location: '/faelle' });
    }
  });
});

describe('double submit', () => {
  it('posting the new-person form twice with the same _key creates one person', async () => {
    const b = await login();
    const form = await b.get('/personen/neu');
    const fields = { _csrf: hidden(form.text, '_csrf'), _key: hidden(form.text, '_key'), firstName: 'Doppelt', lastName: 'Person' };
    const before = await stack.db.person.count();
    const [r1, r2] = [await b.post('/personen/neu', fields), await b.post('/personen/neu', fields)];
    expect(r1.status).toBe(303);
    expect(r2).toMatchObject({ status: 303, location: r1.location });
    expect(await stack.db.person.count()).toBe(before + 1);
  });

  it('posting the new-case form twice with the same hidden _key creates exactly one case (one after the other and at once)', async () => {
    const b = await login();
    const personId = await createPerson(b, 'Ilyas', 'Haddad');

    const fields = await newCaseForm(b, personId);
    const r1 = await b.post('/faelle/neu', fields);
    const r2 = await b.post('/faelle/neu', fields);
    expect(r1.location).toMatch(new RegExp(`^/faelle/${UUID.source}$`));
    expect(r2).toMatchObject({ status: 303, location: r1.location });
    expect(await stack.db.case.count({ where: { personId } })).toBe(1);

    const again = await newCaseForm(b, personId);
    const [c1, c2] = await Promise.all([b.post('/faelle/neu', again), b.post('/faelle/neu', again)]);
    expect(c1.status).toBe(303);
    expect(c2).toMatchObject({ status: 303, location: c1.location });
    expect(c1.location).not.toBe(r1.location);
    expect(await stack.db.case.count({ where: { personId } })).toBe(2);
  });
});

describe('output escaping', () => {
  it(`a person named ${XSS} ${SQL} is shown escaped in the case list, the case page and the forms; the table still exists`, async () => {
    const b = await login();
    const personId = await createPerson(b, XSS, SQL);
    const r = await b.post('/faelle/neu', await newCaseForm(b, personId));
    expect(r.status).toBe(303);
    const casePath = r.location!;

    const stored = await stack.db.person.findUniqueOrThrow({ where: { id: personId } });
    expect(stored).toMatchObject({ firstName: XSS, lastName: SQL }); // stored as data, unchanged

    for (const path of ['/faelle', casePath, `/faelle/neu?personId=${personId}`]) {
      const page = await b.get(path);
      expect({ path, status: page.status }).toEqual({ path, status: 200 });
      expect(page.text).not.toContain(XSS);
      expect(page.text).not.toContain(SQL);
      expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(page.text).toContain('&quot;; DROP TABLE &quot;Person&quot;; --');
      expect(page.text.match(/<script\b[^>]*>/g)).toEqual(['<script src="/static/app.js" defer>']);
    }

    const [{ table }] = await stack.db.$queryRaw<{ table: string | null }[]>`SELECT to_regclass('public."Person"')::text AS "table"`;
    expect(table).toBe('"Person"');
    expect(await stack.db.person.count({ where: { id: personId } })).toBe(1);
  });

  it('a form that comes back with errors escapes what was typed', async () => {
    const b = await login();
    const form = await b.get('/personen/neu');
    const before = await stack.db.person.count();
    const hostile = `"><script>alert(2)</script>`;
    const r = await b.post('/personen/neu', {
      _csrf: hidden(form.text, '_csrf'),
      _key: hidden(form.text, '_key'),
      firstName: hostile,
      lastName: '',
    });
    expect(r.status).toBe(400);
    expect(r.text).not.toContain('<script>alert(2)');
    expect(r.text).toContain('value="&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;"');
    expect(r.text).toContain('Nachname fehlt');
    expect(await stack.db.person.count()).toBe(before);
  });
});

describe('follow-up form on the case page', () => {
  it('asks for a date and time in German, keeps what was typed and writes nothing on an error', async () => {
    const b = await login();
    const personId = await createPerson(b, 'Wieder', 'Vorlage');
    const casePath = (await b.post('/faelle/neu', await newCaseForm(b, personId))).location!;
    const caseId = casePath.split('/').pop()!;
    const csrf = hidden((await b.get(casePath)).text, '_csrf');

    const empty = await b.post(`${casePath}/wiedervorlage`, { _csrf: csrf, dueAt: '', note: 'Termin' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Wiedervorlage am: bitte Datum und Uhrzeit angeben');
    expect(empty.text).not.toContain('ISO');
    expect(empty.text).toContain('<title>Fehler: Fall KIM-');

    const past = await b.post(`${casePath}/wiedervorlage`, { _csrf: csrf, dueAt: '2020-01-02T09:00', note: 'zu spät' });
    expect(past.status).toBe(400);
    expect(past.text).toContain('Wiedervorlage muss in der Zukunft liegen');
    expect(past.text).toContain('value="2020-01-02T09:00"');
    expect(past.text).toContain('value="zu spät"');
    expect(await stack.db.followUp.count({ where: { caseId } })).toBe(0);
  });

  it.each([
    ['2026-01-15T09:00', '2026-01-15T08:00:00.000Z'],
    ['2026-07-15T09:00', '2026-07-15T07:00:00.000Z'],
    ['2026-07-15T09:00:30', '2026-07-15T07:00:30.000Z'],
    ['2026-03-29T01:30', '2026-03-29T00:30:00.000Z'], // before the spring switch (CET)
    ['2026-03-29T02:30', '2026-03-29T01:30:00.000Z'], // does not exist: one hour later
    ['2026-03-29T03:30', '2026-03-29T01:30:00.000Z'], // after the switch (CEST)
    ['2026-10-25T01:30', '2026-10-24T23:30:00.000Z'], // still CEST
    ['2026-10-25T03:30', '2026-10-25T02:30:00.000Z'], // CET again
  ])('berlinLocalToIso(%s) = %s', (local, iso) => {
    expect(berlinLocalToIso(local)).toBe(iso);
  });

  it.each(['', '2026-02-30T09:00', '15.01.2026 09:00', '2026-01-15 09:00', '2026-01-15T25:00'])(
    'berlinLocalToIso(%j) is undefined',
    (local) => {
      expect(berlinLocalToIso(local)).toBeUndefined();
    },
  );
});

describe('Content-Security-Policy', () => {
  const directives = (h: string | null) =>
    new Map(
      (h ?? '')
        .split(';')
        .map((d) => d.trim())
        .filter(Boolean)
        .map((d): [string, string[]] => {
          const [k, ...v] = d.split(/\s+/);
          return [k.toLowerCase(), v];
        }),
    );

  it('forbids inline scripts on every kind of page, and the pages have none', async () => {
    const b = await login();
    const anon = new Browser();
    const pages: Array<[string, Reply]> = [
      ['/login', await anon.get('/login')],
      ['/faelle', await b.get('/faelle')],
      ['/personen/neu', await b.get('/personen/neu')],
      ['404', await b.get('/gibt-es-nicht')],
    ];
    for (const [path, r] of pages) {
      const csp = directives(r.headers.get('content-security-policy'));
      const scriptSrc = csp.get('script-src') ?? csp.get('default-src');
      expect({ path, scriptSrc }).toEqual({ path, scriptSrc: ["'self'"] });
      expect(scriptSrc).not.toContain("'unsafe-inline'");
      expect(csp.get('script-src-attr') ?? ["'none'"]).not.toContain("'unsafe-inline'");
      expect(csp.get('object-src')).toEqual(["'none'"]);
      expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
      // Nothing on the page needs 'unsafe-inline': no inline scripts, no event handler attributes.
      for (const tag of r.text.match(/<script\b[^>]*>/g) ?? []) expect(tag).toMatch(/\ssrc="\/static\//);
      expect(r.text).not.toMatch(/<[^>]+\son[a-z]+\s*=/i);
      expect(r.text).not.toMatch(/javascript:/i);
    }
  });
});
