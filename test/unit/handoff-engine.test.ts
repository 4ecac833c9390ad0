// The handoff rules on their own: plain values and a fake clock (the workflow around them is tested
// end to end in test/handoffs/*, and replayed from a stored history in test/replay.test.ts).
import type { HandoffAction, HandoffActor, HandoffInput } from '../../core/domain/handoff';
import { HandoffEngine, checkHandoffAction } from '../../core/domain/handoff-engine';

const MEMBER: HandoffActor = { kind: 'user', userId: 'u-9', departmentId: '5-50' };
const OTHER: HandoffActor = { kind: 'user', userId: 'u-8', departmentId: 'jobcenter' };

function handoff(extra: Partial<HandoffInput> = {}) {
  let now = Date.parse('2026-07-06T08:00:00Z'); // Monday, summer time
  const input: HandoffInput = {
    taskId: 't-1',
    caseId: 'c-1',
    stepKey: 'cost-approval',
    departmentId: '5-50',
    ackDays: 3,
    completeDays: 5,
    workingDaySeconds: 0,
    ...extra,
  };
  const engine = new HandoffEngine(HandoffEngine.initialState(input), input, () => now);
  const act = (a: HandoffAction) => {
    const r = checkHandoffAction(engine.state, a);
    if (r) return r;
    engine.act(a);
    return undefined;
  };
  return {
    engine,
    act,
    setNow: (ms: number) => {
      now = ms;
    },
  };
}

test('notified: the acknowledgement is due after 3 working days at 23:59:59.999 Berlin time', () => {
  const { engine } = handoff();
  expect(engine.notify('Mietübernahme')).toEqual({ event: 'notified', actor: { kind: 'system' }, details: { title: 'Mietübernahme' } });
  expect(engine.state).toMatchObject({ status: 'notified', ackDueAt: '2026-07-09T21:59:59.999Z' });
});

test('accept → complete with a valid outcome and data; each action is checked against the state first', () => {
  const { engine, act } = handoff();
  expect(act({ action: 'accept', actor: MEMBER })).toMatchObject({ type: 'WrongState' }); // not yet delivered
  engine.notify(undefined);
  expect(act({ action: 'accept', actor: OTHER })).toMatchObject({ type: 'Forbidden' });
  expect(act({ action: 'accept', actor: MEMBER })).toBeUndefined();
  expect(engine.state).toMatchObject({ status: 'accepted', dueAt: '2026-07-13T21:59:59.999Z' });
  expect(act({ action: 'accept', actor: MEMBER })).toMatchObject({ type: 'WrongState', message: 'Die Aufgabe wurde bereits angenommen.' });
  expect(act({ action: 'complete', actor: MEMBER, outcome: 'maybe' })).toMatchObject({
    type: 'InvalidInput',
    details: [{ field: 'outcome' }],
  });
  expect(act({ action: 'complete', actor: MEMBER, outcome: 'approved', data: { approvedRent: -1 } })).toMatchObject({
    type: 'InvalidInput',
    details: [{ field: 'data.approvedRent' }],
  });
  expect(act({ action: 'complete', actor: MEMBER, outcome: 'approved', data: { approvedRent: 612.5 } })).toBeUndefined();
  expect(engine.state).toMatchObject({ status: 'completed', outcome: 'approved', data: { approvedRent: 612.5 } });
  expect(engine.ended).toBe(true);
  expect(act({ action: 'decline', actor: MEMBER, reason: 'zu spät' })).toMatchObject({
    type: 'WrongState',
    message: 'Die Aufgabe ist bereits erledigt.',
  });
});

test('a fixed due date (move-in day) replaces the completion deadline', () => {
  const { engine, act } = handoff({ dueAt: '2026-08-01T21:59:59.999Z' });
  engine.notify(undefined);
  act({ action: 'accept', actor: MEMBER });
  expect(engine.state.dueAt).toBe('2026-08-01T21:59:59.999Z');
});

test('decline and forward need a reason; forward starts a new acknowledgement phase at the other department', () => {
  const { engine, act, setNow } = handoff();
  engine.notify(undefined);
  expect(act({ action: 'decline', actor: MEMBER, reason: ' ' })).toMatchObject({ type: 'InvalidInput', details: [{ field: 'reason' }] });
  expect(act({ action: 'forward', actor: MEMBER, departmentId: '5-50', reason: 'falsche Stelle' })).toMatchObject({
    details: [{ field: 'department' }],
  });
  setNow(Date.parse('2026-07-07T08:00:00Z'));
  expect(act({ action: 'forward', actor: MEMBER, departmentId: 'jobcenter', reason: 'SGB II' })).toBeUndefined();
  expect(engine.state).toMatchObject({ status: 'notified', departmentId: 'jobcenter', ackDueAt: '2026-07-10T21:59:59.999Z' });
  expect(act({ action: 'decline', actor: MEMBER, reason: 'nicht wir' })).toMatchObject({ type: 'Forbidden' });
  expect(act({ action: 'decline', actor: OTHER, reason: 'keine Zuständigkeit' })).toBeUndefined();
  expect(engine.state).toMatchObject({ status: 'declined', reason: 'keine Zuständigkeit' });
});

test('missed deadlines: a reminder at the deadline, an escalation one interval later, then no more timers; an action starts afresh', () => {
  const { engine, act, setNow } = handoff({ workingDaySeconds: 10 });
  engine.notify(undefined);
  const first = engine.nextMiss()!;
  expect(first - Date.parse('2026-07-06T08:00:00Z')).toBe(30_000);
  setNow(first);
  expect(engine.missed()).toMatchObject({ event: 'reminder', details: { phase: 'ack' } });
  expect(engine.nextMiss()! - first).toBe(30_000);
  setNow(engine.nextMiss()!);
  expect(engine.missed()).toMatchObject({ event: 'escalation' });
  expect(engine.state).toMatchObject({ overdue: true, reminders: 1, escalated: true });
  expect(engine.nextMiss()).toBeUndefined();
  act({ action: 'accept', actor: MEMBER });
  expect(engine.state.overdue).toBe(false);
  expect(engine.nextMiss()).toBeDefined();
});

test('a cancel from the chain ends an open handoff once; an ended one stays as it is', () => {
  const { engine, act } = handoff();
  engine.notify(undefined);
  const before = engine.changes;
  expect(engine.cancelledByChain('Kette abgebrochen')).toMatchObject({ event: 'cancelled' });
  expect(engine.changes).toBe(before + 1);
  expect(engine.cancelledByChain('nochmal')).toBeUndefined();
  expect(act({ action: 'cancel', actor: MEMBER, reason: 'doppelt' })).toMatchObject({ type: 'WrongState' });
});
