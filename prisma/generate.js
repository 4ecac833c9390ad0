// `prisma generate` for the JS engine (engineType "client") needs no query engine,
// yet Prisma 6.19's CLI still tries to download one unless this variable names an
// existing file. Pointing it at this script stops the download (DESIGN.md §5).
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const env = { ...process.env };
env.PRISMA_QUERY_ENGINE_LIBRARY ??= __filename;
env.PRISMA_SCHEMA_ENGINE_BINARY ??= __filename;
env.PRISMA_HIDE_UPDATE_MESSAGE = '1';
const cli = require.resolve('prisma/build/index.js');
const args = process.argv.slice(2);
const r = spawnSync(process.execPath, [cli, ...(args.length ? args : ['generate'])], {
  stdio: 'inherit',
  env,
  cwd: path.join(__dirname, '..'),
});
process.exit(r.status ?? 1);
