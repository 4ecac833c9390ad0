// Pages of the person's file and the closure rules on the real stack: the person edit form (field
// errors with input kept, a stale form → German message and nothing overwritten, a double submit saves
// once), the household form and the case page's household with children's ages; the caseworker's start
// page (due list oldest first, overdue in words); closure only without running chains or with their
// cancellation confirmed; reopening (audited); closure reasons on the dashboard; the shelter page.
import { FormClient, hidden } from '../support/form-client';
import { eventually, startStack, type Stack } from '../support/stack';
import { giveConsent } from '../support/consent';
import { startNewChainsOnV1 } from '../support/chain-versions';

// written for v1 of the shipped chains: new chains here start on v1 (v2: test/chains/chains-content.test.ts)
startNewChainsOnV1();

let stack: Stack;
let token: string;
let supervisor: string;
let b: FormClient;

beforeAll(async () => {
  stack = await startStack();
  token = await stack.token('fallmanagement@kim.example');
  supervisor = await stack.token('leitung@kim.example');
  b = new FormClient(stack.url);
  await b.login('fallmanagement@kim.example');
});
afterAll(() => stack?.stop());

async function newCase(lastName = 'Formular') {
  const p = await stack.api('POST', '/api/persons', { token, body: { firstName: 'Rita', lastName, benefitType: 'asylblg' } });
  const c = await stack.api('POST', '/api/cases', { token, body: { personId: p.body.id, topic: 'housing' } });
  expect(c.status).toBe(201);
  return { personId: p.body.id as string, caseId: c.body.id as string, reference: c.body.reference as string };
}

/** every input of the page's first form as its values (text, hidden, checked boxes, selected options) */
function formOf(html: string, action: string): Record<string, string> {
  const form = html.slice(html.indexOf(`action="${action}"`), html.indexOf('</form>', html.indexOf(`action="${action}"`)));
  const out: Record<string, string> = {};
  for (const m of form.matchAll(/<input ([^>]*)>/g)) {
    const name = /name="([^"]*)"/.exec(m[1])?.[1];
    const value = /value="([^"]*)"/.exec(m[1])?.[1] ?? '';
    if (!name) continue;
    if (/type="checkbox"/.test(m[1]) && !/ checked/.test(m[1])) continue;
    out[name] = value
      .replace(/&amp;/g, '&')
      .replace(/&#39;/g, "'")
      .replace(/&quot;/g, '"');
  }
  for (const m of form.matchAll(/<select id="[^"]*" name="([^"]*)"[^>]*>([\s\S]*?)<\/select>/g))
    out[m[1]] = /<option value="([^"]*)" selected>/.exec(m[2])?.[1] ?? '';
  for (const m of form.matchAll(/<textarea id="[^"]*" name="([^"]*)"[^>]*>([\s\S]*?)<\/textarea>/g)) out[m[1]] = m[2];
  return out;
}

