// The housing offer's timer on the real stack with short days (a day = 0.1 s: asked after 14 days,
// expired 7 days later): an unconfirmed open flat gets the landlord's question and then expires; a
// confirmation ("still available") restarts the wait; a withdrawn offer ends its workflow.
import { eventually, startStack, type Stack } from '../support/stack';

let stack: Stack;
let cw: string;

beforeAll(async () => {
  stack = await startStack({ workingDaySeconds: 0.1 });
  cw = await stack.token('fallmanagement@kim.example');
});
afterAll(() => stack?.stop());

const FLAT = {
  district: 'Hand',
  address: 'Handstraße 2',
  rooms: 2,
  livingSpace: 55,
  coldRent: 400,
  serviceCharges: 110,
  availableFrom: '2027-01-01',
  wbsRequired: false,
};

it('asks the landlord after N days, then expires; confirm restarts the wait; withdrawn ends it', async () => {
  const p = await stack.api('POST', '/api/partners', {
    token: cw,
    body: { kind: 'landlord', name: 'Privatvermieter', email: 'privat@vermieter.example' },
  });
  const o = await stack.api('POST', '/api/offers/housing', { token: cw, body: { partnerId: p.body.id, ...FLAT } });
  const id = o.body.id as string;
  const ask = await eventually(
    () =>
      stack.capture
        .list({ to: 'privat@vermieter.example' })
        .find((m) => m.subject.includes('noch frei') && m.subject.includes(o.body.reference)),
    30_000,
  );
  expect(ask.text).not.toContain('Handstraße'); // no address needed in the question
  const confirmed = await stack.api('POST', `/api/offers/housing/${id}/status`, { token: cw, body: { action: 'confirm' } });
  // confirmed in time → open; otherwise the timer was first (both are legal outcomes of the race)
  if (confirmed.status === 200) expect(confirmed.body.status).toBe('open');
  expect(await stack.client.workflow.getHandle(`housing-offer-${id}`).result()).toBe('expired');
  expect((await stack.api('GET', `/api/offers/housing/${id}`, { token: cw })).body.status).toBe('expired');
  if (confirmed.status === 200)
    expect(stack.capture.list({ to: 'privat@vermieter.example' }).filter((m) => m.subject.includes('noch frei')).length).toBe(2);
  // an expired flat cannot be proposed or confirmed
  expect((await stack.api('POST', `/api/offers/housing/${id}/status`, { token: cw, body: { action: 'confirm' } })).status).toBe(409);

  const o2 = await stack.api('POST', '/api/offers/housing', { token: cw, body: { partnerId: p.body.id, ...FLAT } });
  expect(
    (await stack.api('POST', `/api/offers/housing/${o2.body.id}/status`, { token: cw, body: { action: 'withdrawn' } })).body.status,
  ).toBe('withdrawn');
  expect(await stack.client.workflow.getHandle(`housing-offer-${o2.body.id}`).result()).toBe('withdrawn');
}, 90_000);
