// `npm run bench:handoffs` — N handoffs end to end through the real stack: create them via the API,
// receive their mails from the SMTP capture, act through the links (accept, then complete), and time
// "link POST → new state visible in the API". Baseline in the same run on the same server: a bare
// Temporal update round-trip on a trivial workflow. Prints figures and ratios; never fails on a time.
import os from 'node:os';
import path from 'node:path';
import { NativeConnection, Worker } from '@temporalio/worker';
import globalSetup from '../global-setup';
import globalTeardown from '../global-teardown';
import { runBenchmark } from './run';
import { eventually, startStack, PAYLOAD_CODEC, testEnv } from '../support/stack';
import { bumpUpdate, trivialWorkflow } from './trivial-workflow';
import { giveConsent } from '../support/consent';
import { cpuByCommand, cpuPerItem, profiled } from './cpu-profile';
import { linkActionRows, pool } from './measure';

const N = Number(process.env.BENCH_N ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);

async function main() {
  await globalSetup();
  const stack = await startStack();
  try {
    const caseworker = await stack.token('fallmanagement@kim.example');
    const page = async (url: string, form: Record<string, string>) => {
      const r = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      });
      await r.text();
      return r.status;
    };

    // --- baseline: bare update round-trips on a trivial workflow ------------------------------
    const baseQueue = `${stack.taskQueue}-base`;
    const baseConn = await NativeConnection.connect({ address: testEnv().temporalAddress });
    const baseWorker = await Worker.create({
      connection: baseConn,
      taskQueue: baseQueue,
      workflowsPath: path.join(__dirname, 'trivial-workflow.ts'),
      dataConverter: { payloadCodecs: [PAYLOAD_CODEC] },
    });
    const baseRun = baseWorker.run();
    const handles = await Promise.all(
      Array.from({ length: CONCURRENCY }, (_, i) =>
        stack.client.workflow.start(trivialWorkflow, { taskQueue: baseQueue, workflowId: `bench-trivial-${Date.now()}-${i}` }),
      ),
    );
    const base: number[] = [];
    const cpu0 = cpuByCommand();
    const baseStart = performance.now();
    await pool(Array.from({ length: N }), CONCURRENCY, async (_x, i) => {
      const t = performance.now();
      await handles[i % handles.length].executeUpdate(bumpUpdate, { args: [1] });
      base.push(performance.now() - t);
    });
    const baseSeconds = (performance.now() - baseStart) / 1000;
    const baseCpu = cpuPerItem(cpu0, cpuByCommand(), N);
    await Promise.all(handles.map((h) => h.executeUpdate(bumpUpdate, { args: [-1] })));
    baseWorker.shutdown();
    await baseRun;
    await baseConn.close();

    // --- handoffs ------------------------------------------------------------------------------
    const created: Array<{ taskId: string; reference: string }> = [];
    const t0 = performance.now();
    await pool(Array.from({ length: N }), CONCURRENCY, async () => {
      const p = await stack.api('POST', '/api/persons', {
        token: caseworker,
        body: { firstName: 'B', lastName: 'Ench', benefitType: 'asylblg' },
      });
      const c = await stack.api('POST', '/api/cases', { token: caseworker, body: { personId: p.body.id, topic: 'housing' } });
      await giveConsent(stack, caseworker, c.body.id, ['5-50']);
      const h = await stack.api('POST', `/api/cases/${c.body.id}/handoffs`, {
        token: caseworker,
        body: { step: 'cost-approval', department: '5-50' },
      });
      created.push({ taskId: h.body.id, reference: c.body.reference });
    });
    const createSeconds = (performance.now() - t0) / 1000;
    const mailOf = new Map<string, string[]>();
    await eventually(
      () => {
        for (const m of stack.capture.list({ to: 'soziale-foerderung@kim.example' })) {
          const ref = m.subject.match(/Fall (KIM-\d{4}-\d{4})/)?.[1];
          if (ref && m.subject.startsWith('[KIM] Bitte bestätigen')) mailOf.set(ref, m.links);
        }
        return mailOf.size >= N;
      },
      300_000,
      200,
    );
    const mailSeconds = (performance.now() - t0) / 1000;

    const tokens = await stack.db.actionToken.findMany({ where: { taskId: { in: created.map((c) => c.taskId) } } });
    const linkFor = (taskId: string, action: string, links: string[]) => {
      const ids = tokens.filter((t) => t.taskId === taskId && t.action === action).map((t) => t.id);
      return links.find((l) => ids.some((id) => l.includes(`.${id}.`)))!;
    };
    const visible: number[] = [];
    const post: number[] = [];
    const cpu1 = cpuByCommand();
    const actStart = performance.now();
    await profiled('link-actions', () =>
      pool(created, CONCURRENCY, async ({ taskId, reference }) => {
        const links = mailOf.get(reference)!;
        for (const [action, form, expected] of [
          ['accept', {}, 'accepted'],
          ['complete', { outcome: 'approved', 'data.approvedRent': '500' }, 'completed'],
        ] as const) {
          const t = performance.now();
          const status = await page(linkFor(taskId, action, links), form);
          post.push(performance.now() - t);
          if (status !== 200) throw new Error(`${action} → ${status}`);
          for (;;) {
            const r = await stack.api('GET', `/api/tasks/${taskId}`, { token: caseworker });
            if (r.body.status === expected) break;
            await new Promise((res) => setTimeout(res, 2));
          }
          visible.push(performance.now() - t);
        }
      }),
    );
    const actSeconds = (performance.now() - actStart) / 1000;
    const actCpu = cpuPerItem(cpu1, cpuByCommand(), 2 * N);

    const rows = [
      ['handoffs', String(N), `concurrency ${CONCURRENCY}`],
      ...linkActionRows({
        n: N,
        created: 'person+case+handoff via API',
        seconds: { create: createSeconds, mails: mailSeconds, actions: actSeconds, base: baseSeconds },
        visible,
        post,
        base,
      }),
    ];
    console.log(
      `\nbench:handoffs (same Temporal dev server, same run; load average ${os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')})`,
    );
    for (const [a, b, c] of rows) console.log(`  ${a.padEnd(42)} ${b.padStart(18)}   ${c}`);
    console.log('  CPU ms per action, by program (node = API, worker, this client and the bare worker in one process):');
    console.log(`    bare update round-trips: ${baseCpu}`);
    console.log(`    link actions (POST, then GET until visible): ${actCpu}`);
  } finally {
    await stack.stop();
    await globalTeardown();
  }
}

runBenchmark(main);
