// The German partner pages (issue 15) on the real stack: „Neuer Partner“ (field error at the field with
// the input kept and nothing written; the corrected form sent twice → one partner), the partner's page
// with contact persons, agreements and the overdue regular contact, editing, the contact log, the
// landlord's form link (sent → the mail in the SMTP capture; revoked → the link answers 410) and
// „Wohnung erfassen“ by the caseworker with the landlord form's fields.
import { FormClient, hidden } from '../support/form-client';
import { eventually, startStack, type Stack } from '../support/stack';

let stack: Stack;
let page: FormClient;

beforeAll(async () => {
  stack = await startStack();
  page = new FormClient(stack.url);
  expect((await page.login('fallmanagement@kim.example')).status).toBe(303);
}, 120_000);
afterAll(() => stack?.stop());

/** the hidden fields (_csrf, _key) of the form posting to `action` on the page at `path` */
async function formOf(path: string, action: string) {
  const r = await page.get(path);
  expect(r.status).toBe(200);
  const at = r.text.indexOf(`action="${action}"`);
  expect(at).toBeGreaterThan(-1);
  const form = r.text.slice(at, r.text.indexOf('</form>', at));
  return { _csrf: hidden(form, '_csrf'), _key: hidden(form, '_key') };
}

const PARTNER = {
  kind: 'housing_company',
  name: 'Wohnbau Rhein-Berg eG',
  email: 'vermietung@rheinberg.example',
  phone: '02202 1234',
  address: 'Hauptstraße 1, 51465 Bergisch Gladbach',
  areas: 'Bensberg, Refrath',
  contactPersons: 'Frau Kaya; Vermietung; kaya@rheinberg.example\nHerr Brandt',
  agreements: 'Kooperationsvereinbarung; 01.01.2026; 31.12.2027',
  contactWeeks: '6',
  responsibleId: '',
};

let partnerId: string;

it('Neuer Partner: field errors at the field, input kept, nothing written; double submit → one partner; the page shows it all; edit', async () => {
  const list = await page.get('/bestand/partner');
  expect(list.status).toBe(200);
  expect(list.text).toContain('href="/bestand/partner/neu"');

  const form = await formOf('/bestand/partner/neu', '/bestand/partner/neu');
  const bad = await page.post('/bestand/partner/neu', {
    ...form,
    ...PARTNER,
    contactWeeks: 'sechs',
    agreements: 'Kooperation; 2026-13-45',
  });
  expect(bad.status).toBe(400);
  expect(bad.text).toContain('class="error-summary"');
  expect(bad.text).toContain('id="f-contactWeeks-error"');
  expect(bad.text).toMatch(/id="f-agreements-error">Vereinbarungen, Zeile 1: /);
  expect(bad.text).toContain('value="Wohnbau Rhein-Berg eG"');
  expect(bad.text).toContain(`name="_key" value="${form._key}"`);
  expect(await stack.db.partner.count()).toBe(0);

  const body = { ...form, ...PARTNER };
  const [r1, r2] = await Promise.all([page.post('/bestand/partner/neu', body), page.post('/bestand/partner/neu', body)]);
  expect([r1.status, r2.status]).toEqual([303, 303]);
  expect(r1.location).toBe(r2.location);
  expect(await stack.db.partner.count()).toBe(1);
  const p = await stack.db.partner.findFirstOrThrow();
  partnerId = p.id;
  expect(p).toMatchObject({ kind: 'housing_company', areas: ['Bensberg', 'Refrath'], contactEveryDays: 42 });
  expect(p.contactPersons).toEqual([{ name: 'Frau Kaya', role: 'Vermietung', email: 'kaya@rheinberg.example' }, { name: 'Herr Brandt' }]);
  expect(p.agreements).toEqual([{ title: 'Kooperationsvereinbarung', from: '2026-01-01', until: '2027-12-31' }]);
  const me = await stack.db.user.findUniqueOrThrow({ where: { email: 'fallmanagement@kim.example' } });
  expect(p.responsibleId).toBe(me.id);

  const detail = await page.get(r1.location!);
  expect(detail.text).toContain('Partner angelegt.');
  expect(detail.text).toContain('Frau Kaya (Vermietung)');
  expect(detail.text).toContain('Kooperationsvereinbarung: ab 01.01.2026 bis 31.12.2027');
  expect(detail.text).toContain('alle 6 Wochen');

  // edit: the form comes filled; a change is kept
  const edit = await page.get(`/bestand/partner/${partnerId}/bearbeiten`);
  expect(edit.text).toContain('value="Bensberg, Refrath"');
  const ef = await formOf(`/bestand/partner/${partnerId}/bearbeiten`, `/bestand/partner/${partnerId}/bearbeiten`);
  const saved = await page.post(`/bestand/partner/${partnerId}/bearbeiten`, {
    ...ef,
    ...PARTNER,
    areas: 'Bensberg, Refrath, Moitzfeld',
    contactWeeks: '4',
  });
  expect(saved.status).toBe(303);
  const after = await stack.db.partner.findUniqueOrThrow({ where: { id: partnerId } });
  expect(after).toMatchObject({ areas: ['Bensberg', 'Refrath', 'Moitzfeld'], contactEveryDays: 28, responsibleId: me.id });
}, 60_000);

