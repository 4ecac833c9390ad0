// The chain engine on its own: plain inputs, a fake clock, effects answered by a tiny host — no
// Temporal, no database. The same engine runs inside workflows/chain.ts (tested end to end in
// test/chains/*, replayed against stored histories in test/replay.test.ts).
import { chainDefinitionFor } from '../../core/domain/chains';
import type { Effect, EffectResults, Run } from '../../core/domain/chains/effects';
import { ChainEngine, initialChainState } from '../../core/domain/chains/engine';
import type { ChainDefinition } from '../../core/domain/chains/schema';
import type { ChainActor, CurrentStep } from '../../core/domain/chains/state';

const CASEWORKER: ChainActor = { kind: 'user', userId: 'u-1', role: 'caseworker' };
const MOVE_OUT = chainDefinitionFor('move-out', 1)!;
const EDUCATION = chainDefinitionFor('education-work', 1)!;
const DAY = 86_400_000;

interface Answers {
  covered?: boolean;
  rule?: string;
  department?: string;
}

/** A host that answers the engine's effects with plain values and keeps what it was asked to do. */
function host(def: ChainDefinition, opts: { start?: string; daySeconds?: number; answers?: Answers } = {}) {
  let now = Date.parse(opts.start ?? '2026-03-02T09:00:00Z'); // a Monday, winter time
  const answers: Answers = { covered: true, rule: 'no', ...opts.answers };
  const effects: Effect[] = [];
  let tasks = 0;
  const engine = new ChainEngine(
    initialChainState({ processId: 'p-1', caseId: 'c-1', definition: def, daySeconds: opts.daySeconds ?? 0, assigneeId: 'u-1' }),
    def,
    { now: () => now, daySeconds: opts.daySeconds ?? 0, workflowId: 'chain-c-1-x' },
  );
  const answer = (e: Effect): EffectResults[Effect['kind']] => {
    switch (e.kind) {
      case 'record':
        return 'recorded';
      case 'evaluateRule':
        return answers.rule!;
      case 'checkConsent':
        return { departmentId: answers.department ?? e.target.department ?? 'jobcenter', covered: answers.covered! };
      case 'prepareHandoff':
        return { taskId: `t-${++tasks}`, departmentId: e.request.department ?? 'jobcenter', ackDays: 2, completeDays: 5 };
      case 'patched':
        return true;
      default:
        return undefined;
    }
  };
  const run = (work: Run) => {
    for (let next = work.next(); !next.done;) {
      effects.push(next.value);
      next = work.next(answer(next.value));
    }
  };
  const events = () => effects.flatMap((e) => (e.kind === 'record' ? [e.record.event] : []));
  const cur = () => engine.state.current as CurrentStep;
  return {
    engine,
    effects,
    events,
    cur,
    answers,
    run,
    advanceTo: (ms: number) => {
      now = ms;
    },
    now: () => now,
    /** complete the current caseworker step */
    complete: (outcome: string, data?: Record<string, unknown>) => {
      const a = { stepKey: cur().key, outcome, data, actor: CASEWORKER };
      const r = engine.checkCompleteStep(a);
      if (r) throw new Error(`refused: ${r.message}`);
      run(engine.completeStep(a));
    },
    /** the department finishes the current handoff */
    departmentDone: (outcome: string) =>
      run(engine.handoffEnded({ taskId: cur().taskId!, stepKey: cur().key, status: 'completed', outcome })),
    /** wait for the next timer and let it fire */
    fireNext: () => {
      const t = engine.nextTimer();
      if (!t) throw new Error('no timer');
      now = t.at;
      run(engine.fire(t));
      return t;
    },
  };
}

/** Puts a fresh engine on `key` (entered the way the chain would enter it). */
function at(def: ChainDefinition, key: string, answers?: Answers) {
  const h = host({ ...def, start: key }, { answers });
  h.run(h.engine.start());
  if (h.cur().phase === 'waiting') h.fireNext();
  h.effects.length = 0;
  return h;
}

