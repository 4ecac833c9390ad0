import fs from 'node:fs';
import path from 'node:path';

export default async function globalTeardown() {
  const s = (globalThis as Record<string, unknown>).__kimServices as
    { pg: { stop(): Promise<void> }; temporal: { stop(): Promise<void> }; dir: string } | undefined;
  if (!s) return;
  await Promise.all([s.temporal.stop(), s.pg.stop()]);
  if (process.env.KIM_KEEP_TEST_DIR) return;
  // as root with a temp dir the postgres user cannot reach, the data were kept elsewhere and linked
  const pgData = path.join(s.dir, 'postgres');
  if (fs.lstatSync(pgData, { throwIfNoEntry: false })?.isSymbolicLink())
    fs.rmSync(fs.realpathSync(pgData), { recursive: true, force: true });
  fs.rmSync(s.dir, { recursive: true, force: true });
}
