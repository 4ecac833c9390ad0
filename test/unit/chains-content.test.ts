// Chains v2 content (issue 14) without Temporal or a database: every shipped definition passes the
// definition checker an upload must pass; after-care counts from the move-in date; education v2 sends
// minors to the school place first and waits before asking again when there is none.
import { chainDefinitionFor, shippedChainDefinitions } from '../../core/domain/chains';
import type { Effect, EffectResults, Run } from '../../core/domain/chains/effects';
import { ChainEngine, initialChainState } from '../../core/domain/chains/engine';
import type { ChainDefinition } from '../../core/domain/chains/schema';
import type { ChainActor } from '../../core/domain/chains/state';
import { checkChainDefinition } from '../../core/domain/chains/validation';
import { DEMO_DEPARTMENTS } from '../../core/db/seed';
import { HANDOFF_STEPS } from '../../core/domain/handoff';
import { hasMessage } from '../../core/i18n/status-page';
import { escapeHtml } from '../../core/html';
import { chainDiagram } from '../../api/pages/chain-diagram';

const DAY = 86_400_000;
const CW: ChainActor = { kind: 'user', userId: 'u-1', role: 'caseworker' };
const ctx = { departments: DEMO_DEPARTMENTS.map((d) => d.id), handoffSteps: HANDOFF_STEPS };

describe('every shipped definition passes the definition checker', () => {
  for (const d of shippedChainDefinitions()) {
    test(`${d.type} v${d.version}`, () => {
      const r = checkChainDefinition(structuredClone(d), ctx);
      expect(r.ok ? [] : r.issues).toEqual([]);
    });
  }
  test('the person’s status page has plain words for every step of every shipped chain', () => {
    const missing = shippedChainDefinitions().flatMap((d) =>
      Object.keys(d.steps)
        .filter((k) => !hasMessage(`step.${k}`))
        .map((k) => `${d.type}.${k}`),
    );
    expect(missing).toEqual([]);
  });
  test('the diagram (case page, process page) draws every step of every shipped chain', () => {
    for (const d of shippedChainDefinitions()) {
      const svg = String(chainDiagram({ id: `${d.type}-${d.version}`, definition: d, status: 'running', steps: [] }));
      expect(svg).toContain('<svg');
      for (const s of Object.values(d.steps)) expect(svg).toContain(escapeHtml(s.title));
    }
  });
  test('the new versions and the health chain are shipped', () => {
    expect(shippedChainDefinitions().map((d) => `${d.type}@${d.version}`)).toEqual(
      expect.arrayContaining(['move-out@1', 'move-out@2', 'education-work@1', 'education-work@2', 'health@1']),
    );
  });
  test('waitFromField must name a date field of an existing step and come with waitDays', () => {
    const d = structuredClone(chainDefinitionFor('move-out', 2)!);
    d.steps['aftercare-2w'].waitFromField = { step: 'lease', field: 'signedOn' };
    d.steps['aftercare-6w'].waitFromField = { step: 'search-profile', field: 'rooms' };
    delete d.steps['aftercare-12w'].waitDays;
    const r = checkChainDefinition(d, ctx);
    expect(r.ok ? [] : r.issues.map((i) => i.message)).toEqual([
      'Schritt „aftercare-2w“: verweist auf das Feld „signedOn“, das „lease“ nicht hat.',
      'Schritt „aftercare-6w“: das Feld „rooms“ von „search-profile“ ist kein Datum.',
      'Schritt „aftercare-12w“: waitFromField braucht waitDays (Tage ab dem Datum).',
    ]);
  });
});