describe('every outcome of every step leads where the definition says', () => {
  for (const def of [MOVE_OUT, EDUCATION]) {
    for (const [key, step] of Object.entries(def.steps)) {
      if (step.actor.kind === 'rule') continue; // below
      for (const [outcome, { next }] of Object.entries(step.outcomes)) {
        test(`${def.type} v${def.version}: ${key} → ${outcome} → ${next}`, () => {
          const h = at(def, key);
          const seq = h.cur().seq;
          if (step.actor.kind === 'handoff') {
            expect(h.cur().phase).toBe('handoff');
            h.departmentDone(outcome);
          } else {
            const data = Object.fromEntries(
              step.fields
                .filter((f) => f.required)
                .map((f) => [f.key, f.type === 'number' ? (f.min ?? 1) : f.type === 'date' ? '2026-03-20' : 'x']),
            );
            h.complete(outcome, data);
          }
          expect(h.engine.state.done.find((d) => d.seq === seq)).toMatchObject({ key, outcome });
          expect(h.events()[0]).toBe('step.completed');
          // a rule step decides at once (age check): it is passed through
          if (next === 'end') {
            expect(h.engine.state.status).toBe('completed');
            expect(h.events().at(-1)).toBe('chain.completed');
            expect(h.engine.nextTimer()).toBeUndefined();
          } else if (def.steps[next].actor.kind === 'rule') {
            expect(h.engine.state.done.find((d) => d.seq === seq + 1)?.key).toBe(next);
          } else {
            expect(h.cur().key).toBe(next);
            expect(h.engine.state.status).toBe('running');
          }
        });
      }
    }
  }
});

test('a rule step decides by the case records and goes on at once (minors to school, adults to the course)', () => {
  for (const [answer, next] of [
    ['yes', 'school-place'],
    ['no', 'measure'],
  ] as const) {
    const rule = Object.entries(EDUCATION.steps).find(([, s]) => s.actor.kind === 'rule')!;
    const h = host({ ...EDUCATION, start: rule[0] }, { answers: { rule: answer } });
    h.run(h.engine.start());
    expect(h.effects.map((e) => e.kind).slice(0, 3)).toEqual(['record', 'evaluateRule', 'record']);
    expect(h.engine.state.done[0]).toMatchObject({ key: rule[0], outcome: answer });
    expect(h.cur().key).toBe(EDUCATION.steps[rule[0]].outcomes[answer].next);
    expect(next).toBe(EDUCATION.steps[rule[0]].outcomes[answer].next);
  }
});

test('a loop: support needed → training (waits 28 days) → readiness again, a new step instance each time', () => {
  const h = host(MOVE_OUT);
  h.run(h.engine.start());
  expect(h.cur()).toMatchObject({ key: 'readiness', seq: 1, phase: 'active' });
  h.complete('support-needed');
  expect(h.cur()).toMatchObject({ key: 'training', seq: 2, phase: 'waiting' });
  expect(Date.parse(h.cur().activeFrom!) - h.now()).toBe(28 * DAY);
  expect(() => h.complete('done')).toThrow(/beginnt erst am/);
  const t = h.fireNext();
  expect(t.kind).toBe('activate');
  expect(h.cur().phase).toBe('active');
  h.complete('done');
  expect(h.cur()).toMatchObject({ key: 'readiness', seq: 3 });
  expect(h.events()).toEqual([
    'chain.started',
    'step.started',
    'step.completed',
    'step.waiting',
    'step.started',
    'step.completed',
    'step.started',
  ]);
});

test('deadline in working days (Berlin): reminder at the deadline, escalation one interval later, then nothing', () => {
  const h = host(MOVE_OUT, { start: '2026-03-27T10:00:00Z' }); // Friday before Easter; 10 working days skip Good Friday and Easter Monday
  h.run(h.engine.start());
  expect(h.cur().dueAt).toBe('2026-04-14T21:59:59.999Z'); // Tuesday 14 April, 23:59:59.999 CEST
  const reminder = h.fireNext();
  expect(reminder).toMatchObject({ kind: 'deadline', at: Date.parse('2026-04-14T21:59:59.999Z') });
  expect(h.cur()).toMatchObject({ overdue: true, reminders: 1, escalated: false });
  const escalation = h.fireNext();
  expect(escalation.kind).toBe('escalation');
  expect(escalation.at - reminder.at).toBe(reminder.at - Date.parse('2026-03-27T10:00:00Z'));
  expect(h.cur().escalated).toBe(true);
  expect(h.engine.nextTimer()).toBeUndefined();
  expect(h.events().slice(-2)).toEqual(['step.reminder', 'step.escalation']);
});

