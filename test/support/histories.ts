// Stores the histories of completed workflows under test/histories when KIM_RECORD_HISTORIES=1, so
// test/replay.test.ts replays them on every run: a workflow change that would break running
// chains fails CI. Exported with the Temporal CLI (`workflow show --output json`), the format
// historyFromJSON reads.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveTemporalCli } from '../../core/runtime/temporal-cli';
import { testEnv, type Stack } from './stack';

export const HISTORY_DIR = path.join(__dirname, '..', 'histories');

export async function recordHistory(_stack: Stack, workflowId: string, name: string) {
  if (process.env.KIM_RECORD_HISTORIES !== '1') return;
  const cli = await resolveTemporalCli({
    cliPath: process.env.TEMPORAL_CLI_PATH,
    toolsDir: process.env.KIM_TOOLS_DIR ?? path.join(os.homedir(), '.cache', 'kim-flow'),
    log: () => {},
  });
  if (!cli) throw new Error('Temporal CLI nicht gefunden');
  const json = execFileSync(cli, [
    'workflow',
    'show',
    '--workflow-id',
    workflowId,
    '--address',
    testEnv().temporalAddress,
    '--output',
    'json',
  ]);
  fs.mkdirSync(HISTORY_DIR, { recursive: true });
  fs.writeFileSync(path.join(HISTORY_DIR, `${name}.json`), json);
}
