// Situation analysis and the inventory's schedules on the real stack: needs vs offers as JSON, CSV for
// German Excel and a page with an SVG chart whose figures are the table's, filtered by district; the
// Temporal Schedules remind the responsible caseworker of a due partner contact and keep the monthly snapshot.
import { contactScheduleId, ensureInventorySchedules, snapshotScheduleId } from '../../core/inventory-schedules';
import { chainDriver } from '../support/chain-helpers';
import { FormClient } from '../support/form-client';
import { eventually, startStack, type Stack } from '../support/stack';
import { startNewChainsOnV1 } from '../support/chain-versions';

// written for v1 of the shipped chains: new chains here start on v1 (v2: test/chains/chains-content.test.ts)
startNewChainsOnV1();

let stack: Stack;
let cw: string;

beforeAll(async () => {
  stack = await startStack();
  cw = await stack.token('fallmanagement@kim.example');
});
afterAll(async () => {
  for (const id of [contactScheduleId(stack.taskQueue), snapshotScheduleId(stack.taskQueue)])
    await stack.client.schedule
      .getHandle(id)
      .delete()
      .catch(() => {});
  await stack?.stop();
});

it('shows needs against offers by household size and district: JSON, CSV, page with chart and table', async () => {
  const d = chainDriver(stack, cw);
  const c = await d.newCase({ householdSize: 2, benefitType: 'sgb2' });
  const id = (await stack.api('POST', `/api/cases/${c.id}/chains`, { token: cw, body: { type: 'move-out' } })).body.id as string;
  await d.complete(id, 'readiness', 'ready');
  await d.departmentActs(id, 'residence-check', 'complete', { outcome: 'clear' });
  await d.departmentActs(id, 'wbs', 'complete', { outcome: 'rejected' });
  await d.complete(id, 'search-profile', 'done', { rooms: 2, rentCap: 580, area: 'Refrath' });
  await d.at(id, 'offer');
  const partner = await stack.api('POST', '/api/partners', { token: cw, body: { kind: 'landlord', name: 'Privat' } });
  const flat = {
    partnerId: partner.body.id,
    address: 'Weg 1',
    rooms: 4,
    livingSpace: 95,
    coldRent: 800,
    serviceCharges: 200,
    availableFrom: '2027-01-01',
    wbsRequired: false,
  };
  await stack.api('POST', '/api/offers/housing', { token: cw, body: { ...flat, district: 'Bensberg' } });

  const s = await stack.api('GET', '/api/situation', { token: cw });
  expect(s.status).toBe(200);
  const two = s.body.rows.find((r: { householdSize: string }) => r.householdSize === '2');
  expect(two).toMatchObject({ waiting: 1, fittingFlats: 0, gap: 1, rentCap: 580 });
  expect(s.body.gaps[0]).toMatch(/^Für Haushalte mit 2 Personen fehlen 1 passende Wohnung \(1 wartend, 0 passend frei/);
  const inRefrath = await stack.api('GET', '/api/situation?district=Refrath', { token: cw });
  expect(inRefrath.body).toMatchObject({ district: 'Refrath', waitingTotal: 1, openTotal: 0 });
  const inBensberg = await stack.api('GET', '/api/situation?district=Bensberg', { token: cw });
  expect(inBensberg.body).toMatchObject({ waitingTotal: 0, openTotal: 1 });
  expect((await stack.api('GET', '/api/situation', { token: await stack.token('soziale-foerderung@kim.example') })).status).toBe(403);

  const csv = await fetch(`${stack.url}/api/situation.csv`, { headers: { authorization: `Bearer ${cw}` } });
  const bytes = Buffer.from(await csv.arrayBuffer());
  expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 BOM for Excel
  const text = bytes.toString('utf8');
  expect(text.split('\r\n')[0]).toBe(
    '\ufeffHaushaltsgröße;Wartende Haushalte;Wartezeit Median (Tage);Mietobergrenze (EUR);Freie Wohnungen (Zimmerzahl passend);Davon passend;Bruttokaltmiete Median (EUR);Lücke',
  );
  expect(text).toContain('\r\n2;1;');

  const browser = new FormClient(stack.url);
  await browser.login('leitung@kim.example');
  const page = await browser.get('/bestand/lage');
  expect(page.status).toBe(200);
  expect(page.text).toMatch(/<svg role="img" aria-labelledby="chart-title chart-desc"/);
  expect(page.text).toContain('2 Pers.: 1 wartend, 0 passend frei'); // the chart's text alternative …
  expect(page.text).toMatch(/<th scope="row">2<\/th><td>1<\/td>/); // … and the same figure in the table
  expect(page.text).toContain('fehlen 1 passende Wohnung');
});

it('schedules: a due partner contact reminds the responsible caseworker; the snapshot keeps the month', async () => {
  const p = await stack.api('POST', '/api/partners', {
    token: cw,
    body: { kind: 'cooperative', name: 'Wohnungsgenossenschaft Süd eG', contactEveryDays: 42 },
  });
  await stack.db.partner.update({ where: { id: p.body.id }, data: { createdAt: new Date(Date.now() - 43 * 86_400_000) } });
  await ensureInventorySchedules(stack.client, { taskQueue: stack.taskQueue, contactEverySeconds: 1, snapshotEverySeconds: 1 });
  const mail = await eventually(
    () =>
      stack.capture
        .list({ to: 'fallmanagement@kim.example' })
        .find((m) => m.subject === '[KIM] Regelkontakt fällig: Wohnungsgenossenschaft Süd eG'),
    30_000,
  );
  expect(mail.text).toContain('/bestand/partner');
  const snap = await eventually(() => stack.db.situationSnapshot.findFirst(), 30_000);
  expect(snap.month).toBe(new Date().toISOString().slice(0, 7));
  // again and again: still one mail per due date, one snapshot per month
  await eventually(
    async () =>
      (await stack.client.schedule.getHandle(contactScheduleId(stack.taskQueue)).describe()).info.numActionsTaken >= 3 ? true : undefined,
    30_000,
  );
  await stack.db.mail
    .findMany({ where: { idempotencyKey: { startsWith: `partner:${p.body.id}:` } } })
    .then((m) => expect(m).toHaveLength(1));
  expect(await stack.db.situationSnapshot.count()).toBe(1);
  const trend = await stack.api('GET', '/api/situation', { token: cw });
  expect(trend.body.trend).toHaveLength(1);
}, 120_000);
