// The person's own status page: a caseworker creates the link (API and the printable letter), the page
// shows in plain words where the chain stands — done, now, what to bring, the next appointment, the
// caseworker — and nothing internal; every view audited; in all six languages in Chromium with axe
// (lang and dir="rtl" for Arabic and Persian), print styles hide the language switch; a revoked,
// expired or forged link is refused (410/410/403).
import { statusText, STATUS_LANGS } from '../../core/i18n/status-page';
import { expectNoSeriousAxeViolations, startStackAndBrowser, type TestBrowser } from '../support/browser';
import { chainDriver } from '../support/chain-helpers';
import { statusLinkQr } from '../../api/pages/status-pages';
import { FormClient, hidden } from '../support/form-client';
import type { Stack } from '../support/stack';
import { startNewChainsOnV1 } from '../support/chain-versions';

// written for v1 of the shipped chains: new chains here start on v1 (v2: test/chains/chains-content.test.ts)
startNewChainsOnV1();

let stack: Stack;
let b: TestBrowser;
let caseworker: string;
let d: ReturnType<typeof chainDriver>;
let personId: string;
let url: string;
let caseId: string;

beforeAll(async () => {
  ({ stack, browser: b } = await startStackAndBrowser({ workingDaySeconds: 0.05 }));
  caseworker = await stack.token('fallmanagement@kim.example');
  d = chainDriver(stack, caseworker);
  const c = await d.newCase({ firstName: 'Amina', lastName: 'Statusseite' });
  caseId = c.id;
  personId = (await stack.db.case.findUniqueOrThrow({ where: { id: c.id } })).personId;
  const started = await stack.api('POST', `/api/cases/${c.id}/chains`, { token: caseworker, body: { type: 'move-out' } });
  await d.complete(started.body.id, 'readiness', 'ready', { assessment: 'GEHEIM interne Einschätzung' });
  await d.at(started.body.id, 'residence-check', 'handoff');
  await d.newCase({ firstName: 'Andere', lastName: 'Fremdperson' }); // another person of the same caseworker
});
afterAll(async () => {
  await b?.close();
  await stack?.stop();
});

it('POST /api/persons/{id}/status-link → 201 {url}; the page shows the chain in plain German, nothing internal; the view is audited', async () => {
  const r = await stack.api('POST', `/api/persons/${personId}/status-link`, { token: caseworker });
  expect(r.status).toBe(201);
  url = r.body.url;
  expect(url).toMatch(new RegExp(`^${stack.url}/s/[\\w-]+\\.[\\w-]+\\.[0-9a-z]+\\.[\\w-]{43}$`));
  const before = await stack.db.auditEvent.count({ where: { action: 'status-page.view', entityId: personId } });
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('cache-control')).toBe('no-store');
  const text = await res.text();
  expect(text).toContain('<html lang="de" dir="ltr">');
  expect(text).toContain('Umzug in eine eigene Wohnung');
  expect(text).toContain('✓ Gespräch: Sind Sie bereit für eine eigene Wohnung?'); // done
  expect(text).toContain('Prüfung Ihres Aufenthalts durch die Ausländerbehörde'); // now
  expect(text).toContain('Bringen Sie Ihren Pass und Ihren Aufenthaltstitel mit.'); // bring
  const cw = await stack.db.user.findUniqueOrThrow({ where: { email: 'fallmanagement@kim.example' } });
  expect(text).toContain(cw.name);
  for (const secret of ['GEHEIM', 'Fremdperson', 'KIM-', 'leitung', 'soziale-foerderung', 'Soziale Förderung'])
    expect(text).not.toContain(secret);
  expect(await stack.db.auditEvent.count({ where: { action: 'status-page.view', entityId: personId } })).toBe(before + 1);
});

