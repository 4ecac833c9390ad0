// Replays the stored histories of completed workflows (test/histories, recorded with
// KIM_RECORD_HISTORIES=1) against today's workflow code: a change that would break running chains
// (non-determinism) fails here. (protobufjs 8 is a direct dependency so the SDK's packages share
// one copy — otherwise historyFromJSON fails with "type must be a Type".)
import fs from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { HISTORY_DIR } from './support/histories';
import { PAYLOAD_CODEC, testEnv } from './support/stack';

const files = fs
  .readdirSync(HISTORY_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();

it('has stored histories of a case, both chains, a handoff and a retention run', () => {
  expect(files).toEqual(
    expect.arrayContaining([
      'case-closed.json',
      'case-plan-timers.json',
      'move-out-v1-complete.json',
      'education-work-v1-adult.json',
      'move-out-v2-fork-blocked.json',
      // chains content (issue 14): test/chains/chains-content.test.ts
      'move-out-v2-complete.json',
      'education-work-v2-minor.json',
      'health-v1-referral.json',
      'handoff-shelter-release.json',
      'retention-batches.json',
    ]),
  );
});

it('replays every stored history without non-determinism', async () => {
  const histories = files.map((f) => ({
    workflowId: f.replace(/\.json$/, ''),
    history: historyFromJSON(JSON.parse(fs.readFileSync(path.join(HISTORY_DIR, f), 'utf8'))),
  }));
  const results: Array<{ workflowId: string; error: string | null }> = [];
  for await (const r of Worker.runReplayHistories(
    { workflowBundle: { codePath: testEnv().workflowBundle }, dataConverter: { payloadCodecs: [PAYLOAD_CODEC] } },
    histories,
  )) {
    results.push({ workflowId: r.workflowId, error: r.error ? String(r.error.message ?? r.error) : null });
  }
  expect(results.map((r) => r.workflowId).sort()).toEqual(files.map((f) => f.replace(/\.json$/, '')).sort());
  for (const r of results) expect(r).toEqual({ workflowId: r.workflowId, error: null });
});
