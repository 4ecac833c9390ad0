// Report definitions (issue 16): ASWDG, JHA and KI are seeded; an admin adds and edits more through
// GET/POST/PUT /api/admin/report-definitions and the page /admin/berichte. Bad input is a 400 naming the
// field (page: message at the field, input kept), nothing written; a double submit makes one record; a
// definition an admin added is produced by the scheduled run and its recipients get the link.
import { runScheduledReports, reportId, reportMailKey } from '../../core/reports-archive';
import { FormClient, hidden } from '../support/form-client';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let admin: string;
beforeAll(async () => {
  stack = await startStack({ worker: false, outbox: false });
  admin = await stack.token('admin@kim.example');
});
afterAll(() => stack?.stop());

const NEW = {
  id: 'integrationsrat',
  title: 'Bericht an den Integrationsrat',
  period: 'half_year',
  sections: ['cases_by_topic', 'moves'],
  recipients: ['Integrationsrat@Stadt.example', 'buero@stadt.example'],
};

it('API: the seeded three, add one (a repeat is the same one), edit it; bad input 400 naming the field, nothing written', async () => {
  const list = await stack.api('GET', '/api/admin/report-definitions', { token: admin });
  expect(list.status).toBe(200);
  expect(list.body.items.map((d: { id: string; period: string }) => [d.id, d.period])).toEqual([
    ['aswdg', 'half_year'],
    ['jha', 'year'],
    ['ki', 'quarter'],
  ]);

  const bad: Array<[Record<string, unknown>, string, RegExp]> = [
    [{ ...NEW, recipients: ['kein-at-zeichen'] }, 'recipients.0', /^recipients: keine gültige E-Mail-Adresse/],
    [{ ...NEW, recipients: ['a@b.example', 'x@y'] }, 'recipients.1', /recipients/],
    [{ ...NEW, sections: ['cases_by_topic', 'gibt-es-nicht'] }, 'sections.1', /^sections: unbekannte Kennzahl/],
    [{ ...NEW, sections: [] }, 'sections', /^sections: mindestens eine Kennzahl/],
    [{ ...NEW, period: 'month' }, 'period', /^period: Quartal, Halbjahr oder Jahr/],
    [{ ...NEW, title: '' }, 'title', /^title: mindestens 3 Zeichen/],
    [{ ...NEW, id: 'Großer Rat' }, 'id', /^id: 2–40 Kleinbuchstaben/],
    [{ ...NEW, extra: 1 }, 'extra', /Unbekanntes Feld/],
  ];
  for (const [body, field, message] of bad) {
    const r = await stack.api('POST', '/api/admin/report-definitions', { token: admin, body });
    expect({ field, status: r.status }).toEqual({ field, status: 400 });
    const d = r.body.error.details.find((x: { field: string }) => x.field === field);
    expect({ field, message: d?.message }).toEqual({ field, message: expect.stringMatching(message) });
  }
  expect(await stack.db.reportDefinition.count()).toBe(3);

  const created = await stack.api('POST', '/api/admin/report-definitions', { token: admin, body: NEW });
  expect(created.status).toBe(201);
  expect(created.body).toEqual({ id: 'integrationsrat' });
  expect((await stack.api('POST', '/api/admin/report-definitions', { token: admin, body: NEW })).status).toBe(201); // the same again
  expect(await stack.db.reportDefinition.count()).toBe(4);
  const taken = await stack.api('POST', '/api/admin/report-definitions', { token: admin, body: { ...NEW, title: 'Ein anderer Bericht' } });
  expect(taken.status).toBe(409);
  expect(taken.body.error.message).toMatch(/^id: .*schon vergeben/);

  const put = await stack.api('PUT', '/api/admin/report-definitions/integrationsrat', {
    token: admin,
    body: { title: NEW.title, period: 'year', sections: ['moves'], recipients: ['Rat@Stadt.example'] },
  });
  expect(put.status).toBe(200);
  expect(await stack.db.reportDefinition.findUnique({ where: { id: 'integrationsrat' } })).toMatchObject({
    period: 'year',
    sections: ['moves'],
    recipients: ['rat@stadt.example'],
  });
  const badPut = await stack.api('PUT', '/api/admin/report-definitions/integrationsrat', {
    token: admin,
    body: { title: NEW.title, period: 'year', sections: ['moves'], recipients: ['rat(at)stadt'] },
  });
  expect(badPut.status).toBe(400);
  expect(badPut.body.error.details[0].field).toBe('recipients.0');
  expect((await stack.db.reportDefinition.findUniqueOrThrow({ where: { id: 'integrationsrat' } })).recipients).toEqual([
    'rat@stadt.example',
  ]);
  expect((await stack.api('PUT', '/api/admin/report-definitions/gibtsnicht', { token: admin, body: NEW })).status).toBe(400);
  const unknown = await stack.api('PUT', '/api/admin/report-definitions/gibtsnicht', {
    token: admin,
    body: { title: NEW.title, period: 'year', sections: ['moves'], recipients: [] },
  });
  expect(unknown.status).toBe(404);
  expect(await stack.db.auditEvent.count({ where: { action: { startsWith: 'report-definition.' } } })).toBe(2);

  // the scheduled run produces the added definition's report and links it to its recipient
  const run = await runScheduledReports(stack.db, stack.url, new Date('2026-01-05T06:00:00Z'));
  const id = reportId('integrationsrat', '2025-01-01', '2025-12-31');
  expect(run.find((r) => r.definition === 'integrationsrat')).toMatchObject({ id, created: true, mails: 1 });
  const mail = await stack.db.mail.findUniqueOrThrow({ where: { idempotencyKey: reportMailKey(id, 'rat@stadt.example') } });
  expect(mail.text).toContain(`${stack.url}/berichte/${id}`);
});