it('the page in all six languages in Chromium: lang, dir, translated, no serious axe violations; prints without the switcher', async () => {
  const p = b.page;
  for (const lang of STATUS_LANGS) {
    await p.goto(`${url}?lang=${lang}`);
    expect(await p.getAttribute('html', 'lang')).toBe(lang);
    expect(await p.getAttribute('html', 'dir')).toBe(lang === 'ar' || lang === 'fa' ? 'rtl' : 'ltr');
    await expect(p.locator('h1').textContent()).resolves.toBe(statusText(lang, 'page.title'));
    expect(await p.locator('main').textContent()).toContain(statusText(lang, 'step.residence-check'));
    await expectNoSeriousAxeViolations(p, `status page ${lang}`);
  }
  // switchable: the links of the language switch lead to the same page in the other language
  await p.goto(`${url}?lang=uk`);
  await Promise.all([p.waitForURL(/lang=tr$/), p.getByRole('link', { name: 'Türkçe' }).click()]);
  expect(await p.getAttribute('html', 'lang')).toBe('tr');
  await p.emulateMedia({ media: 'print' });
  expect(await p.locator('nav.langs').isVisible()).toBe(false);
  await p.emulateMedia({ media: 'screen' });
  const unknown = await fetch(`${url}?lang=xx`);
  expect(await unknown.text()).toContain('<html lang="de" dir="ltr">');
});

it('the caseworker prints a one-page letter with a new link (the old one stops working)', async () => {
  const f = new FormClient(stack.url);
  await f.login('fallmanagement@kim.example');
  const letter = await f.submit(`/faelle/${caseId}`, `/personen/${personId}/statuslink`, { lang: 'ar' }); // from the case page
  expect(letter.status).toBe(201);
  expect(letter.text).toContain('<html lang="ar" dir="rtl">');
  const newUrl = letter.text.match(/<a href="([^"]+\/s\/[^"]+)">/)![1];
  // the QR code on the letter encodes this letter's link
  expect(letter.text).toContain(await statusLinkQr(newUrl));
  expect((await fetch(newUrl)).status).toBe(200);
  expect((await fetch(url)).status).toBe(410); // the earlier link was replaced
  url = newUrl;
  const other = new FormClient(stack.url);
  await other.login('leitung@kim.example');
  const c2 = hidden((await other.get('/faelle')).text, '_csrf');
  expect((await other.post(`/personen/${personId}/statuslink`, { _csrf: c2 })).status).toBe(403);
});

it('revoked → 410, expired → 410, forged → 403; each refusal audited; nothing shown', async () => {
  const token = url.split('/s/')[1];
  const [kid, nonce, exp, sig] = token.split('.');
  const forgedSig = `${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`;
  const forged = await fetch(`${stack.url}/s/${kid}.${nonce}.${exp}.${forgedSig}`);
  expect(forged.status).toBe(403);
  expect(await forged.text()).not.toContain('Ausländerbehörde');
  const longer = await fetch(`${stack.url}/s/${kid}.${nonce}.${(parseInt(exp, 36) + 86_400).toString(36)}.${sig}`);
  expect(longer.status).toBe(403); // a longer validity is not signed
  expect((await fetch(`${stack.url}/s/nonsense`)).status).toBe(403);

  await stack.db.statusLink.update({ where: { id: nonce }, data: { expiresAt: new Date(Date.now() - 1000) } });
  expect((await fetch(url)).status).toBe(410);
  await stack.db.statusLink.update({ where: { id: nonce }, data: { expiresAt: new Date(Date.now() + 86_400_000) } });
  expect((await fetch(url)).status).toBe(200);

  const del = await stack.api('DELETE', `/api/persons/${personId}/status-link`, { token: caseworker });
  expect(del.status).toBe(200);
  expect(del.body).toEqual({ revoked: 1 });
  const gone = await fetch(`${url}?lang=fa`);
  expect(gone.status).toBe(410);
  expect(await gone.text()).toContain(statusText('fa', 'error.gone'));
  const reasons = (await stack.db.auditEvent.findMany({ where: { action: 'status-link.rejected' } })).map(
    (e) => (e.details as { reason: string }).reason,
  );
  expect(reasons).toEqual(expect.arrayContaining(['forged', 'expired', 'revoked']));
  expect(await stack.db.auditEvent.count({ where: { action: 'status-link.revoke', entityId: personId } })).toBe(1);

  const unknownPerson = await stack.api('POST', '/api/persons/00000000-0000-4000-8000-000000000000/status-link', { token: caseworker });
  expect(unknownPerson.status).toBe(404);
});
