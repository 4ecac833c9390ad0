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
      // records written together (workflows/chain.ts BATCHED_RECORDS); the histories above replay the older way
      'move-out-v2-complete-batched.json',
      'education-work-v2-minor-batched.json',
      'health-v1-referral-batched.json',
      'move-out-v2-fork-blocked-batched.json',
      'move-out-v2-serial-fork-results-batched.json',
      'health-v1-serial-hold-refused-batched.json',
    ]),
  );
  // each kind guards its own path: the batched histories carry the patch marker, the older chain histories do not
  for (const f of files.filter((x) => /^(move-out|education-work|health)-/.test(x)))
    expect({ f, batched: patchesOf(f).includes('chain-batched-records') }).toEqual({ f, batched: f.endsWith('-batched.json') });
});

/** The patch ids a stored history's markers carry (their data is base64 JSON: {"id": …}). */
function patchesOf(file: string): string[] {
  const { events } = JSON.parse(fs.readFileSync(path.join(HISTORY_DIR, file), 'utf8')) as {
    events: Array<{
      markerRecordedEventAttributes?: { markerName: string; details: Record<string, { payloads: Array<{ data: string }> }> };
    }>;
  };
  return events.flatMap((e) =>
    e.markerRecordedEventAttributes?.markerName === 'core_patch'
      ? (e.markerRecordedEventAttributes.details['patch-data']?.payloads ?? []).map(
          (p) => (JSON.parse(Buffer.from(p.data, 'base64').toString()) as { id: string }).id,
        )
      : [],
  );
}

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