/** An engine on `def`, its effects answered with plain values. */
function host(def: ChainDefinition, opts: { now: string; daySeconds?: number; rule?: string }) {
  let now = Date.parse(opts.now);
  const effects: Effect[] = [];
  let tasks = 0;
  const engine = new ChainEngine(
    initialChainState({ processId: 'p-1', caseId: 'c-1', definition: def, daySeconds: opts.daySeconds ?? 0, assigneeId: 'u-1' }),
    def,
    { now: () => now, daySeconds: opts.daySeconds ?? 0, workflowId: 'chain-c-1-x' },
  );
  let rule = opts.rule ?? 'no';
  const answer = (e: Effect): EffectResults[Effect['kind']] => {
    if (e.kind === 'evaluateRule') return rule;
    if (e.kind === 'checkConsent') return { departmentId: e.target.department ?? 'jobcenter', covered: true };
    if (e.kind === 'prepareHandoff')
      return { taskId: `t-${++tasks}`, departmentId: e.request.department ?? 'jobcenter', ackDays: 2, completeDays: 5 };
    if (e.kind === 'patched') return true;
    return e.kind === 'record' ? 'recorded' : undefined;
  };
  const run = (work: Run) => {
    for (let next = work.next(); !next.done;) {
      effects.push(next.value);
      next = work.next(answer(next.value));
    }
  };
  const cur = () => engine.state.current!;
  return {
    engine,
    effects,
    cur,
    run,
    setRule: (r: string) => (rule = r),
    setNow: (iso: string) => (now = Date.parse(iso)),
    complete: (outcome: string, data?: Record<string, unknown>) => {
      const a = { stepKey: cur().key, outcome, data, actor: CW };
      const r = engine.checkCompleteStep(a);
      if (r) throw new Error(`refused: ${r.message}`);
      run(engine.completeStep(a));
    },
    departmentDone: (outcome: string) =>
      run(engine.handoffEnded({ taskId: cur().taskId!, stepKey: cur().key, status: 'completed', outcome })),
    fireNext: () => {
      const t = engine.nextTimer()!;
      now = t.at;
      run(engine.fire(t));
    },
    handoffs: () => effects.flatMap((e) => (e.kind === 'prepareHandoff' ? [e.request.stepKey] : [])),
  };
}

describe('move-out v2: after-care counts from the move-in date', () => {
  const def = chainDefinitionFor('move-out', 2)!;
  /** the chain at its registration step, the lease signed with this move-in date */
  function afterRegistration(moveInDate: string, now: string, daySeconds = 0) {
    const h = host({ ...def, start: 'lease' }, { now, daySeconds });
    h.run(h.engine.start());
    h.complete('signed', { moveInDate });
    expect(h.engine.state.facts['lease.moveInDate']).toBe(moveInDate);
    h.departmentDone('arranged'); // rent paid directly to the landlord
    h.complete('done', { handoverDate: moveInDate, electricity: 12_345 });
    h.departmentDone('released'); // shelter place
    return h;
  }

  test('the first contact is due two weeks after the move-in date, not two weeks after the last step', () => {
    // registration recorded 10 days after the move-in (1 March, Berlin): the contact after 2 weeks is
    // due on 15 March, not 14 days after the registration
    const h = afterRegistration('2027-03-01', '2027-03-01T08:00:00Z');
    h.setNow('2027-03-11T09:00:00Z');
    h.complete('done', { registeredOn: '2027-03-11' });
    expect(h.engine.state.current).toBeUndefined(); // the address fork runs first
    expect(h.engine.state.fork?.key).toBe('address-change');
    for (const b of [...h.engine.state.fork!.branches]) {
      h.run(h.engine.handoffEnded({ taskId: b.taskId!, stepKey: b.key, status: 'completed', outcome: 'noted' }));
    }
    // no children (rule answers no) → straight to after-care, waiting until 15 March 00:00 Berlin
    expect(h.cur()).toMatchObject({ key: 'aftercare-2w', phase: 'waiting', activeFrom: '2027-03-14T23:00:00.000Z' });
    h.fireNext();
    h.complete('ok');
    expect(h.cur()).toMatchObject({ key: 'landlord-contact', phase: 'waiting', activeFrom: '2027-03-28T22:00:00.000Z' }); // 29 March, summer time
  });

  test('a move-in date far enough back activates the after-care step at once', () => {
    const h = afterRegistration('2027-01-04', '2027-03-01T08:00:00Z');
    h.complete('done', { registeredOn: '2027-03-01' });
    for (const b of [...h.engine.state.fork!.branches])
      h.run(h.engine.handoffEnded({ taskId: b.taskId!, stepKey: b.key, status: 'completed', outcome: 'noted' }));
    expect(h.cur()).toMatchObject({ key: 'aftercare-2w', phase: 'active' });
    h.complete('ok');
    expect(h.cur()).toMatchObject({ key: 'landlord-contact', phase: 'active' });
  });

  test('with scaled days the days still to wait are scaled', () => {
    const h = afterRegistration('2027-03-01', '2027-03-01T08:00:00Z', 1);
    h.complete('done', { registeredOn: '2027-03-01' });
    for (const b of [...h.engine.state.fork!.branches])
      h.run(h.engine.handoffEnded({ taskId: b.taskId!, stepKey: b.key, status: 'completed', outcome: 'noted' }));
    // 15 March 00:00 Berlin is 13 days 15 hours after 1 March 08:00 UTC: 13.625 scaled seconds
    const waited = Date.parse(h.cur().activeFrom!) - Date.parse('2027-03-01T08:00:00Z');
    expect(waited).toBe(13_625);
  });

  test('children in the household: the school or Kita change is handed to the Schulamt', () => {
    const h = afterRegistration('2027-03-01', '2027-03-01T08:00:00Z');
    h.setRule('yes');
    h.complete('done', { registeredOn: '2027-03-01' });
    for (const b of [...h.engine.state.fork!.branches])
      h.run(h.engine.handoffEnded({ taskId: b.taskId!, stepKey: b.key, status: 'completed', outcome: 'noted' }));
    expect(h.cur()).toMatchObject({ key: 'school-change', phase: 'handoff' });
    expect(h.engine.state.done.map((x) => `${x.key}:${x.outcome}`)).toContain('children:yes');
  });
});

