// Situation analysis and the inventory's schedules on the real stack: needs vs offers as JSON, CSV for
// German Excel and a page with an SVG chart whose figures are the table's, filtered by district; the
// Temporal Schedules remind the responsible caseworker of a due partner contact and keep the monthly snapshot.
import { contactScheduleId, ensureInventorySchedules, snapshotScheduleId } from '../../core/inventory-schedules';
import { loadWaitingHouseholds, validRentCaps } from '../../core/inventory-data';
import type { Db } from '../../core/db/client';
import type { Prisma } from '../../core/db/generated/client';
import { householdSizeOf } from '../../core/domain/household';
import { rentCapFor, wishDistrictsOf } from '../../core/domain/inventory/matching';
import { DEFAULT_MUNICIPALITY } from '../../core/domain/inventory/records';
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

/** The loader as it was before education15 (nested Prisma read), to compare the one-statement SQL loader with. */
async function oldLoadWaitingHouseholds(db: Db, caseWhere: Prisma.CaseWhereInput) {
  const MEMBERS = { where: { removedAt: null }, select: { removedAt: true } } as const;
  const rows = await db.process.findMany({
    where: { type: 'move-out', status: 'running', currentStep: 'offer', case: caseWhere },
    select: {
      id: true,
      case: {
        select: {
          reference: true,
          person: { select: { id: true, householdSize: true, benefitType: true, householdMembers: MEMBERS } },
          household: { select: { persons: { where: { anonymizedAt: null }, select: { householdSize: true, householdMembers: MEMBERS } } } },
        },
      },
      steps: {
        where: { key: { in: ['offer', 'search-profile', 'wbs'] } },
        orderBy: { seq: 'asc' },
        select: { key: true, outcome: true, data: true, startedAt: true },
      },
    },
  });
  const caps = await validRentCaps(db, DEFAULT_MUNICIPALITY);
  const bf = new Set((await db.housingNeed.findMany({ where: { barrierFree: true } })).map((n) => n.personId));
  return rows.map((p) => {
    const size = householdSizeOf(p.case.household?.persons.length ? p.case.household.persons : [p.case.person]);
    const profile = [...p.steps].reverse().find((s) => s.key === 'search-profile' && s.outcome);
    const profileData = (profile?.data ?? {}) as Record<string, unknown>;
    const wbs = [...p.steps].reverse().find((s) => s.key === 'wbs' && s.outcome);
    const kdu = p.case.person.benefitType === 'none' ? null : rentCapFor(size, caps);
    return {
      processId: p.id,
      caseReference: p.case.reference,
      size,
      rentCap: kdu ?? (typeof profileData.rentCap === 'number' ? profileData.rentCap : null),
      hasWbs: wbs?.outcome === 'issued',
      needsBarrierFree: bf.has(p.case.person.id),
      wishDistricts: wishDistrictsOf(profileData.area),
      waitingSince: (p.steps.find((s) => s.key === 'offer')?.startedAt ?? new Date(0)).toISOString(),
    };
  });
}

