// Small helpers the benchmark scripts share: a concurrency pool, percentiles, the load average line.
import os from 'node:os';

/** Runs fn over the items with at most n at a time. */
export async function pool<T>(items: T[], n: number, fn: (item: T, i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i], i);
      }
    }),
  );
}

/** The p-th percentile (nearest rank) of xs. */
export const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

export const ms = (x: number) => `${x.toFixed(1)} ms`;

/** "1.2 0.9 0.7": the machine's load average over 1, 5 and 15 minutes */
export const loadAverage = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');

/** The P2 figures of bench:handoffs and bench:cluster: [label, figure, ratio] rows (N handoffs, two link actions each). */
export function linkActionRows(m: {
  n: number;
  created: string;
  seconds: { create: number; mails: number; actions: number; base: number };
  visible: number[];
  post: number[];
  base: number[];
}): string[][] {
  const { n, seconds: s, visible, post, base } = m;
  const ratio = (xs: number[], p: number) => `${(pct(xs, p) / pct(base, p)).toFixed(1)}× baseline p${p}`;
  return [
    [`create (${m.created})`, `${(n / s.create).toFixed(1)} handoffs/s`, `${s.create.toFixed(1)} s`],
    ['… until all notify mails received', `${(n / s.mails).toFixed(1)} handoffs/s`, `${s.mails.toFixed(1)} s`],
    ['actions through links (accept+complete)', `${((2 * n) / s.actions).toFixed(1)} actions/s`, `${s.actions.toFixed(1)} s`],
    ['link POST → state visible in API  p50', ms(pct(visible, 50)), ratio(visible, 50)],
    ['link POST → state visible in API  p95', ms(pct(visible, 95)), ratio(visible, 95)],
    ['… of it the link POST answer  p50', ms(pct(post, 50)), ratio(post, 50)],
    ['… of it the link POST answer  p95', ms(pct(post, 95)), ratio(post, 95)],
    ['baseline: bare update round-trip p50', ms(pct(base, 50)), `${(n / s.base).toFixed(1)} updates/s`],
    ['baseline: bare update round-trip p95', ms(pct(base, 95)), ''],
  ];
}