describe('person edit form', () => {
  it('saves, shows errors at the field with the input kept, refuses a stale form, saves a double submit once', async () => {
    const { personId, caseId } = await newCase();
    const path = `/personen/${personId}`;
    const page = await b.get(path);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<label for="f-letterLanguage">Sprache für Briefe</label>');
    const form = formOf(page.text, path);
    expect(form.version).toBe('1');

    // bad input: messages at the fields, input kept, nothing written
    const bad = await b.post(path, { ...form, languages: 'arabisch', email: 'kein-at', obligation12a: 'on', obligation12aPlace: '' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('class="error-summary"');
    expect(bad.text).toMatch(/id="f-languages-error">[^<]*ISO-639-1/);
    expect(bad.text).toMatch(/id="f-email-error">[^<]*E-Mail ist ungültig/);
    expect(bad.text).toMatch(/id="f-obligation12aPlace-error">[^<]*Ort der Wohnsitzauflage/);
    expect(bad.text).toContain('value="arabisch"');
    expect((await stack.db.person.findUniqueOrThrow({ where: { id: personId } })).version).toBe(1);

    // good input
    const good = {
      ...form,
      languages: 'ar, de',
      letterLanguage: 'ar',
      interpreterNeeded: 'on',
      phone: '02202 123',
      residenceTitle: 'toleration',
    };
    const ok = await b.post(path, good);
    expect(ok.status).toBe(303);
    expect(ok.location).toBe(`${path}?ok=gespeichert`);
    // the same form again (double click): saved once, no stale message
    const twice = await b.post(path, good);
    expect(twice.status).toBe(303);
    const p = await stack.db.person.findUniqueOrThrow({ where: { id: personId } });
    expect(p).toMatchObject({
      version: 2,
      languages: ['ar', 'de'],
      letterLanguage: 'ar',
      interpreterNeeded: true,
      residenceTitle: 'toleration',
    });

    // a stale form (another tab with version 1, another key): 409, message, nothing overwritten
    const stale = await b.post(path, { ...form, _key: crypto.randomUUID(), lastName: 'Überschrieben' });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('inzwischen von jemand anderem geändert');
    expect(stale.text).toContain('value="Überschrieben"'); // the input stays
    expect(await stack.db.person.findUniqueOrThrow({ where: { id: personId } })).toEqual(p);

    // the case page links to it
    expect((await b.get(`/faelle/${caseId}`)).text).toContain(`href="/personen/${personId}"`);
  });

  it('adds household members (double submit once); the case page shows the size and children’s ages', async () => {
    const { personId, caseId } = await newCase('Haushalt');
    const path = `/personen/${personId}`;
    const page = await b.get(path);
    const key = formOf(page.text, `${path}/haushalt`)._key;
    const csrf = hidden(page.text, '_csrf');
    const kid = new Date();
    kid.setUTCFullYear(kid.getUTCFullYear() - 4);
    kid.setUTCDate(kid.getUTCDate() - 2);
    const body = {
      _csrf: csrf,
      _key: key,
      memberFirstName: 'Mia',
      memberLastName: 'Haushalt',
      memberBirthDate: kid.toISOString().slice(0, 10),
      relationship: 'child',
    };
    const [r1, r2] = await Promise.all([b.post(`${path}/haushalt`, body), b.post(`${path}/haushalt`, body)]);
    expect([r1.status, r2.status]).toEqual([303, 303]);
    expect(await stack.db.householdMember.count({ where: { personId } })).toBe(1);

    const bad = await b.post(`${path}/haushalt`, { ...body, _key: crypto.randomUUID(), relationship: '', memberBirthDate: '' });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/id="f-relationship-error">[^<]*Beziehung/);
    expect(bad.text).toMatch(/id="f-memberBirthDate-error">[^<]*Geburtsdatum/);
    expect(await stack.db.householdMember.count({ where: { personId } })).toBe(1);

    const casePage = await b.get(`/faelle/${caseId}`);
    expect(casePage.text).toContain('2 Personen, davon 1 Kind (4 J.)');
    expect(casePage.text).toContain('Mia Haushalt – Kind, 4 Jahre');
  });
});

describe('start page', () => {
  it('lists my cases and what is due next, oldest first, overdue in words; search goes to the case list', async () => {
    const a = await newCase('Start-A');
    const z = await newCase('Start-Z');
    // a follow-up in the future, another one made overdue in the database
    const soon = new Date(Date.now() + 3 * 86_400_000).toISOString();
    expect((await stack.api('POST', `/api/cases/${a.caseId}/follow-ups`, { token, body: { dueAt: soon } })).status).toBe(201);
    expect((await stack.api('POST', `/api/cases/${z.caseId}/follow-ups`, { token, body: { dueAt: soon } })).status).toBe(201);
    await stack.db.followUp.updateMany({ where: { caseId: z.caseId }, data: { dueAt: new Date(Date.now() - 86_400_000) } });

    // the help plan in force: its review (made overdue) and its action; a replaced version is not listed
    const plan = async (version: string) =>
      stack.api('POST', `/api/cases/${z.caseId}/plans`, {
        token,
        body: {
          goals: [{ area: 'housing', text: `Wohnung ${version}`, targetDate: '2099-06-30' }],
          actions: [{ text: `Termin Wohnungsamt ${version}`, owner: 'caseworker', dueDate: '2099-05-01' }],
          reviewDate: '2099-06-01',
        },
      });
    expect((await plan('alt')).status).toBe(201);
    const current = await plan('neu');
    expect(current.status).toBe(201);
    await stack.db.plan.update({ where: { id: current.body.id }, data: { reviewDate: new Date(Date.now() - 2 * 86_400_000) } });

    // a partner whose regular contact (every 6 weeks) I keep, last contacted 50 days ago; another's partner not
    const me = await stack.db.user.findUniqueOrThrow({ where: { email: 'fallmanagement@kim.example' } });
    const contact = { kind: 'housing_company' as const, contactEveryDays: 42, lastContactAt: new Date(Date.now() - 50 * 86_400_000) };
    await stack.db.partner.create({ data: { ...contact, name: 'Wohnbau Regelkontakt eG', responsibleId: me.id, createdById: me.id } });
    await stack.db.partner.create({ data: { ...contact, name: 'Fremder Partner eG', responsibleId: null, createdById: me.id } });

    const home = await b.get('/');
    expect(home.status).toBe(200);
    expect(home.text).toContain('<h2 id="h-faellig">Als Nächstes fällig</h2>');
    const partner = home.text.indexOf('Wohnbau Regelkontakt eG');
    expect(partner).toBeGreaterThan(0);
    const partnerRow = home.text.slice(home.text.lastIndexOf('<tr', partner), home.text.indexOf('</tr>', partner));
    expect(partnerRow).toContain('(überfällig)');
    expect(partnerRow).toContain('Regelkontakt mit dem Partner');
    expect(home.text).not.toContain('Fremder Partner eG');
    const review = home.text.indexOf(`Hilfeplan (Fassung ${current.body.version}): Überprüfung`);
    expect(review).toBeGreaterThan(0);
    const row = home.text.slice(home.text.lastIndexOf('<tr', review), home.text.indexOf('</tr>', review));
    expect(row).toContain('(überfällig)');
    expect(home.text).toContain('Maßnahme (Fallmanagement): Termin Wohnungsamt neu');
    expect(home.text).not.toContain('Termin Wohnungsamt alt');
    const iz = home.text.indexOf(z.reference);
    const ia = home.text.indexOf(a.reference);
    expect(iz).toBeGreaterThan(0);
    expect(iz).toBeLessThan(ia); // the overdue one first
    expect(home.text.slice(iz - 200, iz)).toContain('(überfällig)');
    expect(home.text).toContain('action="/faelle"');
    expect(home.text).toContain('Start-A, Rita');
    // a supervisor's / goes to the case list
    const sv = new FormClient(stack.url);
    await sv.login('leitung@kim.example');
    expect((await sv.get('/')).location).toBe('/faelle');
  });
});

describe('closure', () => {
  it('refuses closing while a chain runs; closes with the cancellation confirmed; reopens (audited); reasons on the dashboard', async () => {
    const { caseId } = await newCase('Abschluss');
    await giveConsent(stack, token, caseId);
    const chain = await stack.api('POST', `/api/cases/${caseId}/chains`, { token, body: { type: 'move-out' } });
    expect(chain.status).toBe(201);
    const close = { status: 'closed', closureCode: 'own_flat', reason: 'Wohnung gefunden' };
    const refused = await stack.api('POST', `/api/cases/${caseId}/status`, { token, body: close });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('eine Kette läuft');
    expect((await stack.db.case.findUniqueOrThrow({ where: { id: caseId } })).status).not.toBe('closed');

    // the page: the box to confirm the cancellation
    const page = await b.get(`/faelle/${caseId}`);
    expect(page.text).toContain('Beim Abschließen die laufende Kette abbrechen');
    const r = await b.post(`/faelle/${caseId}/status`, { _csrf: hidden(page.text, '_csrf'), ...close, cancelChains: 'on' });
    expect(r.status).toBe(303);
    await eventually(
      async () => (await stack.db.process.findUniqueOrThrow({ where: { id: chain.body.id } })).status === 'cancelled' || undefined,
    );
    await eventually(async () => (await stack.db.case.findUniqueOrThrow({ where: { id: caseId } })).status === 'closed' || undefined);

    const dash = await stack.api('GET', '/api/dashboard', { token: supervisor });
    expect(dash.body.closureReasons.find((x: { code: string }) => x.code === 'own_flat').count).toBeGreaterThanOrEqual(1);

    // reopen
    const closedPage = await b.get(`/faelle/${caseId}`);
    expect(closedPage.text).toContain('Fall wieder öffnen');
    const re = await stack.api('POST', `/api/cases/${caseId}/status`, { token, body: { status: 'in_progress', reason: 'Rückfall' } });
    expect(re.status).toBe(200);
    const c = await stack.db.case.findUniqueOrThrow({ where: { id: caseId } });
    expect(c).toMatchObject({ status: 'in_progress', closedAt: null });
    expect(await stack.db.auditEvent.count({ where: { action: 'case.reopen', caseId } })).toBe(1);
    // the case workflow runs again: a further status change goes through it
    expect((await stack.api('POST', `/api/cases/${caseId}/status`, { token, body: { status: 'on_hold' } })).status).toBe(200);
    const g = await stack.api('GET', `/api/cases/${caseId}`, { token });
    expect(g.body.status).toBe('on_hold');
    expect(g.body.closureCode).toBeNull();
  });
});

it('the shelter page shows occupancy and who waits longest (supervisor)', async () => {
  const s = await stack.api('POST', '/api/shelters', { token: supervisor, body: { name: 'NU Seite', capacity: 2 } });
  const { personId, reference } = await newCase('Wartend');
  expect(
    (await stack.api('PUT', `/api/persons/${personId}/shelter-place`, { token, body: { shelterId: s.body.id, since: '2024-01-02' } }))
      .status,
  ).toBe(200);
  const sv = new FormClient(stack.url);
  await sv.login('leitung@kim.example');
  const page = await sv.get('/leitung/unterkuenfte');
  expect(page.status).toBe(200);
  expect(page.text).toContain('<th scope="row">NU Seite</th><td>2</td><td>1</td><td>1</td>');
  expect(page.text).toContain(reference);
  expect(page.text).toContain('02.01.2024');
});
