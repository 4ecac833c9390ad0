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