describe('education/work v2', () => {
  const def = chainDefinitionFor('education-work', 2)!;

  test('a minor goes to the school place before any counselling; no place waits 14 days, then asks again', () => {
    const h = host(def, { now: '2027-03-01T08:00:00Z', rule: 'yes' });
    h.run(h.engine.start());
    expect(h.cur()).toMatchObject({ key: 'school-place', phase: 'handoff' });
    expect(h.handoffs()).toEqual(['school-place']);
    h.departmentDone('none-available');
    expect(h.cur()).toMatchObject({
      key: 'school-place-wait',
      phase: 'waiting',
      activeFrom: new Date(Date.parse('2027-03-01T08:00:00Z') + 14 * DAY).toISOString(),
    });
    h.fireNext(); // still a minor: the Schulamt is asked again
    expect(h.cur()).toMatchObject({ key: 'school-place', phase: 'handoff' });
    h.departmentDone('assigned');
    expect(h.cur()).toMatchObject({ key: 'school-follow-up', phase: 'waiting' });
    h.fireNext();
    h.complete('leaving-soon', { expectedLeaving: '2027-07-01' });
    expect(h.cur()).toMatchObject({ key: 'vocational-guidance', phase: 'handoff', department: 'agentur-fuer-arbeit' });
    h.departmentDone('done');
    h.complete('training');
    expect(h.cur().key).toBe('follow-up');
    expect(h.handoffs()).toEqual(['school-place', 'school-place', 'vocational-guidance']); // never the Jobcenter counselling
  });

  test('turned 18 while waiting for a school place: on to the adult path', () => {
    const h = host(def, { now: '2027-03-01T08:00:00Z', rule: 'yes' });
    h.run(h.engine.start());
    h.departmentDone('none-available');
    h.setRule('no');
    h.fireNext();
    expect(h.cur()).toMatchObject({ key: 'education-history', phase: 'active' });
  });

  test('an adult: integration course (BAMF admission) and the language level before the counselling; ends with an end code', () => {
    const h = host(def, { now: '2027-03-01T08:00:00Z', rule: 'no' });
    h.run(h.engine.start());
    h.complete('done');
    h.complete('apply-admission', { basis: 'bamf-certificate' });
    expect(h.cur()).toMatchObject({ key: 'integration-course-admission', phase: 'handoff', department: 'bamf' });
    h.departmentDone('admitted');
    h.complete('enrolled', { start: '2027-04-01' });
    expect(() => h.complete('reached', {})).toThrow(/Sprachniveau/);
    h.complete('reached', { level: 'B1', certificateOn: '2027-10-30' });
    expect(h.cur()).toMatchObject({ key: 'counselling', phase: 'handoff' });
    h.departmentDone('done');
    h.departmentDone('finished');
    h.complete('work', { employer: 'Betrieb' });
    h.fireNext();
    h.complete('stable');
    expect(h.engine.state).toMatchObject({ status: 'completed', endCode: 'training-or-work' });
  });
});

describe('health v1', () => {
  test('insurance applied for, GP, referral to the PSZ; care in place after three months', () => {
    const h = host(chainDefinitionFor('health', 1)!, { now: '2027-03-01T08:00:00Z' });
    h.run(h.engine.start());
    h.complete('application-needed', { coverage: 'none' });
    expect(h.cur()).toMatchObject({ key: 'insurance-application', phase: 'handoff' });
    h.departmentDone('granted');
    h.complete('registered', { registeredOn: '2027-03-10' });
    h.complete('referral');
    expect(h.cur()).toMatchObject({ key: 'referral', phase: 'handoff', department: 'psz' });
    h.departmentDone('waiting-list');
    expect(h.cur()).toMatchObject({ key: 'follow-up', phase: 'waiting' });
    h.fireNext();
    h.complete('stable');
    expect(h.engine.state).toMatchObject({ status: 'completed', endCode: 'care-in-place' });
  });
});
