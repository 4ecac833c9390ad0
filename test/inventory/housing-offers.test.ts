// Inventory on the real stack: partners and their contact log (rhythm, overdue), a landlord reporting
// a flat through the signed form link (forged / expired / revoked / reused refused, errors at the
// field, confirmation mail), matching against move-out chains waiting at the offer step, concurrent
// proposals (one wins, nothing else written), the declined viewing looping back, the let flat's lease date.
import { chainDriver } from '../support/chain-helpers';
import { eventually, startStack, type Stack } from '../support/stack';
import { startNewChainsOnV1 } from '../support/chain-versions';

// written for v1 of the shipped chains: new chains here start on v1 (v2: test/chains/chains-content.test.ts)
startNewChainsOnV1();

let stack: Stack;
let cw: string;
let sv: string;
let dm: string;
let d: ReturnType<typeof chainDriver>;

beforeAll(async () => {
  stack = await startStack();
  cw = await stack.token('fallmanagement@kim.example');
  sv = await stack.token('leitung@kim.example');
  dm = await stack.token('soziale-foerderung@kim.example');
  d = chainDriver(stack, cw);
});
afterAll(() => stack?.stop());

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

async function landlord(name = 'Wohnbau Bergisch Land GmbH') {
  const r = await stack.api('POST', '/api/partners', {
    token: cw,
    body: { kind: 'housing_company', name, email: 'vermietung@wohnbau.example', areas: ['Bensberg', 'Refrath'] },
  });
  expect(r.status).toBe(201);
  return r.body.id as string;
}

/** A move-out chain walked to the offer step with this search profile. */
async function waitingHousehold(person: Record<string, unknown>, profile: Record<string, unknown>) {
  const c = await d.newCase(person);
  const start = await stack.api('POST', `/api/cases/${c.id}/chains`, { token: cw, body: { type: 'move-out' } });
  const id = start.body.id as string;
  await d.complete(id, 'readiness', 'ready');
  await d.departmentActs(id, 'residence-check', 'complete', { outcome: 'clear' });
  await d.departmentActs(id, 'wbs', 'complete', { outcome: 'issued' });
  await d.complete(id, 'search-profile', 'done', profile);
  await d.at(id, 'offer');
  return { processId: id, reference: c.reference };
}

const FLAT = {
  district: 'Bensberg',
  address: 'Schloßstraße 1, 2. OG links',
  rooms: 3,
  livingSpace: 72,
  coldRent: 520,
  serviceCharges: 160,
  availableFrom: '2027-01-01',
  wbsRequired: true,
};

it('partners: register with contacts, agreements and rhythm; contact log; overdue list; rights', async () => {
  const r = await stack.api('POST', '/api/partners', {
    token: sv,
    body: {
      kind: 'school',
      name: 'Integrierte Gesamtschule Paffrath',
      contactPersons: [{ name: 'Frau Beispiel', role: 'Schulsozialarbeit' }],
      agreements: [{ title: 'Kooperationsvereinbarung', from: '2026-01-01', until: '2027-12-31' }],
      contactEveryDays: 42,
    },
  });
  expect(r.status).toBe(201);
  const bad = await stack.api('POST', '/api/partners', { token: cw, body: { kind: 'bakery', name: '' } });
  expect(bad.status).toBe(400);
  expect(bad.body.error.details.map((x: { field: string }) => x.field).sort()).toEqual(['kind', 'name']);
  expect(bad.body.error.details[0].message).toMatch(/Art muss|Name/);
  const refused = await stack.api('POST', '/api/partners', { token: dm, body: { kind: 'school', name: 'X' } });
  expect(refused.status).toBe(403);

  // a rhythm with no contact since registration 50 days ago is overdue
  await stack.db.partner.update({ where: { id: r.body.id }, data: { createdAt: new Date(Date.now() - 50 * 86_400_000) } });
  let overdue = await stack.api('GET', '/api/partners?overdue=true', { token: cw });
  expect(overdue.body.items.map((p: { id: string }) => p.id)).toContain(r.body.id);
  const contact = await stack.api('POST', `/api/partners/${r.body.id}/contacts`, {
    token: cw,
    body: {
      at: new Date().toISOString(),
      kind: 'meeting',
      topic: 'Schulplätze für neu zugewanderte Kinder',
      outcome: 'zwei Plätze ab Februar',
    },
  });
  expect(contact.status).toBe(201);
  overdue = await stack.api('GET', '/api/partners?overdue=true', { token: cw });
  expect(overdue.body.items.map((p: { id: string }) => p.id)).not.toContain(r.body.id);
  const detail = await stack.api('GET', `/api/partners/${r.body.id}`, { token: cw });
  expect(detail.body.contacts).toHaveLength(1);
  expect(detail.body.contactOverdue).toBe(false);
});