it('the one-statement loader of waiting households gives what the nested Prisma read gave (sizes, caps, WBS, profile, barrier-free)', async () => {
  const db = stack.db;
  const cw1 = await db.user.findUniqueOrThrow({ where: { email: 'fallmanagement@kim.example' } });
  const household = await db.household.create({ data: {} });
  const shapes = [
    { size: 2, members: 0, benefit: 'sgb2', wbs: ['rejected', 'issued'], area: 'Refrath, Bensberg', bf: true, inHousehold: false },
    { size: null, members: 3, benefit: 'none', wbs: ['issued'], area: '', bf: false, inHousehold: false },
    { size: 1, members: 1, benefit: 'asylblg', wbs: [], area: 'Hand', bf: false, inHousehold: true },
    { size: 4, members: 0, benefit: 'sgb2', wbs: ['issued', 'rejected'], area: undefined, bf: false, inHousehold: true },
    { size: 9, members: 0, benefit: 'sgb12', wbs: [], area: 'Stadtmitte oder Gronau', bf: true, inHousehold: false },
  ] as const;
  const ids: string[] = [];
  for (const [i, sh] of shapes.entries()) {
    const person = await db.person.create({
      data: {
        firstName: 'Lader',
        lastName: `L${i}`,
        householdSize: sh.size,
        benefitType: sh.benefit,
        createdById: cw1.id,
        ...(sh.inHousehold ? { householdId: household.id } : {}),
      },
    });
    for (let m = 0; m < sh.members + 1; m++)
      await db.householdMember.create({
        data: {
          personId: person.id,
          firstName: 'M',
          lastName: `${m}`,
          birthDate: new Date('2010-01-01'),
          relationship: 'child',
          createdById: cw1.id,
          ...(m === sh.members ? { removedAt: new Date() } : {}), // one removed member each: not counted
        },
      });
    if (sh.bf) await db.housingNeed.create({ data: { personId: person.id, barrierFree: true, updatedById: cw1.id } });
    const c = await db.case.create({
      data: {
        reference: `LADER-${i}`,
        personId: person.id,
        topic: 'housing',
        caseworkerId: cw1.id,
        departmentId: cw1.departmentId,
        workflowId: `loader-case-${i}`,
        createdById: cw1.id,
        ...(sh.inHousehold ? { householdId: household.id } : {}),
      },
    });
    const p = await db.process.create({
      data: {
        caseId: c.id,
        type: 'move-out',
        version: 1,
        workflowId: `loader-chain-${i}`,
        currentStep: 'offer',
        assigneeId: cw1.id,
        startedById: cw1.id,
      },
    });
    ids.push(p.id);
    let seq = 0;
    const step = (key: string, extra: Record<string, unknown>) =>
      db.processStep.create({ data: { processId: p.id, seq: ++seq, key, title: key, status: 'done', completedAt: new Date(), ...extra } });
    for (const o of sh.wbs) await step('wbs', { outcome: o });
    await step('search-profile', {
      outcome: 'done',
      data: { rooms: 2, rentCap: 500 + i, ...(sh.area !== undefined ? { area: sh.area } : {}) },
    });
    await step('search-profile', { outcome: null, data: { rentCap: 1 } }); // an open later one: not the profile
    await step('offer', { status: 'done', outcome: 'declined', startedAt: new Date(Date.UTC(2026, 5, i + 1)) });
    await step('offer', { status: 'active', startedAt: new Date(Date.UTC(2026, 8, i + 1)) });
  }
  const byId = <T extends { processId: string }>(xs: T[]) => [...xs].sort((a, b) => (a.processId < b.processId ? -1 : 1));
  const now = await loadWaitingHouseholds(db, {});
  expect(byId(now)).toEqual(byId(await oldLoadWaitingHouseholds(db, {})));
  const mine = now.filter((h) => ids.includes(h.processId));
  expect(mine).toHaveLength(5);
  // legacy size; 3 members + 1; the household's two persons (1 + 1 member, 1 + 0); legacy 9
  expect(ids.map((id) => mine.find((h) => h.processId === id)!.size)).toEqual([2, 4, 3, 3, 9]);
  expect(mine.find((h) => h.processId === ids[0])).toMatchObject({
    hasWbs: true,
    needsBarrierFree: true,
    wishDistricts: ['Refrath', 'Bensberg'],
  });
  expect(mine.find((h) => h.processId === ids[1])).toMatchObject({ rentCap: 501, hasWbs: true, waitingSince: '2026-06-02T00:00:00.000Z' });
  // within a visibility filter and for one chain
  expect(byId(await loadWaitingHouseholds(db, { reference: { startsWith: 'LADER-' } }))).toEqual(byId(mine));
  expect(await loadWaitingHouseholds(db, {}, ids[2])).toEqual(mine.filter((h) => h.processId === ids[2]));
  await db.processStep.deleteMany({ where: { processId: { in: ids } } });
  await db.process.updateMany({ where: { id: { in: ids } }, data: { status: 'completed' } });
});

