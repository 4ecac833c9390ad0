// `npm run bench:analytics` — bottleneck analytics and a yearly committee report on a large read model:
// BENCH_PROCESSES (default 50,000) chains × BENCH_STEPS (default 20) done steps each, inserted with SQL
// (generate_series) over the last two years. Prints p50/p95 of GET /api/analytics/steps (default period
// and filtered) and the generation time of a yearly report (POST /api/reports), each also as a ratio to
// a baseline measured in the same run: GET /api/reports (an indexed query on a small table, same HTTP,
// auth and validation path). Never fails on a time.
import os from 'node:os';
import type { AuthUser } from '../../api/auth';
import { filterOf, stepAnalytics } from '../../api/services/analytics';
import globalSetup from '../global-setup';
import globalTeardown from '../global-teardown';
import { runBenchmark } from './run';
import { startStack } from '../support/stack';
import { pct } from './measure';

const PROCESSES = Number(process.env.BENCH_PROCESSES ?? 50_000);
const STEPS = Number(process.env.BENCH_STEPS ?? 20);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 20);

async function main() {
  await globalSetup();
  const stack = await startStack({ worker: false, outbox: false });
  try {
    const supervisor = await stack.token('leitung@kim.example');
    const cwId = (await stack.db.user.findUniqueOrThrow({ where: { email: 'fallmanagement@kim.example' } })).id;
    const db = stack.db;
    const t = Date.now();
    await db.$executeRawUnsafe(
      `INSERT INTO "Person" ("id", "firstName", "lastName", "createdById", "birthDate")
       SELECT md5('p' || i)::uuid::text, 'Bench', 'Zeile', $1, date '1960-01-01' + (i % 20000) FROM generate_series(1, ${PROCESSES}) i`,
      cwId,
    );
    await db.$executeRawUnsafe(
      `INSERT INTO "Case" ("id", "reference", "personId", "topic", "caseworkerId", "departmentId", "workflowId", "createdById", "updatedAt", "createdAt")
       SELECT md5('c' || i)::uuid::text, 'BENCH-' || i, md5('p' || i)::uuid::text, (CASE WHEN i % 2 = 0 THEN 'housing' ELSE 'education_work' END)::"CaseTopic",
              $1, '5-53', 'case-bench-' || i, $1, now(), now() - (i % 730) * interval '1 day'
       FROM generate_series(1, ${PROCESSES}) i`,
      cwId,
    );
    await db.$executeRawUnsafe(
      `INSERT INTO "Process" ("id", "caseId", "type", "version", "workflowId", "status", "assigneeId", "startedById", "startedAt", "updatedAt")
       SELECT md5('x' || i)::uuid::text, md5('c' || i)::uuid::text, CASE WHEN i % 2 = 0 THEN 'move-out' ELSE 'education-work' END, 1,
              'chain-bench-' || i, 'running', $1, $1, now() - (i % 730) * interval '1 day', now()
       FROM generate_series(1, ${PROCESSES}) i`,
      cwId,
    );
    // steps: 20 keys, departments by key, 0..14 working days, deadline 5 or 10, active over two years
    await db.$executeRawUnsafe(
      `INSERT INTO "ProcessStep" ("id", "processId", "seq", "key", "title", "status", "department", "startedAt", "dueAt", "completedAt", "outcome",
                                  "chainType", "activeAt", "holderDepartment", "deadlineAt", "deadlineDays", "workingDays")
       SELECT md5('s' || i || '-' || k)::uuid::text, md5('x' || i)::uuid::text, k, 'step-' || k, 'Schritt ' || k, 'done', NULL,
              a, a + interval '14 days', a + ((i + k) % 15) * interval '1 day' * 1.4, 'done',
              CASE WHEN i % 2 = 0 THEN 'move-out' ELSE 'education-work' END, a,
              (ARRAY['5-53', 'jobcenter', 'wohnungsamt', 'auslaenderbehoerde', '5-50'])[1 + k % 5],
              a + interval '14 days', 10, (i + k) % 15
       FROM generate_series(1, ${PROCESSES}) i, generate_series(1, ${STEPS}) k,
            LATERAL (SELECT now() - ((i * 7 + k * 3) % 730) * interval '1 day' AS a) x`,
    );
    await db.$executeRawUnsafe('ANALYZE');
    console.log(`Seeded ${PROCESSES} processes × ${STEPS} steps in ${((Date.now() - t) / 1000).toFixed(1)} s`);

    const time = async (fn: () => Promise<unknown>) => {
      const s = performance.now();
      await fn();
      return performance.now() - s;
    };
    const series = async (label: string, path: string) => {
      await stack.api('GET', path, { token: supervisor }); // warm-up
      const xs: number[] = [];
      for (let i = 0; i < REQUESTS; i++)
        xs.push(
          await time(async () => {
            const r = await stack.api('GET', path, { token: supervisor });
            if (r.status !== 200) throw new Error(`${path}: ${r.status}`);
          }),
        );
      return { label, p50: pct(xs, 50), p95: pct(xs, 95) };
    };
    const load = () =>
      os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' / ');
    const loadBefore = load();
    const base = await series('Basis: GET /api/reports (indizierte Abfrage, kleine Tabelle)', '/api/reports');
    const rows = [
      base,
      await series('GET /api/analytics/steps (letzte 12 Monate)', '/api/analytics/steps'),
      await series(
        'GET /api/analytics/steps?type=move-out&department=jobcenter',
        '/api/analytics/steps?type=move-out&department=jobcenter',
      ),
    ];
    // the same query in the same run without the monthly rollup (every row, as before it) and with it
    const u = await db.user.findUniqueOrThrow({ where: { email: 'leitung@kim.example' } });
    const sv: AuthUser = { id: u.id, email: u.email, name: u.name, role: 'supervisor', departmentId: u.departmentId };
    const direct = async (label: string, raw: boolean) => {
      const xs: number[] = [];
      for (let i = 0; i < Math.max(5, REQUESTS / 2); i++) xs.push(await time(() => stepAnalytics(db, sv, filterOf({}), { raw })));
      return { label, p50: pct(xs, 50), p95: pct(xs, 95) };
    };
    rows.push(
      await direct('stepAnalytics direkt, Rohdaten (ohne Rollup)', true),
      await direct('stepAnalytics direkt, Monats-Rollup', false),
    );
    const year = new Date().getUTCFullYear() - 1;
    const gen: number[] = [];
    for (let i = 0; i < 3; i++) {
      await db.report.deleteMany({});
      gen.push(
        await time(async () => {
          const r = await stack.api('POST', '/api/reports', {
            token: supervisor,
            body: { definition: 'ki', from: `${year}-01-01`, to: `${year}-12-31` },
          });
          if (r.status !== 201) throw new Error(`report: ${r.status} ${JSON.stringify(r.body)}`);
        }),
      );
    }
    console.log(
      `\n${PROCESSES} Prozesse × ${STEPS} Schritte, ${REQUESTS} Anfragen je Zeile; Last (1/5/15 min) vorher ${loadBefore}, nachher ${load()}, ${os.cpus().length} Kerne`,
    );
    console.log('| Messung | p50 | p95 | p95 / Basis |\n| --- | --- | --- | --- |');
    for (const r of rows)
      console.log(`| ${r.label} | ${r.p50.toFixed(1)} ms | ${r.p95.toFixed(1)} ms | ${(r.p95 / base.p95).toFixed(1)} |`);
    const g = pct(gen, 50);
    console.log(
      `| Jahresbericht KI ${year} erzeugen (Median von 3) | ${g.toFixed(0)} ms | ${Math.max(...gen).toFixed(0)} ms (max) | ${(g / base.p95).toFixed(1)} |`,
    );
  } finally {
    await stack.stop();
    await globalTeardown();
  }
}

runBenchmark(main);
