// `npm run bench:dashboard` — the supervisor's process list on a large read model: 10,000 Process
// rows (BENCH_BIG=1: then also 50,000) inserted with SQL (generate_series, with their cases and
// persons), then p50/p95 of GET /api/processes for five typical filters, and EXPLAIN ANALYZE of the
// slowest (or of BENCH_EXPLAIN=<query>). Comparison in the same run on
// the same Temporal dev server: the visibility list (client.workflow.list with a query on KimKind /
// KimStatus) over BENCH_WORKFLOWS (1,000) workflows started with those search attributes — starting as
// many workflows as read-model rows would take far too long, so the row counts differ and are printed.
// Prints a table; never fails on a time.
import crypto from 'node:crypto';
import globalSetup from '../global-setup';
import globalTeardown from '../global-teardown';
import { runBenchmark } from './run';
import { KimCaseId, KimKind, KimStatus } from '../../core/domain/search-attributes';
import { eventually, startStack, type Stack } from '../support/stack';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../../core/db/generated/client';
import type { AuthUser } from '../../api/auth';
import { processQuery } from '../../api/routes/process-query';
import { pageProcesses } from '../../api/services/chains';
import { trivialWorkflow } from './trivial-workflow';
import { pct, ms } from './measure';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 50);
const WORKFLOWS = Number(process.env.BENCH_WORKFLOWS ?? 1000);
const SIZES = process.env.BENCH_BIG === '1' ? [10_000, 50_000] : [10_000];
const PREFIX = 'BENCH-';

/** Rows from..to-1 (1-based numbering i): a person, a case and a process each. */
async function seed(stack: Stack, cwId: string, from: number, to: number) {
  const db = stack.db;
  await db.$executeRawUnsafe(
    `
    INSERT INTO "Person" ("id", "firstName", "lastName", "createdById")
    SELECT md5('p' || i)::uuid::text, 'Bench', 'Zeile ' || i, $1 FROM generate_series(${from}, ${to - 1}) i`,
    cwId,
  );
  await db.$executeRawUnsafe(
    `
    INSERT INTO "Case" ("id", "reference", "personId", "topic", "caseworkerId", "departmentId", "workflowId", "createdById", "updatedAt")
    SELECT md5('c' || i)::uuid::text, '${PREFIX}' || lpad(i::text, 6, '0'), md5('p' || i)::uuid::text, 'housing'::"CaseTopic", $1, '5-53',
           'case-bench-' || i, $1, now()
    FROM generate_series(${from}, ${to - 1}) i`,
    cwId,
  );
  // type alternates; 70 % running, 10 % each on hold / completed / cancelled; handoffs at jobcenter /
  // wohnungsamt for a fifth each; every 7th overdue; started over the last year; due -10..+19 days
  await db.$executeRawUnsafe(
    `
    INSERT INTO "Process" ("id", "caseId", "type", "version", "workflowId", "status", "currentStep", "currentTitle", "currentDepartment",
                           "departments", "currentStatus", "assigneeId", "dueAt", "overdue", "startedById", "startedAt", "updatedAt", "completedAt")
    SELECT md5('x' || i)::uuid::text, md5('c' || i)::uuid::text, t, 1, 'chain-bench-' || i, st::"ProcessStatus",
           CASE WHEN st IN ('running', 'on_hold') THEN step END, CASE WHEN st IN ('running', 'on_hold') THEN 'Schritt ' || step END,
           CASE WHEN st IN ('running', 'on_hold') THEN dept END,
           CASE WHEN st IN ('running', 'on_hold') AND dept IS NOT NULL THEN ARRAY[dept] ELSE ARRAY[]::text[] END,
           CASE WHEN st NOT IN ('running', 'on_hold') THEN NULL WHEN dept IS NULL THEN 'active' ELSE 'handoff' END,
           $1, now() + ((i % 30) - 10) * interval '1 day', st IN ('running', 'on_hold') AND i % 7 = 0, $1,
           now() - (i % 365) * interval '1 day' - (i % 1000) * interval '1 second', now(),
           CASE WHEN st IN ('completed', 'cancelled') THEN now() END
    FROM (
      SELECT i,
        CASE WHEN i % 2 = 0 THEN 'move-out' ELSE 'education-work' END AS t,
        CASE i % 10 WHEN 7 THEN 'on_hold' WHEN 8 THEN 'completed' WHEN 9 THEN 'cancelled' ELSE 'running' END AS st,
        CASE WHEN i % 2 = 0 THEN (ARRAY['readiness', 'residence-check', 'wbs', 'search-profile', 'offer', 'viewing'])[1 + (i / 2) % 6]
             ELSE (ARRAY['education-history', 'language-course', 'job-application'])[1 + (i / 2) % 3] END AS step,
        CASE i % 5 WHEN 0 THEN 'jobcenter' WHEN 1 THEN 'wohnungsamt' END AS dept
      FROM generate_series(${from}, ${to - 1}) i) x`,
    cwId,
  );
  await db.$executeRawUnsafe('ANALYZE "Person"');
  await db.$executeRawUnsafe('ANALYZE "Case"');
  await db.$executeRawUnsafe('ANALYZE "Process"');
}