it('contact log: an entry from the form, field error keeps the input; overdue contact shown when the rhythm is exceeded', async () => {
  // created now with a 4-week rhythm: make it overdue (created 60 days ago, no contact yet)
  await stack.db.partner.update({ where: { id: partnerId }, data: { createdAt: new Date(Date.now() - 60 * 86_400_000) } });
  let detail = await page.get(`/bestand/partner/${partnerId}`);
  expect(detail.text).toContain('Regelkontakt überfällig');
  const list = await page.get('/bestand/partner');
  expect(list.text).toMatch(/Wohnbau Rhein-Berg eG<\/a> – fällig seit/);

  const form = await formOf(`/bestand/partner/${partnerId}`, `/bestand/partner/${partnerId}/kontakte`);
  const bad = await page.post(`/bestand/partner/${partnerId}/kontakte`, { ...form, at: '2026-11-20', kind: '', topic: 'Belegung Neubau' });
  expect(bad.status).toBe(400);
  expect(bad.text).toContain('id="f-kind-error"');
  expect(bad.text).toContain('value="Belegung Neubau"');
  expect(await stack.db.partnerContact.count()).toBe(0);

  const entry = { ...form, at: '2026-11-20', kind: 'phone', topic: 'Belegung Neubau', outcome: 'Zwei Wohnungen ab Januar' };
  const [r1, r2] = await Promise.all([
    page.post(`/bestand/partner/${partnerId}/kontakte`, entry),
    page.post(`/bestand/partner/${partnerId}/kontakte`, entry),
  ]);
  expect([r1.status, r2.status]).toEqual([303, 303]);
  expect(await stack.db.partnerContact.count()).toBe(1);
  detail = await page.get(r1.location!);
  expect(detail.text).toContain('Kontakt festgehalten.');
  expect(detail.text).toContain('<td>Telefonat</td><th scope="row">Belegung Neubau</th><td>Zwei Wohnungen ab Januar</td>');
  expect(detail.text).toContain('20.11.2026');
  expect(detail.text).not.toContain('Regelkontakt überfällig');
}, 60_000);

it('Meldelink senden: the mail reaches the landlord; „Widerrufen“ → the link answers 410', async () => {
  const form = await formOf(`/bestand/partner/${partnerId}`, `/bestand/partner/${partnerId}/links`);
  const bad = await page.post(`/bestand/partner/${partnerId}/links`, { ...form, email: 'kein-mail', validDays: '7' });
  expect(bad.status).toBe(400);
  expect(bad.text).toContain('id="f-email-error"');
  expect(await stack.db.offerLink.count()).toBe(0);

  const sent = await page.post(`/bestand/partner/${partnerId}/links`, { ...form, email: '', validDays: '7' });
  expect(sent.status).toBe(303);
  expect(await stack.db.offerLink.count()).toBe(1);
  const mail = await eventually(() =>
    stack.capture.list({ to: 'vermietung@rheinberg.example' }).find((m) => m.text.includes('/vermieter/')),
  );
  const url = /https?:\/\/\S+\/vermieter\/\S+/.exec(mail.text)![0];
  const path = new URL(url).pathname;
  const landlord = new FormClient(stack.url);
  expect((await landlord.get(path)).status).toBe(200);

  let detail = await page.get(sent.location!);
  expect(detail.text).toContain('Meldelink gesendet.');
  expect(detail.text).toContain('<td>offen</td>');
  const link = await stack.db.offerLink.findFirstOrThrow();
  const revoke = await formOf(`/bestand/partner/${partnerId}`, `/bestand/partner/${partnerId}/links/${link.id}/widerrufen`);
  const r = await page.post(`/bestand/partner/${partnerId}/links/${link.id}/widerrufen`, revoke);
  expect(r.status).toBe(303);
  expect((await landlord.get(path)).status).toBe(410);
  detail = await page.get(`/bestand/partner/${partnerId}`);
  expect(detail.text).toContain('<td>widerrufen</td>');
}, 60_000);

