// Retention on the real stack: the boot creates the Temporal Schedule once (a second boot changes
// nothing, other settings update it, KIM_RETENTION_DAYS=0 pauses it); the scheduled retention workflow
// anonymises a closed case past its period (names, birth date, free text of every table), leaves an
// open and a recently closed case alone, keeps the name of a person with another open case, leaves the
// supervisor's figures unchanged, and a further run changes nothing. Periods in seconds
// (KIM_RETENTION_DAY_SECONDS=1); the schedule is per task queue, so it never touches another test file.
import { ScheduleNotFoundError } from '@temporalio/client';
import { createRetentionActivities } from '../../activities/retention';
import { bootRetentionSchedule } from '../../app/boot';
import { loadConfig } from '../../core/config';
import { createLogger } from '../../core/log';
import { retentionScheduleId } from '../../core/retention';
import type { RetentionResult } from '../../core/domain/retention';
import { BATCHES_PER_RUN } from '../../workflows/retention';
import { expectNoSeriousAxeViolations, launchBrowser } from '../support/browser';
import { recordHistory } from '../support/histories';
import { chainDriver } from '../support/chain-helpers';
import { FormClient, hidden } from '../support/form-client';
import { DEMO_PASSWORD, eventually, PAYLOAD_KEYS, startStack, testEnv, type Stack } from '../support/stack';
import { startNewChainsOnV1 } from '../support/chain-versions';

// written for v1 of the shipped chains: new chains here start on v1 (v2: test/chains/chains-content.test.ts)
startNewChainsOnV1();

let stack: Stack;
let caseworker: string;
let supervisor: string;
let d: ReturnType<typeof chainDriver>;
const log = createLogger('silent');

/** the installation's configuration as the boot reads it: periods in seconds, a check every 2 s */
const config = (over: Record<string, string> = {}) =>
  loadConfig({
    TEMPORAL_TASK_QUEUE: stack.taskQueue,
    KIM_PAYLOAD_KEYS: PAYLOAD_KEYS,
    KIM_RETENTION_DAY_SECONDS: '1',
    KIM_RETENTION_DAYS: '600',
    KIM_RETENTION_CHECK_HOURS: '48',
    ...over,
  });
const boot = (over: Record<string, string> = {}) => bootRetentionSchedule(config(over), testEnv().temporalAddress, log);
const schedule = () => stack.client.schedule.getHandle(retentionScheduleId(stack.taskQueue));

beforeAll(async () => {
  stack = await startStack();
  caseworker = await stack.token('fallmanagement@kim.example');
  supervisor = await stack.token('leitung@kim.example');
  d = chainDriver(stack, caseworker);
});
afterAll(async () => {
  await schedule()
    .delete()
    .catch(() => {});
  await stack?.stop();
});

async function person(firstName: string, lastName: string, extra: Record<string, unknown> = {}) {
  const r = await stack.api('POST', '/api/persons', { token: caseworker, body: { firstName, lastName, ...extra } });
  expect(r.status).toBe(201);
  return r.body.id as string;
}
async function newCase(personId: string) {
  const r = await stack.api('POST', '/api/cases', { token: caseworker, body: { personId, topic: 'housing' } });
  expect(r.status).toBe(201);
  return r.body as { id: string; reference: string };
}
async function close(caseId: string) {
  const r = await stack.api('POST', `/api/cases/${caseId}/status`, { token: caseworker, body: { status: 'closed' } });
  expect(r.status).toBe(200);
}
async function followUp(caseId: string, note: string) {
  const r = await stack.api('POST', `/api/cases/${caseId}/follow-ups`, {
    token: caseworker,
    body: { dueAt: new Date(Date.now() + 86_400_000).toISOString(), note },
  });
  expect(r.status).toBe(201);
}
/** "time passes": the case was closed two hours ago (the period in this test is 600 s) */
const backdate = (ids: string[]) =>
  stack.db.$executeRawUnsafe(`UPDATE "Case" SET "closedAt" = "closedAt" - interval '2 hours' WHERE "id" = ANY($1::text[])`, ids);