it('landlord form link: reports a flat once; forged, revoked, expired and reused links refused', async () => {
  const partnerId = await landlord();
  const link = await stack.api('POST', `/api/partners/${partnerId}/offer-links`, { token: cw, body: {} });
  expect(link.status).toBe(201);
  const url = link.body.url as string;
  await eventually(() => stack.capture.list({ to: 'vermietung@wohnbau.example' }).find((m) => m.text.includes(url)));

  const page = await fetch(url);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('Wohnung melden');

  // bad input: 400, German message at the field, input kept, nothing written
  const before = await stack.db.housingOffer.count();
  const bad = await fetch(
    url,
    form({ district: 'Bensberg', address: 'Teststraße 5', rooms: 'drei', livingSpace: '60', coldRent: '400', serviceCharges: '100' }),
  );
  expect(bad.status).toBe(400);
  const badHtml = await bad.text();
  expect(badHtml).toContain('Zimmer: Zahl erwartet');
  expect(badHtml).toContain('Frei ab');
  expect(badHtml).toContain('value="Teststraße 5"');
  expect(await stack.db.housingOffer.count()).toBe(before);

  // forged: another signature
  const forged = url.slice(0, -3) + (url.endsWith('AAA') ? 'BBB' : 'AAA');
  expect((await fetch(forged)).status).toBe(403);

  const ok = await fetch(
    url,
    form({
      district: 'Bensberg',
      address: 'Am Markt 3',
      rooms: '2,5',
      livingSpace: '61,5',
      coldRent: '480',
      serviceCharges: '140',
      availableFrom: '2027-02-01',
      wbsRequired: 'on',
    }),
  );
  expect(ok.status).toBe(200);
  const okHtml = await ok.text();
  const reference = /W-\d{4}-[0-9A-F]{6}/.exec(okHtml)![0];
  const offer = await stack.db.housingOffer.findUniqueOrThrow({ where: { reference } });
  expect(offer).toMatchObject({ partnerId, rooms: 2.5, livingSpace: 61.5, wbsRequired: true, source: 'landlord', status: 'open' });
  await eventually(() => stack.capture.list({ to: 'vermietung@wohnbau.example' }).find((m) => m.subject.includes(reference)));
  // the offer's workflow runs, with ids only
  const history = await stack.rawClient.workflow.getHandle(`housing-offer-${offer.id}`).fetchHistory();
  expect(JSON.stringify(history)).not.toContain('Am Markt');

  // reused → 410, no second offer
  const again = await fetch(
    url,
    form({ district: 'X', address: 'Y', rooms: '1', livingSpace: '30', coldRent: '1', serviceCharges: '1', availableFrom: '2027-02-01' }),
  );
  expect(again.status).toBe(410);
  expect(await stack.db.housingOffer.count({ where: { partnerId } })).toBe(1);

  // revoked → 410
  const l2 = await stack.api('POST', `/api/partners/${partnerId}/offer-links`, { token: cw, body: { validDays: 3 } });
  expect((await stack.api('DELETE', `/api/partners/${partnerId}/offer-links/${l2.body.id}`, { token: cw })).status).toBe(200);
  expect((await fetch(l2.body.url)).status).toBe(410);
  // expired → 410
  const l3 = await stack.api('POST', `/api/partners/${partnerId}/offer-links`, { token: cw, body: {} });
  await stack.db.offerLink.update({ where: { id: l3.body.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
  expect((await fetch(l3.body.url)).status).toBe(410);
  // department members do not manage partners' links
  expect((await stack.api('POST', `/api/partners/${partnerId}/offer-links`, { token: dm, body: {} })).status).toBe(403);
});

it('matches a flat to waiting households, one of concurrent proposals wins, declined loops, let records the lease', async () => {
  await stack.api('PUT', '/api/admin/rent-caps', {
    token: await stack.token('admin@kim.example'),
    body: {
      validFrom: '2026-01-01',
      caps: [
        { householdSize: 1, amount: 480 },
        { householdSize: 2, amount: 580 },
        { householdSize: 3, amount: 700 },
        { householdSize: 4, amount: 760 },
      ],
    },
  });
  const partnerId = await landlord('Genossenschaft Refrath eG');
  const a = await waitingHousehold({ householdSize: 3, benefitType: 'sgb2' }, { rooms: 3, rentCap: 700, area: 'Bensberg, Refrath' });
  const b = await waitingHousehold({ householdSize: 3, benefitType: 'asylblg' }, { rooms: 3, rentCap: 700 });
  const single = await waitingHousehold({ householdSize: 1, benefitType: 'sgb2' }, { rooms: 1, rentCap: 480 });

  const created = await stack.api('POST', '/api/offers/housing', { token: cw, body: { partnerId, ...FLAT } });
  expect(created.status).toBe(201);
  const offerId = created.body.id as string;
  const bad = await stack.api('POST', '/api/offers/housing', {
    token: cw,
    body: { partnerId, ...FLAT, rooms: -1, availableFrom: '2027-02-30' },
  });
  expect(bad.status).toBe(400);
  expect(bad.body.error.details.map((x: { field: string }) => x.field).sort()).toEqual(['availableFrom', 'rooms']);

  const m = await stack.api('GET', `/api/offers/housing/${offerId}/matches`, { token: cw });
  expect(m.status).toBe(200);
  const items = m.body.items as Array<{ processId: string; fits: boolean; reasons: string[] }>;
  const mine = items.filter((i) => [a, b, single].some((h) => h.processId === i.processId));
  expect(mine.map((i) => [i.processId, i.fits])).toEqual([
    [a.processId, true], // waiting longest
    [b.processId, true],
    [single.processId, false],
  ]);
  expect(mine[2].reasons).toContain('Wohnfläche zu groß: 72 m² (höchstens 50 m² für 1 Person)');
  expect(mine[0].reasons).toContain('Miete angemessen: 680,00 € ≤ 700,00 €');
  const forHousehold = await stack.api('GET', `/api/processes/${b.processId}/matches`, { token: cw });
  expect(forHousehold.body.items.find((i: { offerId: string }) => i.offerId === offerId)).toMatchObject({ fits: true });
  expect((await stack.api('GET', `/api/offers/housing/${offerId}/matches`, { token: dm })).status).toBe(403);

  // two caseworker clicks at once for two households: one wins, the other 409 and nothing written for it
  const [r1, r2] = await Promise.all([
    stack.api('POST', `/api/offers/housing/${offerId}/propose`, { token: cw, body: { processId: a.processId } }),
    stack.api('POST', `/api/offers/housing/${offerId}/propose`, { token: cw, body: { processId: b.processId } }),
  ]);
  expect([r1.status, r2.status].sort()).toEqual([200, 409]);
  const winner = r1.status === 200 ? a : b;
  const loser = r1.status === 200 ? b : a;
  const offer = await stack.db.housingOffer.findUniqueOrThrow({ where: { id: offerId } });
  expect(offer).toMatchObject({ status: 'proposed', processId: winner.processId });
  const won = await d.at(winner.processId, 'viewing');
  expect(won.steps.find((s: { key: string }) => s.key === 'offer').outcome).toBe('received');
  const lost = await d.process(loser.processId);
  expect(lost.currentStep.key).toBe('offer');
  expect(lost.history.some((h: { event: string; step: string }) => h.event === 'step.completed' && h.step === 'offer')).toBe(false);
  expect(
    (await stack.api('POST', `/api/offers/housing/${offerId}/propose`, { token: cw, body: { processId: loser.processId } })).status,
  ).toBe(409);

  // viewing declined: the flat is open again and the chain back at the offer step
  expect((await stack.api('POST', `/api/offers/housing/${offerId}/status`, { token: cw, body: { action: 'viewing' } })).body.status).toBe(
    'viewing',
  );
  const declined = await stack.api('POST', `/api/offers/housing/${offerId}/status`, {
    token: cw,
    body: { action: 'declined', viewingDate: '2026-11-30' },
  });
  expect(declined.status).toBe(200);
  expect(declined.body).toMatchObject({ status: 'open', processId: null });
  await d.at(winner.processId, 'offer');

  // the other household gets it and the flat is let
  const p2 = await stack.api('POST', `/api/offers/housing/${offerId}/propose`, { token: cw, body: { processId: loser.processId } });
  expect(p2.status).toBe(200);
  await d.at(loser.processId, 'viewing');
  const noDate = await stack.api('POST', `/api/offers/housing/${offerId}/status`, { token: cw, body: { action: 'let' } });
  expect(noDate.status).toBe(400);
  const let_ = await stack.api('POST', `/api/offers/housing/${offerId}/status`, {
    token: cw,
    body: { action: 'let', leaseDate: '2027-01-01' },
  });
  expect(let_.body).toMatchObject({ status: 'let', leaseDate: '2027-01-01', processId: loser.processId });
  expect(
    (await stack.api('POST', `/api/offers/housing/${offerId}/propose`, { token: cw, body: { processId: winner.processId } })).status,
  ).toBe(409);
  expect(await stack.client.workflow.getHandle(`housing-offer-${offerId}`).result()).toBe('let');
}, 180_000);
