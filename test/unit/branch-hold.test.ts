// Hold per branch (issue 14) in the chain engine on its own: plain inputs, a fake clock, effects answered
// by a tiny host. One open step of a fork is held — its deadline rests, it takes no result and no
// retry/skip — while the other branches' timers fire and they can be completed (and skipped); resumed,
// its overdue deadline fires at once. Without a step the hold is chain-wide as before.
import { chainDefinition, type ChainDefinition } from '../../core/domain/chains';
import type { Effect, EffectResults, Run } from '../../core/domain/chains/effects';
import { ChainEngine, initialChainState } from '../../core/domain/chains/engine';
import type { ChainActor } from '../../core/domain/chains/state';
import { parallelHealthVariant } from '../support/chain-variants';

const CASEWORKER: ChainActor = { kind: 'user', userId: 'u-1', role: 'caseworker' };
const DAY_S = 10; // one (working) day lasts 10 s in this engine
const DEF: ChainDefinition = chainDefinition.parse({ ...parallelHealthVariant(3), version: 7 });

function host() {
  let now = Date.parse('2026-03-02T09:00:00Z');
  const effects: Effect[] = [];
  const engine = new ChainEngine(
    initialChainState({ processId: 'p-1', caseId: 'c-1', definition: DEF, daySeconds: DAY_S, assigneeId: 'u-1' }),
    DEF,
    { now: () => now, daySeconds: DAY_S, workflowId: 'chain-c-1-health' },
  );
  const answer = (e: Effect): EffectResults[Effect['kind']] => {
    if (e.kind === 'record') return 'recorded';
    if (e.kind === 'checkConsent') return { departmentId: 'jobcenter', covered: true };
    if (e.kind === 'prepareHandoff') return { taskId: 't-1', departmentId: 'jobcenter', ackDays: 2, completeDays: 5 };
    if (e.kind === 'patched') return true;
    return undefined as never;
  };
  const run = (work: Run) => {
    for (let next = work.next(); !next.done;) {
      effects.push(next.value);
      next = work.next(answer(next.value));
    }
  };
  /** records as "event:step" */
  const records = () => effects.flatMap((e) => (e.kind === 'record' ? [`${e.record.event}:${String(e.record.details?.step ?? '')}`] : []));
  const open = (key: string) => engine.state.fork?.branches.find((b) => b.key === key);
  const complete = (stepKey: string, outcome: string, data?: Record<string, unknown>) => {
    const a = { stepKey, outcome, data, actor: CASEWORKER };
    const r = engine.checkCompleteStep(a);
    if (r) return r;
    run(engine.completeStep(a));
    return undefined;
  };
  /** lets every timer due until `ms` fire, in order */
  const runUntil = (ms: number) => {
    for (let t = engine.nextTimer(); t && t.at <= ms; t = engine.nextTimer()) {
      now = t.at;
      run(engine.fire(t));
    }
    now = ms;
  };
  run(engine.start());
  complete('zeta-intake', 'done', { visitDate: '2026-03-10' });
  return { engine, run, records, open, complete, runUntil, now: () => now };
}

