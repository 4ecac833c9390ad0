import fs from 'node:fs';

export default async function globalTeardown() {
  const s = (globalThis as Record<string, unknown>).__kimServices as
    { pg: { stop(): Promise<void> }; temporal: { stop(): Promise<void> }; dir: string } | undefined;
  if (!s) return;
  await Promise.all([s.temporal.stop(), s.pg.stop()]);
  if (!process.env.KIM_KEEP_TEST_DIR) fs.rmSync(s.dir, { recursive: true, force: true });
}