it('education figures obey the district filter: needs there or without a district; courses there, by provider areas, or city-wide', async () => {
  const d = chainDriver(stack, cw);
  const partner = async (name: string, areas?: string[]) =>
    (await stack.api('POST', '/api/partners', { token: cw, body: { kind: 'course_provider', name, ...(areas ? { areas } : {}) } })).body
      .id as string;
  const [inBensberg, citywide] = [await partner('Träger Bensberg', ['Bensberg']), await partner('Träger Stadt')];
  const course = async (partnerId: string, seats: number, district?: string) => {
    const r = await stack.api('POST', '/api/courses', {
      token: cw,
      body: {
        partnerId,
        kind: 'literacy',
        level: 'A1',
        title: 'Alpha',
        start: '2027-02-01',
        seats,
        place: 'Schule',
        ...(district ? { district } : {}),
      },
    });
    expect(r.status).toBe(201);
    expect((await stack.api('GET', `/api/courses/${r.body.id}`, { token: cw })).body.district).toBe(district ?? null);
  };
  await course(inBensberg, 2, 'Refrath'); // its own district wins over the provider's areas
  await course(inBensberg, 3); // the provider's area: Bensberg
  await course(citywide, 1); // no district, provider without areas: everywhere
  for (const district of ['Refrath', 'Bensberg', undefined]) {
    const c = await d.newCase();
    const id = (await stack.api('POST', `/api/cases/${c.id}/chains`, { token: cw, body: { type: 'education-work' } })).body.id as string;
    await d.complete(id, 'education-history', 'done');
    await d.at(id, 'language-course');
    const need = await stack.api('PUT', `/api/processes/${id}/education-need`, {
      token: cw,
      body: { kind: 'literacy', level: 'A1', ...(district ? { district } : {}) },
    });
    expect(need.body).toMatchObject({ district: district ?? null });
  }
  const row = (s: { body: { education: { rows: Array<{ kind: string }> } } }) => s.body.education.rows.find((r) => r.kind === 'literacy');
  const all = await stack.api('GET', '/api/situation', { token: cw });
  expect(row(all)).toEqual({ kind: 'literacy', level: 'A1', needed: 3, freeSeats: 6, gap: 0 });
  const refrath = await stack.api('GET', '/api/situation?district=refrath', { token: cw });
  expect(refrath.body.education).toMatchObject({ district: 'refrath', neededTotal: 2, freeSeatsTotal: 3 });
  expect(row(refrath)).toEqual({ kind: 'literacy', level: 'A1', needed: 2, freeSeats: 3, gap: 0 });
  const hand = await stack.api('GET', '/api/situation?district=Hand', { token: cw });
  expect(row(hand)).toEqual({ kind: 'literacy', level: 'A1', needed: 1, freeSeats: 1, gap: 0 });
  const csv = await fetch(`${stack.url}/api/situation.csv?district=Bensberg`, { headers: { authorization: `Bearer ${cw}` } });
  expect(await csv.text()).toContain('\r\nAlphabetisierungskurs;A1;2;4;0\r\n');
  const browser = new FormClient(stack.url);
  await browser.login('leitung@kim.example');
  const page = (await browser.get('/bestand/lage?district=Refrath')).text;
  expect(page).toContain('2 Ketten warten auf ein Bildungsangebot; 3 Kursplätze sind frei (Stadtteil Refrath');
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
  // the education figures are kept with the month (the chains of the test above: 3 waiting, 6 free seats)
  expect(snap.figures).toMatchObject({
    waitingTotal: expect.any(Number),
    education: { neededTotal: 3, freeSeatsTotal: 6, rows: [{ kind: 'literacy', level: 'A1', needed: 3, freeSeats: 6, gap: 0 }] },
  });
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
  expect(trend.body.trend[0]).toMatchObject({ educationNeeded: 3, freeSeats: 6 });
  // the page's trend table shows the education figures of the month beside the housing figures
  const browser = new FormClient(stack.url);
  await browser.login('fallmanagement@kim.example');
  const page = (await browser.get('/bestand/lage')).text;
  const month = new Date().toISOString().slice(0, 7);
  expect(page).toMatch(new RegExp(`<th scope="row">${month}</th><td>\\d+</td><td>\\d+</td><td>3</td><td>6</td>`));
}, 120_000);