it('Wohnung erfassen: field errors at the field, nothing written; the caseworker records a flat once', async () => {
  expect((await page.get('/bestand/wohnungen')).text).toContain('href="/bestand/wohnungen/neu"');
  const form = await formOf('/bestand/wohnungen/neu', '/bestand/wohnungen/neu');
  const flat = {
    partnerId,
    district: 'Bensberg',
    address: 'Schloßstraße 10, 2. OG links',
    rooms: '2,5',
    livingSpace: '61',
    coldRent: '520',
    serviceCharges: '140',
    heating: '',
    availableFrom: '2027-01-01',
    wbsRequired: 'on',
    conditions: '',
  };
  const bad = await page.post('/bestand/wohnungen/neu', { ...form, ...flat, rooms: 'zwei' });
  expect(bad.status).toBe(400);
  expect(bad.text).toContain('id="f-rooms-error"');
  expect(bad.text).toContain('value="Schloßstraße 10, 2. OG links"');
  expect(await stack.db.housingOffer.count()).toBe(0);

  const [r1, r2] = await Promise.all([
    page.post('/bestand/wohnungen/neu', { ...form, ...flat }),
    page.post('/bestand/wohnungen/neu', { ...form, ...flat }),
  ]);
  expect([r1.status, r2.status]).toEqual([303, 303]);
  expect(await stack.db.housingOffer.count()).toBe(1);
  const o = await stack.db.housingOffer.findFirstOrThrow();
  expect(o).toMatchObject({ partnerId, rooms: 2.5, livingSpace: 61, coldRent: 520, wbsRequired: true, source: 'caseworker' });
  expect(r1.location).toBe(`/bestand/wohnungen/${o.id}?ok=erfasst`);
  expect((await page.get(r1.location!)).text).toContain('Wohnung erfasst.');
}, 60_000);

it('department members and admins get 403 on the partner pages', async () => {
  for (const email of ['soziale-foerderung@kim.example', 'admin@kim.example']) {
    const c = new FormClient(stack.url);
    expect((await c.login(email)).status).toBe(303);
    expect((await c.get('/bestand/partner')).status).toBe(403);
    expect((await c.get(`/bestand/partner/${partnerId}`)).status).toBe(403);
    expect((await c.get('/bestand/wohnungen/neu')).status).toBe(403);
  }
});

it('the course form has the optional Stadtteil: kept on create and edit', async () => {
  const provider = await stack.api('POST', '/api/partners', {
    token: await stack.token('fallmanagement@kim.example'),
    body: { kind: 'course_provider', name: 'VHS Stadtteil' },
  });
  const course = {
    partnerId: provider.body.id as string,
    kind: 'literacy',
    title: 'Alpha Refrath',
    start: '2027-02-01',
    seats: '8',
    place: 'VHS',
  };
  const form = await formOf('/bestand/kurse/neu', '/bestand/kurse/neu');
  const r = await page.post('/bestand/kurse/neu', { ...form, ...course, district: 'Refrath' });
  expect(r.status).toBe(303);
  const c = await stack.db.course.findFirstOrThrow({ where: { title: 'Alpha Refrath' } });
  expect(c.district).toBe('Refrath');
  expect((await page.get(`/bestand/kurse/${c.id}`)).text).toContain('<dt>Stadtteil</dt><dd>Refrath</dd>');
  const edit = await page.get(`/bestand/kurse/${c.id}/bearbeiten`);
  expect(edit.text).toContain('value="Refrath"');
  const ef = await formOf(`/bestand/kurse/${c.id}/bearbeiten`, `/bestand/kurse/${c.id}/bearbeiten`);
  expect((await page.post(`/bestand/kurse/${c.id}/bearbeiten`, { ...ef, ...course, district: 'Bensberg' })).status).toBe(303);
  expect((await stack.db.course.findUniqueOrThrow({ where: { id: c.id } })).district).toBe('Bensberg');
});

it('bad input on every form of the partner pages: a German 4xx page, never a 5xx, nothing written', async () => {
  const counts = () =>
    Promise.all([stack.db.partner.count(), stack.db.partnerContact.count(), stack.db.offerLink.count(), stack.db.housingOffer.count()]);
  const before = await counts();
  const routes = [
    '/bestand/partner/neu',
    `/bestand/partner/${partnerId}/bearbeiten`,
    `/bestand/partner/${partnerId}/kontakte`,
    `/bestand/partner/${partnerId}/links`,
    `/bestand/partner/${partnerId}/links/unbekannter-link-0000000/widerrufen`,
    '/bestand/wohnungen/neu',
  ];
  const junk = ['\u0000', 'x'.repeat(4000), '<script>alert(1)</script>', '-1', '1e309', '2027-02-30', 'KIM-\u0007'];
  const fields = [
    ...['kind', 'name', 'email', 'phone', 'address', 'areas', 'contactPersons', 'agreements', 'contactWeeks', 'responsibleId'],
    ...['at', 'topic', 'outcome', 'validDays', 'partnerId', 'district', 'rooms', 'livingSpace', 'coldRent', 'serviceCharges'],
    ...['heating', 'availableFrom', 'wbsRequired', 'conditions'],
  ];
  const problems: string[] = [];
  for (const route of routes)
    for (const v of junk) {
      const csrf = hidden((await page.get('/sitzungen')).text, '_csrf');
      const r = await page.post(route, {
        _csrf: csrf,
        _key: `fuzz-${crypto.randomUUID()}`,
        ...Object.fromEntries(fields.map((f) => [f, v])),
      });
      if (r.status >= 500 || r.status < 400) problems.push(`${route} with ${JSON.stringify(v.slice(0, 20))}: ${r.status}`);
      else if (!r.text.includes('lang="de"') || r.text.includes('<script>alert')) problems.push(`${route}: not a German escaped page`);
    }
  expect(problems).toEqual([]);
  expect(await counts()).toEqual(before);
}, 120_000);