/** Every text-like column of every table that contains `needle` (case-insensitive), as "Table.column". */
async function findEverywhere(needle: string): Promise<string[]> {
  const cols = await stack.db.$queryRawUnsafe<Array<{ table_name: string; column_name: string }>>(`
    SELECT table_name::text AS table_name, column_name::text AS column_name FROM information_schema.columns
    WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'jsonb', 'json', 'ARRAY', 'USER-DEFINED')`);
  const hits: string[] = [];
  for (const c of cols) {
    const [{ n }] = await stack.db.$queryRawUnsafe<Array<{ n: bigint }>>(
      `SELECT count(*) AS n FROM "${c.table_name}" WHERE "${c.column_name}"::text ILIKE $1`,
      `%${needle}%`,
    );
    if (n > 0n) hits.push(`${c.table_name}.${c.column_name}`);
  }
  return hits;
}

/** The case-management cycle's records of a case, each with `word` in its free text (issue 13). */
async function caseCycleRecords(caseId: string, word: string) {
  const post = async (path: string, body: unknown) => {
    const r = await stack.api('POST', `/api/cases/${caseId}/${path}`, { token: caseworker, body });
    expect(r.status).toBeLessThan(300);
    return r.body;
  };
  await post('assessments', {
    areas: [{ area: 'housing', situation: `Situation ${word}`, need: 'urgent', resources: `Ressource ${word}` }],
  });
  const plan = await post('plans', {
    goals: [{ area: 'housing', text: `Ziel ${word}`, targetDate: '2099-06-30' }],
    actions: [{ text: `Schritt ${word}`, owner: 'person', dueDate: '2099-05-01' }],
    reviewDate: '2099-06-01',
  });
  const goal = (await stack.api('GET', `/api/cases/${caseId}/plans/${plan.id}`, { token: caseworker })).body.goals[0];
  await post(`plans/${plan.id}/review`, { ratings: [{ goalId: goal.id, rating: 'partly', note: `Bewertung ${word}` }] });
  const entry = await post('journal', { kind: 'phone', text: `Telefonat ${word}` });
  const edit = await stack.api('PUT', `/api/cases/${caseId}/journal/${entry.id}`, {
    token: caseworker,
    body: { text: `Telefonat ${word} (korrigiert)` },
  });
  expect(edit.status).toBe(200);
  const form = new FormData();
  form.set('file', new Blob([Buffer.from(`%PDF-1.4 Mietvertrag ${word}`)]), `Mietvertrag ${word}.pdf`);
  const up = await fetch(`${stack.url}/api/cases/${caseId}/documents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${caseworker}` },
    body: form,
  });
  expect(up.status).toBe(201);
}

const figures = async () => {
  const [dash, work] = await Promise.all([
    stack.api('GET', '/api/dashboard', { token: supervisor }),
    stack.api('GET', '/api/workload', { token: supervisor }),
  ]);
  expect(dash.status).toBe(200);
  expect(work.status).toBe(200);
  const { generatedAt: _g, ...dashboard } = dash.body as Record<string, unknown>;
  const { generatedAt: _w, ...workload } = work.body as Record<string, unknown>;
  return { dashboard, workload };
};

/** Waits for a scheduled (or triggered) run that started after `since` and returns its result. */
async function runAfter(since: Date): Promise<RetentionResult> {
  const action = await eventually(async () => (await schedule().describe()).info.recentActions.find((a) => a.takenAt > since), 30_000, 200);
  return stack.client.workflow.getHandle(action.action.workflow.workflowId, action.action.workflow.firstExecutionRunId).result();
}

it('the boot creates the schedule once, a second boot leaves it, other settings update it, 0 pauses it', async () => {
  expect(await boot()).toBe('created');
  const first = await schedule().describe();
  expect(await boot()).toBe('unchanged'); // second boot: no duplicate, no error
  const again = await schedule().describe();
  expect(again.info.createdAt).toEqual(first.info.createdAt);
  expect(first.spec.intervals).toMatchObject([{ every: 2_000 }]);
  expect(first.policies.overlap).toBe('SKIP');
  expect(first.action).toMatchObject({
    workflowType: 'retentionWorkflow',
    taskQueue: stack.taskQueue,
    args: [{ retentionSeconds: 600, batchSize: 50 }],
  });
  // the workflow input is encrypted like every payload: Temporal stores no plain settings either
  const raw = await stack.client.workflowService.describeSchedule({
    namespace: 'default',
    scheduleId: retentionScheduleId(stack.taskQueue),
  });
  const [payload] = raw.schedule!.action!.startWorkflow!.input!.payloads!;
  expect(Buffer.from(payload.metadata!.encoding!).toString()).toBe('binary/encrypted');
  expect(Buffer.from(payload.data!).toString('latin1')).not.toContain('retentionSeconds');

  expect(await boot({ KIM_RETENTION_DAYS: '0' })).toBe('paused');
  expect((await schedule().describe()).state.paused).toBe(true);
  expect(await boot({ KIM_RETENTION_DAYS: '0' })).toBe('unchanged');
  expect(await boot({ KIM_RETENTION_CHECK_HOURS: '24' })).toBe('updated');
  const changed = await schedule().describe();
  expect(changed.state.paused).toBe(false);
  expect(changed.spec.intervals).toMatchObject([{ every: 1_000 }]);
  expect(await boot()).toBe('updated');
  expect(await boot()).toBe('unchanged');
});

