// `npm run bench:matching` — matching at district size: one open flat against 5,000 waiting households
// and one waiting household against 5,000 open flats (the pure function, p95 of repeated runs), then
// the same through the real stack (PostgreSQL rows seeded directly: 5,000 move-out chains waiting at
// the offer step, 5,000 open flats): GET /api/offers/housing/{id}/matches, /api/processes/{id}/matches,
// /api/situation and the page /bestand/lage. Baseline in the same run: sorting the 5,000 households
// by waiting time (pure) and GET /healthz (stack). Prints figures and ratios; never fails on a time.
import crypto from 'node:crypto';
import { matchesForHousehold, matchesForOffer, type MatchHousehold, type MatchOffer } from '../../core/domain/inventory/matching';
import globalSetup from '../global-setup';
import globalTeardown from '../global-teardown';
import { FormClient } from '../support/form-client';
import { startStack } from '../support/stack';
import { runBenchmark } from './run';
import { pct } from './measure';

const N = Number(process.env.BENCH_N ?? 5_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const DISTRICTS = ['Bensberg', 'Refrath', 'Stadtmitte', 'Paffrath', 'Moitzfeld', 'Herkenrath', 'Schildgen', 'Hand'];

const ms = (x: number) => `${x.toFixed(2)} ms`;
async function time(runs: number, fn: () => unknown | Promise<unknown>) {
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    await fn();
    t.push(performance.now() - s);
  }
  return { p50: pct(t, 50), p95: pct(t, 95) };
}

function households(n: number): MatchHousehold[] {
  return Array.from({ length: n }, (_, i) => ({
    processId: crypto.randomUUID(),
    caseReference: `BG-2026-${i}`,
    size: 1 + (i % 6),
    rentCap: 450 + (i % 6) * 100,
    hasWbs: i % 3 === 0,
    needsBarrierFree: i % 17 === 0,
    wishDistricts: i % 4 === 0 ? [] : [DISTRICTS[i % DISTRICTS.length]],
    waitingSince: new Date(Date.UTC(2025, 0, 1) + (i % 500) * 86_400_000).toISOString(),
  }));
}
function offers(n: number): MatchOffer[] {
  return Array.from({ length: n }, (_, i) => ({
    id: crypto.randomUUID(),
    district: DISTRICTS[i % DISTRICTS.length],
    rooms: 1 + (i % 5),
    livingSpace: 35 + (i % 5) * 15,
    coldRent: 350 + (i % 9) * 60,
    serviceCharges: 120 + (i % 4) * 20,
    wbsRequired: i % 2 === 0,
    barrierFree: i % 5 === 0,
    availableFrom: `2027-0${1 + (i % 9)}-01`,
  }));
}