/** posts a form with repeated fields (the check boxes) with the client's cookies */
async function postForm(client: FormClient, path: string, entries: Array<[string, string]>) {
  const res = await fetch(stack.url + path, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      accept: 'text/html',
      'content-type': 'application/x-www-form-urlencoded',
      cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    },
    body: new URLSearchParams(entries).toString(),
  });
  return { status: res.status, text: await res.text(), location: res.headers.get('location') };
}

it('page: the form shows errors at the field and keeps the input; a double submit makes one definition; edit', async () => {
  const browser = new FormClient(stack.url);
  await browser.login('admin@kim.example');
  const page = await browser.get('/admin/berichte');
  expect(page.status).toBe(200);
  expect(page.text).toContain('Bericht an den Jugendhilfeausschuss (JHA)');
  expect(page.text).toContain('name="_key"');
  const csrf = hidden(page.text, '_csrf');
  const key = hidden(page.text, '_key');
  const entries = (recipients: string): Array<[string, string]> => [
    ['_csrf', csrf],
    ['_key', key],
    ['id', 'sportausschuss'],
    ['title', 'Bericht an den Sportausschuss'],
    ['period', 'quarter'],
    ['sections', 'cases_by_topic'],
    ['sections', 'placements'],
    ['recipients', recipients],
  ];
  const bad = await postForm(browser, '/admin/berichte', entries('sport@stadt.example\nkeine-adresse'));
  expect(bad.status).toBe(400);
  expect(bad.text).toMatch(/<p class="error" id="f-recipients-error">recipients: keine gültige E-Mail-Adresse<\/p>/);
  expect(bad.text).toContain('sport@stadt.example\nkeine-adresse</textarea>'); // kept
  expect(bad.text).toMatch(/value="placements" checked/);
  expect(bad.text).toContain(`value="${key}"`); // the same submission
  expect(await stack.db.reportDefinition.count({ where: { id: 'sportausschuss' } })).toBe(0);

  const [a, b] = await Promise.all([
    postForm(browser, '/admin/berichte', entries('sport@stadt.example')),
    postForm(browser, '/admin/berichte', entries('sport@stadt.example')),
  ]);
  expect([a.status, b.status]).toEqual([303, 303]);
  expect(await stack.db.reportDefinition.findMany({ where: { id: 'sportausschuss' } })).toEqual([
    expect.objectContaining({ period: 'quarter', sections: ['cases_by_topic', 'placements'], recipients: ['sport@stadt.example'] }),
  ]);

  const edit = await browser.get('/admin/berichte/sportausschuss');
  expect(edit.status).toBe(200);
  expect(edit.text).toContain('sport@stadt.example</textarea>');
  const editCsrf = hidden(edit.text, '_csrf');
  const saved = await postForm(browser, '/admin/berichte/sportausschuss', [
    ['_csrf', editCsrf],
    ['title', 'Bericht an den Sportausschuss'],
    ['period', 'year'],
    ['recipients', 'sport@stadt.example, vorsitz@stadt.example'],
  ]);
  expect(saved.status).toBe(400); // no figure chosen
  expect(saved.text).toMatch(/<p class="error" id="f-sections-error">sections: mindestens eine Kennzahl wählen<\/p>/);
  const ok = await postForm(browser, '/admin/berichte/sportausschuss', [
    ['_csrf', editCsrf],
    ['title', 'Bericht an den Sportausschuss'],
    ['period', 'year'],
    ['sections', 'moves'],
    ['recipients', 'sport@stadt.example, vorsitz@stadt.example'],
  ]);
  expect(ok.status).toBe(303);
  expect((await stack.db.reportDefinition.findUniqueOrThrow({ where: { id: 'sportausschuss' } })).recipients).toEqual([
    'sport@stadt.example',
    'vorsitz@stadt.example',
  ]);

  // not for a supervisor
  const sv = new FormClient(stack.url);
  await sv.login('leitung@kim.example');
  expect((await sv.get('/admin/berichte')).status).toBe(403);
});