describe('the scheduled run', () => {
  const ids: Record<string, string> = {};
  let refA = '';

  it('anonymises only closed cases past the period, and a person only when all their cases are', async () => {
    await schedule().pause('Testdaten werden angelegt');
    // P1: one case with free text in every place it can hold some
    ids.p1 = await person('Retentia', 'Vergessmann', {
      birthDate: '1990-05-17',
      householdSize: 3,
      shelterId: 'NU-Vergessmann-7',
      benefitType: 'sgb2',
    });
    const a = await newCase(ids.p1);
    ids.a = a.id;
    refA = a.reference;
    await followUp(a.id, 'Notiz Vergessmann');
    expect(
      (
        await stack.api('POST', `/api/cases/${a.id}/consents`, {
          token: caseworker,
          body: { departments: ['5-50', 'auslaenderbehoerde', 'wohnungsamt'], purpose: 'Zweck Vergessmann', givenAt: '2026-11-01' },
        })
      ).status,
    ).toBe(201);
    const chain = await stack.api('POST', `/api/cases/${a.id}/chains`, { token: caseworker, body: { type: 'move-out' } });
    expect(chain.status).toBe(201);
    ids.process = chain.body.id;
    await d.complete(ids.process, 'readiness', 'ready', { assessment: 'Einschätzung Vergessmann' });
    await d.departmentActs(ids.process, 'residence-check', 'accept');
    await d.departmentActs(ids.process, 'residence-check', 'complete', {
      outcome: 'clear',
      'data.note': 'Vermerk Vergessmann',
      'data.validUntil': '2027-03-31',
    });
    await d.at(ids.process, 'wbs', 'handoff');
    await eventually(() => stack.db.actionToken.count({ where: { task: { caseId: a.id, stepKey: 'wbs' } } }));
    // the caseworker's message to the Wohnungsamt (issue 14): free text, deleted with the case's data
    expect(
      (
        await stack.api('POST', `/api/processes/${ids.process}/handoff-messages`, {
          token: caseworker,
          body: { step: 'wbs', text: 'Nachricht Vergessmann' },
        })
      ).status,
    ).toBe(201);
    expect(
      (await stack.api('POST', `/api/processes/${ids.process}/cancel`, { token: caseworker, body: { reason: 'Abbruch Vergessmann' } }))
        .status,
    ).toBe(200);
    await eventually(
      async () =>
        (await stack.db.task.count({ where: { caseId: a.id, status: { in: ['created', 'notified', 'accepted', 'forwarded'] } } })) === 0 &&
        (await stack.db.mail.count({ where: { caseId: a.id, status: 'pending' } })) === 0,
      30_000,
    );
    expect((await stack.api('POST', `/api/persons/${ids.p1}/status-link`, { token: caseworker })).status).toBe(201);
    await caseCycleRecords(a.id, 'Vergessmann'); // assessment, plan + review, journal + edit, document (issue 13)
    await close(a.id);
    // P2: one closed case (due) and one open case → keeps the name
    ids.p2 = await person('Konstantin', 'Bleibmann', { birthDate: '1985-01-02' });
    ids.b1 = (await newCase(ids.p2)).id;
    ids.b2 = (await newCase(ids.p2)).id;
    await followUp(ids.b1, 'Notiz Zweitfall');
    await close(ids.b1);
    // P3: an open case; P4: a case closed just now (not due for 600 s)
    ids.p3 = await person('Olga', 'Offenbach');
    ids.o = (await newCase(ids.p3)).id;
    ids.p4 = await person('Rita', 'Kürzlich');
    ids.r = (await newCase(ids.p4)).id;
    await close(ids.r);
    await backdate([ids.a, ids.b1]);
    expect(await findEverywhere('Vergessmann')).toEqual(
      expect.arrayContaining([
        'Person.lastName',
        'FollowUp.note',
        'Consent.purpose',
        'ProcessStep.data',
        'ProcessEvent.details',
        'Task.data',
        'Task.reason',
        'Assessment.areas',
        'PlanGoal.text',
        'PlanGoal.ratingNote',
        'PlanAction.text',
        'JournalEntry.text',
        'JournalRevision.text',
        'CaseDocument.fileName',
        'HandoffMessage.text',
      ]),
    );
    expect(await stack.db.caseDocumentBlob.count()).toBeGreaterThan(0);
    const before = await figures();

    await schedule().unpause('Test');
    await eventually(
      async () => {
        const rows = await stack.db.case.findMany({ where: { id: { in: [ids.a, ids.b1] } }, select: { anonymizedAt: true } });
        return rows.every((r) => r.anonymizedAt);
      },
      30_000,
      200,
    );

    // P1: every case anonymised → the person too; statistics fields stay
    const p1 = await stack.db.person.findUniqueOrThrow({ where: { id: ids.p1 } });
    expect(p1).toMatchObject({
      firstName: 'Anonymisiert',
      lastName: 'Anonymisiert',
      birthDate: null,
      birthYear: 1990,
      shelterId: null,
      householdSize: 3,
      benefitType: 'sgb2',
    });
    expect(p1.anonymizedAt).not.toBeNull();
    expect(await stack.db.statusLink.count({ where: { personId: ids.p1 } })).toBe(0); // the status link ends with the person
    // P2: the open case keeps the person (and that case) as it was; the closed case's note is gone
    const p2 = await stack.db.person.findUniqueOrThrow({ where: { id: ids.p2 } });
    expect(p2).toMatchObject({ firstName: 'Konstantin', lastName: 'Bleibmann', anonymizedAt: null, birthYear: null });
    expect(p2.birthDate?.toISOString().slice(0, 10)).toBe('1985-01-02');
    expect((await stack.db.case.findUniqueOrThrow({ where: { id: ids.b2 } })).anonymizedAt).toBeNull();
    expect((await stack.db.followUp.findFirstOrThrow({ where: { caseId: ids.b1 } })).note).toBeNull();
    // open and recently closed: untouched
    for (const id of [ids.o, ids.r]) expect((await stack.db.case.findUniqueOrThrow({ where: { id } })).anonymizedAt).toBeNull();
    for (const id of [ids.p3, ids.p4]) expect((await stack.db.person.findUniqueOrThrow({ where: { id } })).anonymizedAt).toBeNull();
    expect((await stack.db.person.findUniqueOrThrow({ where: { id: ids.p4 } })).lastName).toBe('Kürzlich');

    // what statistics need stays: outcomes, statuses, departments, dates; typed step/task data without text
    const steps = await stack.db.processStep.findMany({ where: { processId: ids.process }, orderBy: { seq: 'asc' } });
    expect(steps.find((s) => s.key === 'readiness')).toMatchObject({ outcome: 'ready', status: 'done', data: {} });
    const task = await stack.db.task.findFirstOrThrow({ where: { caseId: ids.a, stepKey: 'residence-check' } });
    expect(task).toMatchObject({
      outcome: 'clear',
      status: 'completed',
      departmentId: 'auslaenderbehoerde',
      data: { validUntil: '2027-03-31' },
    });
    expect(await stack.db.process.findUniqueOrThrow({ where: { id: ids.process } })).toMatchObject({ status: 'cancelled', reason: null });
    expect((await stack.db.consent.findFirstOrThrow({ where: { caseId: ids.a } })).departments).toEqual([
      '5-50',
      'auslaenderbehoerde',
      'wohnungsamt',
    ]);
    expect(await stack.db.actionToken.count({ where: { task: { caseId: ids.a } } })).toBe(0);
    const mails = await stack.db.mail.findMany({ where: { caseId: ids.a } });
    expect(mails.length).toBeGreaterThan(0);
    expect(mails.every((m) => m.to.length === 0 && m.text === '' && m.html === null)).toBe(true);

    // the audit log: one entry each, by the system, IDs only
    const audits = await stack.db.auditEvent.findMany({
      where: { action: { in: ['case.anonymized', 'person.anonymized'] } },
      orderBy: { id: 'asc' },
    });
    expect(audits.map((x) => `${x.action}:${x.entityId}`).sort()).toEqual(
      [`case.anonymized:${ids.a}`, `case.anonymized:${ids.b1}`, `person.anonymized:${ids.p1}`].sort(),
    );
    expect(audits.every((x) => x.actorId === null && x.actorRole === 'system' && x.details === null)).toBe(true);

    // the case cycle: areas, needs, goal areas, ratings and dates stay; text, earlier versions and documents go
    expect((await stack.db.assessment.findFirstOrThrow({ where: { caseId: ids.a } })).areas).toEqual([{ area: 'housing', need: 'urgent' }]);
    expect(await stack.db.planGoal.findFirstOrThrow({ where: { plan: { caseId: ids.a } } })).toMatchObject({
      area: 'housing',
      rating: 'partly',
      text: '',
    });
    expect(await stack.db.journalEntry.findFirstOrThrow({ where: { caseId: ids.a } })).toMatchObject({ kind: 'phone', text: '' });
    expect(await stack.db.caseDocument.count({ where: { caseId: ids.a } })).toBe(0);
    expect(await stack.db.caseDocumentBlob.count()).toBe(0);

    // no trace of the names or the free text anywhere in the database
    for (const needle of ['Vergessmann', 'Retentia', 'Notiz Zweitfall']) expect(await findEverywhere(needle)).toEqual([]);
    // the person with an open case keeps the name — only in the person row
    expect(await findEverywhere('Bleibmann')).toEqual(['Person.lastName']);

    // the supervisor's figures count the anonymised cases as before
    expect(await figures()).toEqual(before);
  });

  it('a further run (scheduled or triggered by hand) changes nothing and writes no second audit entry', async () => {
    const snapshot = async () =>
      JSON.stringify(
        await Promise.all([
          stack.db.case.findMany({ orderBy: { id: 'asc' } }),
          stack.db.person.findMany({ orderBy: { id: 'asc' } }),
          stack.db.processStep.findMany({ orderBy: { id: 'asc' } }),
          stack.db.processEvent.findMany({ orderBy: { id: 'asc' } }),
          stack.db.task.findMany({ orderBy: { id: 'asc' } }),
          stack.db.taskEvent.findMany({ orderBy: { id: 'asc' } }),
          stack.db.mail.findMany({ orderBy: { id: 'asc' } }),
          stack.db.auditEvent.count(),
        ]),
        (_k, v) => (typeof v === 'bigint' ? String(v) : v),
      );
    const before = await snapshot();
    const since = new Date();
    await schedule().trigger();
    expect(await runAfter(since)).toEqual({ cases: 0, persons: 0 });
    expect(await runAfter(new Date())).toEqual({ cases: 0, persons: 0 });
    // a retried activity with the same batch: nothing to do
    expect(
      await createRetentionActivities({ db: stack.db }).anonymizeCases({ caseIds: [ids.a, ids.b1], cutoff: new Date().toISOString() }),
    ).toEqual({ cases: 0, persons: 0 });
    expect(await snapshot()).toBe(before);
  });

  it('an anonymised case shows its date, refuses every change (409, German) and lists show the reference only', async () => {
    const api = await stack.api('GET', `/api/cases/${ids.a}`, { token: caseworker });
    expect(api.status).toBe(200);
    expect(api.body.anonymizedAt).toEqual(expect.any(String));
    expect(api.body.person).toMatchObject({ firstName: 'Anonymisiert', lastName: 'Anonymisiert' });
    for (const [path, body] of [
      [`/api/cases/${ids.a}/follow-ups`, { dueAt: new Date(Date.now() + 86_400_000).toISOString() }],
      [`/api/cases/${ids.a}/consents`, { departments: ['5-50'], purpose: 'neu', givenAt: '2026-11-02' }],
      [`/api/cases/${ids.a}/status`, { status: 'open' }],
      [`/api/cases/${ids.a}/chains`, { type: 'education-work' }],
      [`/api/cases/${ids.a}/handoffs`, { step: 'wbs', department: 'wohnungsamt' }],
      ['/api/cases', { personId: ids.p1, topic: 'health' }],
    ] as const) {
      const r = await stack.api('POST', path, { token: caseworker, body });
      expect([path, r.status]).toEqual([path, 409]);
      expect(r.body.error.message).toMatch(/wurde am \d\d\.\d\d\.\d{4} anonymisiert/);
    }

    const browser = new FormClient(stack.url);
    expect((await browser.login('fallmanagement@kim.example')).status).toBe(303);
    const page = await browser.get(`/faelle/${ids.a}`);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/Anonymisiert am \d\d\.\d\d\.\d{4}/);
    expect(page.text).not.toContain('<form method="post" action="/faelle/');
    const csrf = hidden((await browser.get('/faelle/neu')).text, '_csrf');
    const refused = await browser.post(`/faelle/${ids.a}/status`, { _csrf: csrf, status: 'open' });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('anonymisiert (Löschfrist abgelaufen)');
    const list = await browser.get('/faelle');
    expect(list.text).toContain(refA);
    expect(list.text).not.toContain('Anonymisiert, Anonymisiert');
    expect((await browser.get('/faelle/neu')).text).not.toContain(ids.p1); // an anonymised person cannot get a new case

    // the page in a real browser: no serious accessibility violations
    const b = await launchBrowser({ baseURL: stack.url });
    try {
      await b.page.goto('/login');
      await b.page.fill('#f-email', 'fallmanagement@kim.example');
      await b.page.fill('#f-password', DEMO_PASSWORD);
      await Promise.all([b.page.waitForURL(`${stack.url}/faelle`), b.page.press('#f-password', 'Enter')]);
      await b.page.goto(`/faelle/${ids.a}`);
      await expectNoSeriousAxeViolations(b.page, 'anonymisierter Fall');
      expect(b.problems).toEqual([]);
    } finally {
      await b.close();
    }
  });

  it('with a period of seconds, the recently closed case is anonymised once it is due; the open case never', async () => {
    expect(await boot({ KIM_RETENTION_DAYS: '3', KIM_RETENTION_CHECK_HOURS: '24' })).toBe('updated');
    await eventually(async () => (await stack.db.case.findUniqueOrThrow({ where: { id: ids.r } })).anonymizedAt, 30_000, 200);
    expect((await stack.db.person.findUniqueOrThrow({ where: { id: ids.p4 } })).lastName).toBe('Anonymisiert');
    const since = new Date();
    expect(await runAfter(since)).toEqual({ cases: 0, persons: 0 });
    for (const id of [ids.o, ids.b2]) expect((await stack.db.case.findUniqueOrThrow({ where: { id } })).anonymizedAt).toBeNull();
    expect((await stack.db.person.findUniqueOrThrow({ where: { id: ids.p3 } })).lastName).toBe('Offenbach');
  });
});