async function main() {
  const hs = households(N);
  const os = offers(N);
  const base = await time(RUNS, () => [...hs].sort((a, b) => a.waitingSince.localeCompare(b.waitingSince)));
  const flat = await time(RUNS, () => matchesForOffer(os[0], hs));
  const household = await time(RUNS, () => matchesForHousehold(hs[0], os));
  console.log(`pure, ${N} records, ${RUNS} runs (p50 / p95):`);
  console.log(`  baseline: sort ${N} households by waiting time   ${ms(base.p50)} / ${ms(base.p95)}`);
  console.log(
    `  one flat against ${N} waiting households        ${ms(flat.p50)} / ${ms(flat.p95)}  (p95 ×${(flat.p95 / base.p95).toFixed(1)})`,
  );
  console.log(
    `  one household against ${N} open flats           ${ms(household.p50)} / ${ms(household.p95)}  (p95 ×${(household.p95 / base.p95).toFixed(1)})`,
  );

  await globalSetup();
  const stack = await startStack({ worker: false, outbox: false });
  try {
    const db = stack.db;
    const cw = await db.user.findUniqueOrThrow({ where: { email: 'fallmanagement@kim.example' } });
    const partner = await db.partner.create({ data: { kind: 'housing_company', name: 'Bench', createdById: cw.id } });
    const now = Date.now();
    const rows = hs.map((h, i) => ({ h, personId: crypto.randomUUID(), caseId: crypto.randomUUID(), i }));
    for (let k = 0; k < rows.length; k += 1000) {
      const part = rows.slice(k, k + 1000);
      await db.person.createMany({
        data: part.map((r) => ({
          id: r.personId,
          firstName: 'Bench',
          lastName: `H${r.i}`,
          householdSize: r.h.size,
          benefitType: 'sgb2' as const,
          createdById: cw.id,
        })),
      });
      await db.case.createMany({
        data: part.map((r) => ({
          id: r.caseId,
          reference: `BENCH-${r.i}`,
          personId: r.personId,
          topic: 'housing' as const,
          caseworkerId: cw.id,
          departmentId: cw.departmentId,
          workflowId: `bench-case-${r.i}`,
          createdById: cw.id,
        })),
      });
      await db.process.createMany({
        data: part.map((r) => ({
          id: r.h.processId,
          caseId: r.caseId,
          type: 'move-out',
          version: 1,
          workflowId: `bench-chain-${r.i}`,
          currentStep: 'offer',
          assigneeId: cw.id,
          startedById: cw.id,
        })),
      });
      await db.processStep.createMany({
        data: part.flatMap((r) => [
          {
            processId: r.h.processId,
            seq: 1,
            key: 'wbs',
            title: 'WBS',
            status: 'done',
            outcome: r.h.hasWbs ? 'issued' : 'rejected',
            completedAt: new Date(now),
          },
          {
            processId: r.h.processId,
            seq: 2,
            key: 'search-profile',
            title: 'Suchprofil',
            status: 'done',
            outcome: 'done',
            data: { rooms: 2, rentCap: r.h.rentCap, area: r.h.wishDistricts.join(', ') },
            completedAt: new Date(now),
          },
          {
            processId: r.h.processId,
            seq: 3,
            key: 'offer',
            title: 'Wohnungsangebot abwarten',
            status: 'active',
            startedAt: new Date(r.h.waitingSince),
          },
        ]),
      });
      await db.housingOffer.createMany({
        data: os.slice(k, k + 1000).map((o, j) => ({
          id: o.id,
          reference: `W-B-${k + j}`,
          partnerId: partner.id,
          municipality: 'Bergisch Gladbach',
          district: o.district,
          address: 'Benchweg 1',
          rooms: o.rooms,
          livingSpace: o.livingSpace,
          coldRent: o.coldRent,
          serviceCharges: o.serviceCharges,
          availableFrom: new Date(o.availableFrom),
          wbsRequired: o.wbsRequired,
          barrierFree: o.barrierFree,
          source: 'caseworker',
        })),
      });
    }
    const token = await stack.token('fallmanagement@kim.example');
    const get = (path: string) => async () => {
      const r = await fetch(stack.url + path, { headers: { authorization: `Bearer ${token}` } });
      if (r.status !== 200) throw new Error(`${path}: ${r.status}`);
      await r.arrayBuffer();
    };
    const browser = new FormClient(stack.url);
    await browser.login('leitung@kim.example');
    const runs = Math.max(5, Math.round(RUNS / 4));
    const health = await time(runs, get('/healthz'));
    const results = [
      ['GET /api/offers/housing/{id}/matches', await time(runs, get(`/api/offers/housing/${os[0].id}/matches`))],
      ['GET /api/processes/{id}/matches', await time(runs, get(`/api/processes/${hs[0].processId}/matches`))],
      ['GET /api/situation', await time(runs, get('/api/situation'))],
      [
        'page /bestand/lage',
        await time(runs, async () => {
          const r = await browser.get('/bestand/lage');
          if (r.status !== 200) throw new Error(`page ${r.status}`);
        }),
      ],
    ] as const;
    console.log(`stack, ${N} waiting households and ${N} open flats in PostgreSQL, ${runs} runs (p50 / p95):`);
    console.log(`  baseline: GET /healthz                          ${ms(health.p50)} / ${ms(health.p95)}`);
    for (const [name, r] of results)
      console.log(`  ${name.padEnd(46)} ${ms(r.p50)} / ${ms(r.p95)}  (p95 ×${(r.p95 / health.p95).toFixed(1)})`);
  } finally {
    await stack.stop();
    await globalTeardown();
  }
}

runBenchmark(main);