async function timeIt(n: number, fn: () => Promise<void>) {
  for (let i = 0; i < 3; i++) await fn(); // warm-up
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    xs.push(performance.now() - t);
  }
  return xs;
}

/** EXPLAIN ANALYZE of the SQL the list's queries send (captured from Prisma's query log), for the note. */
async function explain(stack: Stack, label: string, query: string) {
  const logged = new PrismaClient({
    adapter: new PrismaPg({ connectionString: stack.databaseUrl }),
    log: [{ emit: 'event', level: 'query' }],
  });
  const queries: Array<{ sql: string; params: unknown[] }> = [];
  logged.$on('query', (e) => queries.push({ sql: e.query, params: JSON.parse(e.params) as unknown[] }));
  try {
    const supervisor = await logged.user.findUniqueOrThrow({ where: { email: 'leitung@kim.example' } });
    queries.length = 0;
    const filters = processQuery.parse({ limit: '50', ...Object.fromEntries(new URLSearchParams(query)) });
    const user: AuthUser = {
      id: supervisor.id,
      email: supervisor.email,
      name: supervisor.name,
      role: 'supervisor',
      departmentId: supervisor.departmentId,
    };
    await pageProcesses(logged, user, filters);
    console.log(`\nEXPLAIN ANALYZE of a filter at the largest size (${label}):`);
    for (const q of queries.filter((x) => /^SELECT/i.test(x.sql))) {
      const plan = await logged.$queryRawUnsafe<Array<{ 'QUERY PLAN': string }>>(`EXPLAIN (ANALYZE, BUFFERS) ${q.sql}`, ...q.params);
      console.log(`\n  ${q.sql.replace(/\s+/g, ' ').slice(0, 300)}`);
      for (const line of plan) console.log(`    ${line['QUERY PLAN']}`);
    }
  } finally {
    await logged.$disconnect();
  }
}