it('started by hand, the workflow works through many due cases in bounded batches and continues as new', async () => {
  // from here on only this run anonymises (the schedule exists when the whole file runs)
  await schedule()
    .delete()
    .catch((err) => {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
    });
  const n = BATCHES_PER_RUN + 2;
  const cases: string[] = [];
  for (let i = 0; i < n; i++) {
    const c = await newCase(await person('Stapel', `Nummer${i}`));
    await close(c.id);
    cases.push(c.id);
  }
  const handle = await stack.client.workflow.start('retentionWorkflow', {
    taskQueue: stack.taskQueue,
    workflowId: `retention-by-hand-${stack.taskQueue}`,
    args: [{ retentionSeconds: 0, batchSize: 1 }],
  });
  const result = (await handle.result()) as RetentionResult;
  // one case per batch: the first run ends after BATCHES_PER_RUN batches and continues as new, counts carried over
  expect(result).toEqual({ cases: n, persons: n });
  expect((await stack.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId).describe()).status.name).toBe(
    'CONTINUED_AS_NEW',
  );
  expect(await stack.db.case.count({ where: { id: { in: cases }, anonymizedAt: null } })).toBe(0);
  expect(await findEverywhere('Stapel')).toEqual([]);
  await recordHistory(stack, handle.workflowId, 'retention-batches'); // its last run, for test/replay.test.ts
});