test('a held branch: its deadline rests, it takes no result; the other branches run on and complete', () => {
  const h = host();
  expect(h.engine.state.fork?.branches.map((b) => b.key)).toEqual(['mid-forms', 'alpha-doc', 'cost-office']);
  expect(h.engine.checkHold('Unterlagen beim Dolmetscher', 'mid-forms')).toBeUndefined();
  h.run(h.engine.hold('Unterlagen beim Dolmetscher', CASEWORKER, 'mid-forms'));
  expect(h.engine.state.status).toBe('running'); // the chain runs on
  expect(h.open('mid-forms')).toMatchObject({ heldReason: 'Unterlagen beim Dolmetscher' });
  expect(h.records()).toContain('step.held:mid-forms');
  // a second hold of the same step, a step not open, no reason: refused
  expect(h.engine.checkHold('nochmal', 'mid-forms')?.type).toBe('WrongState');
  expect(h.engine.checkHold('x y z', 'beta-close')?.type).toBe('WrongState');
  expect(h.engine.checkHold(' ', 'alpha-doc')?.type).toBe('InvalidInput');
  expect(h.engine.checkResume('alpha-doc')?.type).toBe('WrongState'); // not held

  // four days pass: alpha-doc is reminded every day; mid-forms' deadline (day 3) stays silent
  const start = h.now();
  h.runUntil(start + 4 * DAY_S * 1000 + 1);
  const reminders = h.records().filter((r) => r.startsWith('step.reminder'));
  expect(reminders).toEqual(['step.reminder:alpha-doc', 'step.reminder:alpha-doc', 'step.reminder:alpha-doc', 'step.reminder:alpha-doc']);
  expect(h.open('mid-forms')).toMatchObject({ overdue: false, reminders: 0 });

  // the held branch takes no result, no skip; the other caseworker branch completes
  expect(h.complete('mid-forms', 'done')).toMatchObject({ type: 'WrongState', message: expect.stringContaining('angehalten') });
  expect(h.complete('mid-forms', 'skip')?.type).toBe('WrongState');
  expect(h.complete('alpha-doc', 'done')).toBeUndefined();
  expect(h.engine.state.done.map((d) => d.key)).toContain('alpha-doc');
  // the department's answer for its branch arrives while mid-forms is held
  h.run(
    h.engine.handoffEnded({
      taskId: 't-1',
      stepKey: 'cost-approval',
      status: 'completed',
      outcome: 'approved',
      data: { approvedRent: 480 },
    }),
  );
  expect(h.engine.state.facts['cost-office.approvedRent']).toBe(480);
  expect(h.engine.state.fork?.branches.map((b) => b.key)).toEqual(['mid-forms']);

  // resumed: the overdue deadline fires at once; then the branch is skipped (optional) and the fork joins
  expect(h.engine.checkResume('mid-forms')).toBeUndefined();
  h.run(h.engine.resume(CASEWORKER, 'mid-forms'));
  expect(h.records()).toContain('step.resumed:mid-forms');
  expect(h.open('mid-forms')?.heldAt).toBeUndefined();
  expect(h.engine.nextTimer()).toMatchObject({ kind: 'deadline', at: start + 3 * DAY_S * 1000 });
  h.runUntil(h.now());
  expect(h.records().at(-1)).toBe('step.reminder:mid-forms');
  expect(h.complete('mid-forms', 'skip')).toBeUndefined();
  expect(h.engine.state.current?.key).toBe('beta-close');
  expect(h.records()).toEqual(expect.arrayContaining(['step.skipped:mid-forms', 'step.completed:paths']));
});

test('cancelling one branch’s handoff returns only that branch; a chain-wide hold stays chain-wide', () => {
  const h = host();
  // the caseworker cancels the Jobcenter's task: only cost-office returns, the others stay as they are
  h.run(h.engine.handoffEnded({ taskId: 't-1', stepKey: 'cost-approval', status: 'cancelled', reason: 'falsche Stelle' }));
  expect(h.open('cost-office')?.phase).toBe('returned');
  expect(h.open('mid-forms')?.phase).toBe('active');
  expect(h.open('alpha-doc')?.phase).toBe('active');
  // no step given: the whole chain is held; every timer rests
  expect(h.engine.checkHold('Person im Krankenhaus')).toBeUndefined();
  h.run(h.engine.hold('Person im Krankenhaus', CASEWORKER));
  expect(h.engine.state.status).toBe('on_hold');
  expect(h.engine.nextTimer()).toBeUndefined();
  expect(h.engine.checkHold('auch der Zweig', 'mid-forms')?.type).toBe('WrongState');
  expect(h.complete('alpha-doc', 'done')?.type).toBe('WrongState');
  h.run(h.engine.resume(CASEWORKER));
  expect(h.engine.state.status).toBe('running');
  expect(h.complete('alpha-doc', 'done')).toBeUndefined();
});