test('the offer step reminds weekly and asks for a supervisor review after 91 days, once', () => {
  const h = at(MOVE_OUT, 'offer');
  const start = h.now();
  const kinds: string[] = [];
  for (let i = 0; i < 14; i++) kinds.push(h.fireNext().kind);
  expect(kinds.filter((k) => k === 'periodic')).toHaveLength(13);
  expect(kinds.filter((k) => k === 'review')).toHaveLength(1);
  expect(h.cur()).toMatchObject({ pings: 13, reviewed: true });
  expect(h.engine.nextTimer()!.at).toBe(start + 14 * 7 * DAY);
});

test('scaled days for tests and demos: one day lasts daySeconds', () => {
  const h = host(MOVE_OUT, { daySeconds: 2 });
  h.run(h.engine.start());
  expect(Date.parse(h.cur().dueAt!) - h.now()).toBe(10 * 2000);
});

test('skip: an optional handoff step is skipped — its task is cancelled first, the state changes at once', () => {
  const h = at(MOVE_OUT, 'wbs');
  const taskId = h.cur().taskId!;
  const a = { stepKey: 'wbs', outcome: 'skip', actor: CASEWORKER };
  expect(h.engine.checkCompleteStep(a)).toBeUndefined();
  const work = h.engine.completeStep(a);
  const first = work.next().value as Effect;
  // before the first effect has been answered, a second skip is already refused: no double skip
  expect(first).toEqual({ kind: 'cancelHandoff', taskId, reason: 'Schritt übersprungen' });
  expect(h.engine.checkCompleteStep(a)).toMatchObject({ type: 'WrongState' });
  // …and so is the department's late result for the skipped task
  h.run(h.engine.handoffEnded({ taskId, stepKey: 'wbs', status: 'completed', outcome: 'issued' }));
  h.run(work);
  expect(h.engine.state.done.at(-1)).toMatchObject({ key: 'wbs', outcome: 'issued', skipped: true });
  expect(h.engine.state.done.filter((d) => d.key === 'wbs')).toHaveLength(1);
  expect(h.events()[0]).toBe('step.skipped');
  expect(h.cur().key).toBe('search-profile');
});

test('skip is refused for a step that is not optional', () => {
  const h = at(MOVE_OUT, 'readiness');
  expect(h.engine.checkCompleteStep({ stepKey: 'readiness', outcome: 'skip', actor: CASEWORKER })).toMatchObject({
    type: 'InvalidInput',
    details: [{ field: 'outcome', message: 'nicht optional' }],
  });
});

test('declined handoff returns to the caseworker; retry hands it off again as a new task, same step instance', () => {
  const h = at(MOVE_OUT, 'residence-check');
  const { seq, taskId } = h.cur();
  expect(h.engine.checkCompleteStep({ stepKey: 'residence-check', outcome: 'retry', actor: CASEWORKER })).toMatchObject({
    type: 'WrongState',
  });
  h.run(h.engine.handoffEnded({ taskId: taskId!, stepKey: 'residence-check', status: 'declined', reason: 'nicht zuständig' }));
  expect(h.cur()).toMatchObject({ phase: 'returned', declineReason: 'nicht zuständig' });
  h.complete('retry');
  expect(h.cur()).toMatchObject({ key: 'residence-check', seq, phase: 'handoff' });
  expect(h.cur().taskId).not.toBe(taskId);
  expect(h.events()).toEqual(['step.returned', 'step.retry', 'step.handoff']);
});

test('a completion while the handoff is with the department is refused; a result for another task is ignored', () => {
  const h = at(MOVE_OUT, 'residence-check');
  expect(h.engine.checkCompleteStep({ stepKey: 'residence-check', outcome: 'clear', actor: CASEWORKER })).toMatchObject({
    type: 'WrongState',
  });
  h.run(h.engine.handoffEnded({ taskId: 'someone-else', stepKey: 'residence-check', status: 'completed', outcome: 'clear' }));
  expect(h.cur().key).toBe('residence-check');
  expect(h.effects).toHaveLength(0);
});