async function main() {
  await globalSetup();
  const stack = await startStack({ worker: false, outbox: false });
  try {
    const supervisor = await stack.token('leitung@kim.example');
    const cwId = (await stack.db.user.findUniqueOrThrow({ where: { email: 'fallmanagement@kim.example' } })).id;
    const filters: Array<[string, string]> = [
      ['all running', 'status=running'],
      ['overdue=true', 'overdue=true'],
      ['department=jobcenter', 'department=jobcenter'],
      ['type=move-out&step=offer', 'type=move-out&step=offer'],
      [`q=${PREFIX}0012 (reference prefix)`, `q=${PREFIX}0012`],
      // the list's other sort: by deadline (soonest first), alone and with a filter
      ['all running, sort=dueAt', 'status=running&sort=dueAt'],
      ['department=jobcenter, sort=dueAt', 'department=jobcenter&sort=dueAt'],
      ['oldest first (order=asc)', 'status=running&order=asc'],
    ];
    const rows: string[][] = [];
    let slowest: { label: string; query: string; p95: number } | undefined;
    let seeded = 0;
    for (const size of SIZES) {
      const t = performance.now();
      await seed(stack, cwId, seeded + 1, size + 1);
      seeded = size;
      const total = await stack.db.process.count();
      console.log(`[bench] ${total} Process rows seeded (${((performance.now() - t) / 1000).toFixed(1)} s)`);
      for (const [label, query] of filters) {
        let matched = 0;
        const xs = await timeIt(REQUESTS, async () => {
          const r = await stack.api('GET', `/api/processes?limit=50&${query}`, { token: supervisor });
          if (r.status !== 200) throw new Error(`GET /api/processes?${query} → ${r.status} ${JSON.stringify(r.body)}`);
          matched = r.body.total;
        });
        rows.push([`API ${label}`, `${total} rows`, `${matched} match`, ms(pct(xs, 50)), ms(pct(xs, 95))]);
        if (size === SIZES[SIZES.length - 1] && (!slowest || pct(xs, 95) > slowest.p95)) slowest = { label, query, p95: pct(xs, 95) };
      }
    }
    // BENCH_EXPLAIN=<query> (e.g. department=jobcenter): explain that filter instead of the slowest (p95 is noisy on a shared machine)
    const chosen = process.env.BENCH_EXPLAIN;
    if (chosen) await explain(stack, `chosen: ${chosen}`, chosen);
    else if (slowest) await explain(stack, `slowest: ${slowest.label}`, slowest.query);

    // --- comparison: Temporal visibility over workflows with search attributes -------------------
    const queue = `${stack.taskQueue}-visibility`; // no worker: the workflows just exist (running)
    const run = crypto.randomBytes(4).toString('hex');
    const t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < WORKFLOWS) {
          const i = next++;
          await stack.client.workflow.start(trivialWorkflow, {
            taskQueue: queue,
            workflowId: `bench-vis-${run}-${i}`,
            typedSearchAttributes: [
              { key: KimCaseId, value: `bench-${i}` },
              { key: KimKind, value: i % 2 ? 'education-work' : 'move-out' },
              { key: KimStatus, value: i % 10 < 7 ? 'running' : 'on_hold' },
            ] as never,
          });
        }
      }),
    );
    const startSeconds = (performance.now() - t0) / 1000;
    const tq = `TaskQueue = '${queue}'`;
    await eventually(async () => (await stack.client.workflow.count(tq)).count >= WORKFLOWS, 120_000, 500);
    console.log(`[bench] ${WORKFLOWS} workflows started (${startSeconds.toFixed(1)} s) and visible`);
    const visQueries: Array<[string, string]> = [
      ['all running', `${tq} AND KimStatus = 'running'`],
      ['type=move-out & running', `${tq} AND KimKind = 'move-out' AND KimStatus = 'running'`],
    ];
    for (const [label, query] of visQueries) {
      let matched = 0;
      const first = await timeIt(REQUESTS, async () => {
        let n = 0;
        for await (const _wf of stack.client.workflow.list({ query, pageSize: 50 })) {
          if (++n >= 50) break;
        }
      });
      const count = await timeIt(REQUESTS, async () => {
        matched = (await stack.client.workflow.count(query)).count;
      });
      const all = await timeIt(Math.min(REQUESTS, 10), async () => {
        let n = 0;
        for await (const _wf of stack.client.workflow.list({ query })) n++;
        matched = n;
      });
      rows.push([`Temporal list ${label} (first 50)`, `${WORKFLOWS} wfs`, `${matched} match`, ms(pct(first, 50)), ms(pct(first, 95))]);
      rows.push([`Temporal count ${label}`, `${WORKFLOWS} wfs`, `${matched} match`, ms(pct(count, 50)), ms(pct(count, 95))]);
      rows.push([`Temporal list ${label} (all pages)`, `${WORKFLOWS} wfs`, `${matched} match`, ms(pct(all, 50)), ms(pct(all, 95))]);
    }

    const apiRunning = rows.filter((r) => r[0] === 'API all running').at(-1)!;
    const visRunning = rows.find((r) => r[0] === 'Temporal list all running (first 50)')!;
    console.log(`\nbench:dashboard (same PostgreSQL and Temporal dev server, same run; ${REQUESTS} requests per line after 3 warm-ups)`);
    console.log(`  ${'query'.padEnd(48)} ${'data'.padStart(12)} ${'result'.padStart(12)} ${'p50'.padStart(10)} ${'p95'.padStart(10)}`);
    for (const [a, b, c, p50, p95] of rows)
      console.log(`  ${a.padEnd(48)} ${b.padStart(12)} ${c.padStart(12)} ${p50.padStart(10)} ${p95.padStart(10)}`);
    const ratio = (i: number) => (parseFloat(apiRunning[i]) / parseFloat(visRunning[i])).toFixed(2);
    console.log(
      `\n  ratio „all running, first page of 50“: API over ${apiRunning[1]} (read model, with total count) / Temporal visibility over ${WORKFLOWS} workflows` +
        ` = ${ratio(3)}× at p50, ${ratio(4)}× at p95 (the API side has ${Math.round(parseInt(apiRunning[1]) / WORKFLOWS)}× the rows)`,
    );
  } finally {
    await stack.stop();
    await globalTeardown();
  }
}

runBenchmark(main);
