// /leitung in Chromium at 1280 px and at 400 px: every card's content (tables, charts) stays inside its
// card (bounding boxes), nothing scrolls the page sideways; the bottleneck section shows the sentence,
// the SVG charts with their text alternative and data tables, and the filters work. Screenshots of both
// widths go to SCREENSHOT_DIR. Known timings are seeded into the read model (test/support/analytics-seed.ts).
import path from 'node:path';
import { expectNoSeriousAxeViolations, loginInBrowser, SCREENSHOT_DIR, startStackAndBrowser, type TestBrowser } from '../support/browser';
import { seedChain } from '../support/analytics-seed';
import type { Stack } from '../support/stack';
import { startNewChainsOnV1 } from '../support/chain-versions';

// written for v1 of the shipped chains: new chains here start on v1 (v2: test/chains/chains-content.test.ts)
startNewChainsOnV1();

let stack: Stack;
let b: TestBrowser;

beforeAll(async () => {
  ({ stack, browser: b } = await startStackAndBrowser({ worker: false }));
  const cwId = (await stack.db.user.findUniqueOrThrow({ where: { email: 'fallmanagement@kim.example' } })).id;
  for (const [i, days] of [3, 5, 9, 9, 12].entries()) {
    await seedChain(stack.db, {
      type: i % 2 ? 'education-work' : 'move-out',
      caseworkerId: cwId,
      steps: [
        {
          key: 'cost-approval',
          title: 'Mietübernahme / Angemessenheitsprüfung',
          department: 'jobcenter',
          handoff: true,
          activeAt: '2026-02-02T09:00:00+01:00',
          days,
          deadlineDays: 5,
        },
        {
          key: 'readiness',
          title: 'Wohnfähigkeit einschätzen',
          department: '5-53',
          activeAt: '2026-03-02T09:00:00+01:00',
          days: days + 1,
          deadlineDays: 10,
        },
        {
          key: 'residence-check',
          title: 'Aufenthaltsstatus / Wohnsitzauflage (§ 12a AufenthG)',
          department: 'auslaenderbehoerde',
          handoff: true,
          activeAt: '2026-04-01T09:00:00+02:00',
          deadlineDays: 10,
        },
      ],
    });
  }
}, 120_000);
afterAll(async () => {
  await b?.close();
  await stack?.stop();
});

/** elements inside a card whose box reaches outside it (more than 1 px), and the page's sideways overflow */
async function overflows() {
  return b.page.evaluate(() => {
    const out: string[] = [];
    for (const card of Array.from(document.querySelectorAll('.card'))) {
      const c = card.getBoundingClientRect();
      for (const el of Array.from(card.querySelectorAll('table, svg, th, td, p, h3, .table-wrap'))) {
        // inside a scroll box only the box itself must fit
        if (el.closest('.table-wrap') && !el.classList.contains('table-wrap')) continue;
        const r = el.getBoundingClientRect();
        if (r.left < c.left - 1 || r.right > c.right + 1)
          out.push(`${card.querySelector('h3')?.textContent}: ${el.tagName} ${Math.round(r.right - c.right)} px`);
      }
    }
    const sideways = document.documentElement.scrollWidth > window.innerWidth + 1;
    if (sideways) {
      // name the widest culprits (outermost elements reaching past the viewport)
      for (const el of Array.from(document.querySelectorAll('body *'))) {
        const r = el.getBoundingClientRect();
        if (
          r.right > window.innerWidth + 1 &&
          !(el.parentElement && el.parentElement.getBoundingClientRect().right > window.innerWidth + 1)
        )
          out.push(`page: ${el.tagName}#${el.id}.${el.className} ${Math.round(r.right)} px`);
      }
    }
    return { out, sideways };
  });
}

it('at 1280 px every card holds its tables and charts (incl. „Laufende Ketten je Art“)', async () => {
  const p = b.page;
  await p.setViewportSize({ width: 1280, height: 900 });
  await loginInBrowser(p, stack.url, 'leitung@kim.example');
  await p.goto(`${stack.url}/leitung?von=2026-01-01&bis=2026-06-30`);
  await p.getByRole('heading', { name: 'Laufende Ketten je Art' }).waitFor();
  expect(await overflows()).toEqual({ out: [], sideways: false });
  await p.screenshot({ path: path.join(SCREENSHOT_DIR, 'leitung-1280.png'), fullPage: true });
  await expectNoSeriousAxeViolations(p, '/leitung 1280');
});

it('the bottleneck section: sentence, accessible SVG charts, each with its data table', async () => {
  const p = b.page;
  await expect(p.locator('#engpaesse-satz').innerText()).resolves.toBe(
    'Wohnfähigkeit einschätzen im Fallmanagement (5-53) dauert im Median 10 Arbeitstage, Frist 10. ' +
      'Mietübernahme / Angemessenheitsprüfung beim Jobcenter dauert im Median 9 Arbeitstage, Frist 5.',
  );
  const chart = p.getByRole('img', { name: /Dauer je Schritt und Stelle/ });
  await expect(chart.count()).resolves.toBe(1);
  await expect(p.locator('#chart-steps-desc').textContent()).resolves.toContain(
    'Mietübernahme / Angemessenheitsprüfung (Jobcenter): Median 9 Arbeitstagen (90. Perzentil 10,8)',
  );
  await expect(p.locator('#table-steps tbody tr').count()).resolves.toBe(2);
  await expect(p.locator('#table-months tbody tr').count()).resolves.toBe(6);
  await expect(p.locator('#table-throughput tbody tr').count()).resolves.toBe(3);
  // filter: the Jobcenter only
  await p.locator('#a-department').selectOption('jobcenter');
  await Promise.all([p.waitForURL(/stelle=jobcenter/), p.getByRole('button', { name: 'Auswerten' }).click()]);
  await expect(p.locator('#table-steps tbody tr').count()).resolves.toBe(1);
  await expect(p.locator('#engpaesse-satz').innerText()).resolves.toBe(
    'Mietübernahme / Angemessenheitsprüfung beim Jobcenter dauert im Median 9 Arbeitstage, Frist 5.',
  );
});

it('at 400 px the cards reflow into one column and still hold their content; nothing scrolls sideways', async () => {
  const p = b.page;
  await p.setViewportSize({ width: 400, height: 900 });
  await p.goto(`${stack.url}/leitung?von=2026-01-01&bis=2026-06-30`);
  const boxes = await p.locator('.dash-grid > .card').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().left));
  expect(new Set(boxes.map((x) => Math.round(x))).size).toBe(1); // one column
  expect(await overflows()).toEqual({ out: [], sideways: false });
  await p.screenshot({ path: path.join(SCREENSHOT_DIR, 'leitung-400.png'), fullPage: true });
  await expectNoSeriousAxeViolations(p, '/leitung 400');
});