describe('consent gate', () => {
  test('without consent the step waits and says which department is missing; a consent hands it off', () => {
    const h = at(MOVE_OUT, 'residence-check', { covered: false });
    expect(h.cur()).toMatchObject({ phase: 'consent', department: 'auslaenderbehoerde' });
    expect(h.events()).toEqual([]); // at() cleared; the entry recorded step.consent_missing
    expect(h.engine.checkCompleteStep({ stepKey: 'residence-check', outcome: 'clear', actor: CASEWORKER })).toMatchObject({
      type: 'WrongState',
    });
    h.run(h.engine.consentChanged()); // still none: recorded once only
    expect(h.events()).toEqual([]);
    h.effects.length = 0;
    h.answers.covered = true;
    h.run(h.engine.consentChanged());
    expect(h.cur().phase).toBe('handoff');
    expect(h.effects.map((e) => e.kind)).toEqual(['patched', 'checkConsent', 'prepareHandoff', 'startHandoff', 'record']);
  });

  test('a consent change arriving while a check runs makes it check once more, never hands off twice', () => {
    const h = at(MOVE_OUT, 'residence-check', { covered: false });
    h.answers.covered = true;
    const first = h.engine.consentChanged();
    expect(first.next().value).toMatchObject({ kind: 'patched' });
    h.run(h.engine.consentChanged()); // arrives meanwhile: only noted
    h.run(first);
    expect(h.effects.filter((e) => e.kind === 'startHandoff')).toHaveLength(1);
  });

  test('a withdrawal cancelling the task puts the step back to waiting for consent; a caseworker cancel returns it', () => {
    const h = at(MOVE_OUT, 'residence-check');
    const taskId = h.cur().taskId!;
    h.answers.covered = false;
    h.run(h.engine.handoffEnded({ taskId, stepKey: 'residence-check', status: 'cancelled', reason: 'Einwilligung widerrufen' }));
    expect(h.cur()).toMatchObject({ phase: 'consent', taskId: undefined });
    expect(h.effects.find((e) => e.kind === 'record')).toMatchObject({
      record: { event: 'step.consent_missing', details: { cancelledTask: taskId } },
    });

    const g = at(MOVE_OUT, 'residence-check');
    g.run(g.engine.handoffEnded({ taskId: g.cur().taskId!, stepKey: 'residence-check', status: 'cancelled', reason: 'storniert' }));
    expect(g.cur()).toMatchObject({ phase: 'returned', declineReason: 'storniert' });
  });

  test('resume re-checks a step waiting for consent', () => {
    const h = at(MOVE_OUT, 'residence-check', { covered: false });
    h.run(h.engine.hold('Urlaub', CASEWORKER));
    h.answers.covered = true;
    h.run(h.engine.consentChanged()); // on hold: nothing happens
    expect(h.cur().phase).toBe('consent');
    h.run(h.engine.resume(CASEWORKER));
    expect(h.cur().phase).toBe('handoff');
  });
});

test('a handoff due on the move-in date ends that day in Berlin — summer (CEST) and winter (CET)', () => {
  for (const [date, due] of [
    ['2026-07-15', '2026-07-15T21:59:59.999Z'],
    ['2026-12-15', '2026-12-15T22:59:59.999Z'],
  ]) {
    const h = at(MOVE_OUT, 'lease');
    h.complete('signed', { moveInDate: date });
    h.departmentDone('approved'); // furnishing
    expect(h.cur().key).toBe('move');
    expect(h.cur().dueAt).toBe(due);
    const start = h.effects.filter((e) => e.kind === 'startHandoff').at(-1);
    expect(start).toMatchObject({ input: { dueAt: due, parentWorkflowId: 'chain-c-1-x', stepKey: 'shelter-release' } });
  }
});

