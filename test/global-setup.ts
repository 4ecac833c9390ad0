// Starts the real services once per test run: embedded PostgreSQL (a migrated template database that
// each test file copies), the Temporal dev server (from the cached CLI) and a pre-built workflow
// bundle. Free ports and a temporary directory, so tests also run while `npm start` is running.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { migrate } from '../core/db/migrate';
import { ensureDatabase, startPostgres } from '../core/runtime/postgres';
import { startTemporalServer } from '../core/runtime/temporal-server';
import { freePort } from './support/ports';
import { workflowBundleOptions } from '../worker/workflow-bundle';
import { ensurePrerequisites, selectedTestFiles } from './support/prerequisites';

export interface TestEnv {
  dir: string;
  adminUrl: string;
  templateDb: string;
  temporalAddress: string;
  workflowBundle: string;
  pgPort: number;
  pgPassword: string;
  pgDataDir: string;
}

type JestGlobalConfig = { testPathPatterns?: Parameters<typeof selectedTestFiles>[1] };

/** Chromium and fonts for the files of this run: installed if missing, else the run stops with one line each. */
function prerequisites(globalConfig: JestGlobalConfig | undefined) {
  const rootDir = path.join(__dirname, '..');
  const missing = ensurePrerequisites(rootDir, selectedTestFiles(rootDir, globalConfig?.testPathPatterns), (l) => console.log(l));
  if (missing.length === 0) return;
  const err = new Error(`\n${missing.join('\n')}\n`);
  err.stack = err.message; // the lines are the message; a stack trace would only bury them
  throw err;
}

export default async function globalSetup(globalConfig?: JestGlobalConfig) {
  prerequisites(globalConfig);
  const t0 = Date.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kim-test-'));
  fs.chmodSync(dir, 0o755);
  const toolsDir = process.env.KIM_TOOLS_DIR ?? path.join(os.homedir(), '.cache', 'kim-flow');
  const pgPassword = 'test-' + Math.random().toString(36).slice(2);
  const pgDataDir = path.join(dir, 'postgres');
  const [pgPort, temporalPort] = await Promise.all([freePort(), freePort()]);

  const [pg, temporal, bundle] = await Promise.all([
    startPostgres({ dataDir: pgDataDir, port: pgPort, password: pgPassword, notice: (l) => console.log(`[setup] ${l}`) }),
    startTemporalServer({
      dataDir: path.join(dir, 'temporal'),
      port: temporalPort,
      toolsDir,
      cliPath: process.env.TEMPORAL_CLI_PATH,
      log: (m) => console.log(`[temporal] ${m}`),
    }),
    bundleWorkflowCode({
      ...workflowBundleOptions,
      logger: { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error } as never,
    }),
  ]);
  const workflowBundle = path.join(dir, 'workflow-bundle.js');
  fs.writeFileSync(workflowBundle, bundle.code);
  await ensureDatabase(pg.url('postgres'), 'kim_template');
  await migrate(pg.url('kim_template'));

  const env: TestEnv = {
    dir,
    adminUrl: pg.url('postgres'),
    templateDb: 'kim_template',
    temporalAddress: temporal.address,
    workflowBundle,
    pgPort,
    pgPassword,
    pgDataDir,
  };
  fs.writeFileSync(path.join(dir, 'env.json'), JSON.stringify(env));
  process.env.KIM_TEST_ENV = path.join(dir, 'env.json');
  (globalThis as Record<string, unknown>).__kimServices = { pg, temporal, dir };
  console.log(`\n[setup] PostgreSQL :${pgPort}, Temporal ${temporal.address}, Bundle – ${Date.now() - t0} ms`);
}
