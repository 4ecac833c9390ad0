// `npm run bench:pages` — the caseworker's busiest pages under load with a real HTTP load tool
// (autocannon): the case page, the process page and the department's task inbox, each by 50
// concurrent signed-in users for BENCH_SECONDS (default 10), next to /healthz (no database, no
// session: the app's own floor) as the baseline of the same run. Prints requests/s and latency
// percentiles (autocannon reports p90 and p97.5; p95 lies between them) and every non-2xx answer or
// error; never fails on a time.
import autocannon from 'autocannon';
import globalSetup from '../global-setup';
import globalTeardown from '../global-teardown';
import { runBenchmark } from './run';
import { chainDriver } from '../support/chain-helpers';
import { FormClient } from '../support/form-client';
import { startStack } from '../support/stack';
import { profiled } from './cpu-profile';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const USERS = Number(process.env.BENCH_USERS ?? 50);

async function sessionCookie(url: string, email: string) {
  const c = new FormClient(url);
  const r = await c.login(email);
  if (r.status !== 303) throw new Error(`login ${email}: ${r.status}`);
  return [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
}

async function load(url: string, cookie?: string) {
  const r = await autocannon({
    url,
    connections: USERS,
    duration: SECONDS,
    headers: { accept: 'text/html', ...(cookie ? { cookie } : {}) },
  });
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p90: r.latency.p90,
    p975: r.latency.p97_5,
    non2xx: r.non2xx,
    /** the non-2xx answers by status code, e.g. "503×3" */
    codes: Object.entries(r.statusCodeStats ?? {})
      .filter(([code]) => !code.startsWith('2'))
      .map(([code, s]) => `${code}×${s.count}`)
      .join(' '),
    errors: r.errors + r.timeouts,
  };
}

async function main() {
  await globalSetup();
  const stack = await startStack();
  try {
    const cw = await stack.token('fallmanagement@kim.example');
    const d = chainDriver(stack, cw);
    // a realistic case: an education/work chain whose counselling step is with the Jobcenter
    const c = await d.newCase();
    const start = await stack.api('POST', `/api/cases/${c.id}/chains`, { token: cw, body: { type: 'education-work' } });
    const processId = start.body.id as string;
    await d.complete(processId, 'education-history', 'done');
    await d.complete(processId, 'integration-course-status', 'not-needed'); // (education-work as new chains start it: version 2)
    await d.at(processId, 'counselling', 'handoff');
    const [caseworker, jobcenter] = await Promise.all([
      sessionCookie(stack.url, 'fallmanagement@kim.example'),
      sessionCookie(stack.url, 'jobcenter@kim.example'),
    ]);

    const pages: Array<[string, string, string | undefined]> = [
      ['/healthz (baseline)', '/healthz', undefined],
      ['case page /faelle/:id', `/faelle/${c.id}`, caseworker],
      ['process page /prozesse/:id', `/prozesse/${processId}`, caseworker],
      ['task inbox /aufgaben', '/aufgaben', jobcenter],
    ];
    const results = [];
    for (const [label, path, cookie] of pages) {
      results.push({ label, ...(await profiled(`page-${path.split('/')[1]}`, () => load(stack.url + path, cookie))) });
      console.log(`  (measured ${label})`);
    }
    const base = results[0];
    console.log(`\nPages under load: ${USERS} concurrent users, ${SECONDS} s each, dev server, same run`);
    for (const r of results) {
      const ratio = r === base ? '(baseline)' : `${(r.rps / base.rps).toFixed(2)}× baseline req/s`;
      console.log(
        `  ${r.label.padEnd(30)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50} ms  p90 ${r.p90} ms  p97.5 ${r.p975} ms  non-2xx ${r.non2xx}${r.codes ? ` (${r.codes})` : ''}  errors ${r.errors}  ${ratio}`,
      );
    }
  } finally {
    await stack.stop();
    await globalTeardown();
  }
}

runBenchmark(main);