test('hold, resume, cancel and reassign: validated, recorded, the chain ends on cancel and its task is cancelled', () => {
  const h = at(MOVE_OUT, 'residence-check');
  expect(h.engine.checkHold(' ')).toMatchObject({ type: 'InvalidInput', details: [{ field: 'reason' }] });
  expect(h.engine.checkResume()).toMatchObject({ type: 'WrongState' });
  h.run(h.engine.hold('Krankenhaus', CASEWORKER));
  expect(h.engine.checkHold('nochmal')).toMatchObject({ type: 'WrongState' });
  expect(h.engine.nextTimer()).toBeUndefined(); // no reminders while on hold
  h.run(h.engine.resume(CASEWORKER));
  expect(h.engine.checkReassign('')).toMatchObject({ details: [{ field: 'caseworkerId' }] });
  h.run(h.engine.reassign('u-2', 'Vertretung', CASEWORKER));
  expect(h.engine.state.assigneeId).toBe('u-2');
  const taskId = h.cur().taskId;
  h.run(h.engine.cancel('Person verzogen', CASEWORKER));
  expect(h.engine.state).toMatchObject({ status: 'cancelled', reason: 'Person verzogen' });
  expect(h.effects.filter((e) => e.kind === 'cancelHandoff')).toEqual([
    { kind: 'cancelHandoff', taskId, reason: 'Kette abgebrochen: Person verzogen' },
  ]);
  expect(h.events()).toEqual(['chain.held', 'chain.resumed', 'chain.reassigned', 'chain.cancelled']);
  for (const r of [h.engine.checkCancel('x'), h.engine.checkHold('x'), h.engine.checkReassign('u-3')])
    expect(r).toMatchObject({ type: 'WrongState' });
  expect(h.engine.checkCompleteStep({ stepKey: 'residence-check', outcome: 'clear', actor: CASEWORKER })).toMatchObject({
    message: 'Die Kette ist beendet.',
  });
});

test('invalid outcome or data: 400-type rejections naming the field; a step that is not current: 409-type', () => {
  const h = at(MOVE_OUT, 'search-profile');
  expect(h.engine.checkCompleteStep({ stepKey: 'search-profile', outcome: 'nope', actor: CASEWORKER })).toMatchObject({
    type: 'InvalidInput',
    details: [{ field: 'outcome' }],
  });
  const r = h.engine.checkCompleteStep({ stepKey: 'search-profile', outcome: 'done', data: { rooms: 0 }, actor: CASEWORKER });
  expect(r?.type).toBe('InvalidInput');
  expect(r?.details?.map((d) => d.field)).toEqual(expect.arrayContaining(['data.rooms', 'data.rentCap']));
  expect(h.engine.checkCompleteStep({ stepKey: 'offer', outcome: 'received', actor: CASEWORKER })).toMatchObject({ type: 'WrongState' });
});

test('each record carries the next sequence number and a snapshot of the state at that moment', () => {
  const h = host(MOVE_OUT);
  h.run(h.engine.start());
  h.complete('ready');
  const records = h.effects.flatMap((e) => (e.kind === 'record' ? [e.record] : []));
  expect(records.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
  const completed = records.find((r) => r.event === 'step.completed')!;
  expect(completed.state.current).toBeUndefined();
  expect(completed.titles.step).toBe('Wohnfähigkeit einschätzen');
  expect(records.at(-1)!.state.current?.key).toBe('residence-check');
});

test('the done list keeps the last 200 steps', () => {
  const h = host(MOVE_OUT);
  h.run(h.engine.start());
  for (let i = 0; i < 120; i++) {
    h.complete('support-needed');
    h.fireNext();
    h.complete('done');
  }
  expect(h.engine.state.done).toHaveLength(200);
  expect(h.engine.state.stepSeq).toBe(241);
});

describe("two branch results interleaved (how histories before the workflow's chain-serial-work ran them)", () => {
  it('the branch that finishes second finds its fork joined and does nothing more (before: entered a step „join" and failed)', () => {
    const h = host(chainDefinitionFor('move-out', 2)!);
    h.run(h.engine.start());
    h.complete('ready');
    const branch = (key: string) => h.engine.state.fork!.branches.find((b) => b.key === key)!;
    const a = h.engine.handoffEnded({
      taskId: branch('residence-check').taskId!,
      stepKey: 'residence-check',
      status: 'completed',
      outcome: 'clear',
    });
    const b = h.engine.handoffEnded({ taskId: branch('wbs').taskId!, stepKey: 'wbs', status: 'completed', outcome: 'issued' });
    // both record their step before either goes on: the two pieces of work interleave
    const na = a.next();
    const nb = b.next();
    const finish = (g: Run, n: IteratorResult<Effect, void>) => {
      while (!n.done) {
        h.effects.push(n.value);
        n = g.next((n.value.kind === 'record' ? 'recorded' : undefined) as never);
      }
    };
    finish(a, na);
    finish(b, nb);
    expect(h.engine.state.fork).toBeUndefined();
    expect(h.engine.state.current?.key).toBe('search-profile');
    expect(h.engine.state.done.filter((d) => d.key === 'checks')).toHaveLength(1);
    expect(h.events().filter((e) => e === 'step.completed')).toHaveLength(4); // readiness, both branches, the join
  });
});
