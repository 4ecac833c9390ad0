// Handoffs on the real stack: e-mail with action links from the SMTP capture, accept/complete/decline/
// forward, validators (409/400/403, no trace in the history), concurrent actions, token abuse,
// reminder and escalation with short working days, deadline rules.
import { caseWorkflowId } from '../../core/domain/case-state';
import { handoffWorkflowId } from '../../core/domain/handoff';
import { caseStateQuery } from '../../workflows/case';
import { handoffStateQuery } from '../../workflows/handoff';
import { giveConsent } from '../support/consent';
import { eventually, startStack, type Stack } from '../support/stack';
import { startNewChainsOnV1 } from '../support/chain-versions';

// written for v1 of the shipped chains: new chains here start on v1 (v2: test/chains/chains-content.test.ts)
startNewChainsOnV1();

let stack: Stack;
let caseworker: string;
let member550: string;
let memberJc: string;
let admin: string;

const WORKING_DAY_SECONDS = 1.5;

beforeAll(async () => {
  stack = await startStack({ workingDaySeconds: WORKING_DAY_SECONDS });
  [caseworker, member550, memberJc, admin] = await Promise.all([
    stack.token('fallmanagement@kim.example'),
    stack.token('soziale-foerderung@kim.example'),
    stack.token('jobcenter@kim.example'),
    stack.token('admin@kim.example'),
  ]);
});
afterAll(() => stack?.stop());

async function newCase() {
  const p = await stack.api('POST', '/api/persons', {
    token: caseworker,
    body: { firstName: 'Leyla', lastName: 'Handoffski', benefitType: 'asylblg' },
  });
  const c = await stack.api('POST', '/api/cases', { token: caseworker, body: { personId: p.body.id, topic: 'housing' } });
  await giveConsent(stack, caseworker, c.body.id);
  return c.body as { id: string; reference: string };
}

async function handoff(caseId: string, step = 'cost-approval', department = '5-50') {
  const r = await stack.api('POST', `/api/cases/${caseId}/handoffs`, { token: caseworker, body: { step, department } });
  expect(r.status).toBe(201);
  return r.body.id as string;
}

const mailsFor = (to: string, reference: string, subjectStart = '') =>
  stack.capture.list({ to }).filter((m) => m.subject.includes(reference) && m.subject.startsWith(subjectStart));

const waitMail = (to: string, reference: string, subjectStart: string, n = 1) =>
  eventually(() => {
    const m = mailsFor(to, reference, subjectStart);
    return m.length >= n ? m : undefined;
  });

const linkFor = (links: string[], _action: string, _taskId: string) => {
  // every /t/ link is opaque: find the one for this action by asking the database (test-side only)
  return links.filter((l) => l.includes('/t/')).map((l) => new URL(l).pathname.slice(3));
};

async function tokenFor(taskId: string, action: string, links: string[]): Promise<string> {
  const rows = await stack.db.actionToken.findMany({ where: { taskId, action } });
  const tokens = links.filter((l) => l.includes('/t/')).map((l) => new URL(l).pathname.slice(3));
  const t = tokens.find((tok) => rows.some((r) => tok.includes(`.${r.id}.`)));
  if (!t) throw new Error(`kein Link für ${action}`);
  return t;
}

const page = async (method: 'GET' | 'POST', path: string, form?: Record<string, string>) => {
  const res = await fetch(stack.url + path, {
    method,
    redirect: 'manual',
    headers: form ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
    body: form ? new URLSearchParams(form).toString() : undefined,
  });
  return { status: res.status, text: await res.text() };
};

const taskStatus = async (id: string) => (await stack.db.task.findUniqueOrThrow({ where: { id } })).status;

describe('handoff via e-mail links', () => {
  it('notifies the department mailbox; GET shows, POST acts; accept then complete reaches the case', async () => {
    const c = await newCase();
    const taskId = await handoff(c.id);
    const [mail] = await waitMail('soziale-foerderung@kim.example', c.reference, '[KIM] Bitte bestätigen');
    expect(mail.subject).toMatch(
      new RegExp(`^\\[KIM\\] Bitte bestätigen: Mietübernahme – Fall ${c.reference} – bis \\d{2}\\.\\d{2}\\.\\d{4}$`),
    );
    expect(mail.text + mail.html).not.toMatch(/Leyla|Handoffski/); // minimum personal data
    expect(mail.links.filter((l) => l.includes('/t/'))).toHaveLength(4);
    expect(linkFor(mail.links, 'accept', taskId).length).toBe(4);

    const accept = await tokenFor(taskId, 'accept', mail.links);
    const shown = await page('GET', `/t/${accept}`);
    expect(shown.status).toBe(200);
    expect(shown.text).toContain(c.reference);
    expect(shown.text).toContain('Eingang bestätigen');
    expect(await taskStatus(taskId)).toBe('notified'); // GET changes nothing (mail scanners)

    expect((await page('POST', `/t/${accept}`)).status).toBe(200);
    expect(await taskStatus(taskId)).toBe('accepted');
    const api = await stack.api('GET', `/api/tasks/${taskId}`, { token: member550 });
    expect(api.body).toMatchObject({ status: 'accepted', department: '5-50', step: 'cost-approval', caseReference: c.reference });
    expect(api.body.history.map((h: { event: string }) => h.event)).toEqual(['notified', 'accepted']);
    expect(api.body.history[1].actor).toBe('link:soziale-foerderung@kim.example');

    const complete = await tokenFor(taskId, 'complete', mail.links);
    const bad = await page('POST', `/t/${complete}`, { outcome: 'approved', 'data.approvedRent': '-5' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('negativ');
    expect(await taskStatus(taskId)).toBe('accepted');
    const done = await page('POST', `/t/${complete}`, { outcome: 'approved', 'data.approvedRent': '612,50', 'data.note': 'ok' });
    expect(done.status).toBe(200);
    const t = await stack.db.task.findUniqueOrThrow({ where: { id: taskId } });
    expect(t).toMatchObject({ status: 'completed', outcome: 'approved', data: { approvedRent: 612.5, note: 'ok' } });

    // the waiting workflow (here: the case) sees the result
    const state = await eventually(async () => {
      const s = await stack.client.workflow.getHandle(caseWorkflowId(c.id)).query(caseStateQuery);
      return s.handoffs?.some((h) => h.taskId === taskId) ? s : undefined;
    });
    expect(state.handoffs).toContainEqual({ taskId, stepKey: 'cost-approval', status: 'completed', outcome: 'approved' });
    await waitMail('fallmanagement@kim.example', c.reference, '[KIM] Erledigt');

    // used link → 410, nothing changes, audited
    const again = await page('POST', `/t/${accept}`);
    expect(again.status).toBe(410);
    expect(await stack.db.auditEvent.count({ where: { action: 'link.rejected' } })).toBeGreaterThanOrEqual(1);
  });

  it('rejects forged and expired links with 403/410 and changes nothing', async () => {
    const c = await newCase();
    const taskId = await handoff(c.id, 'wbs', '5-50');
    const [mail] = await waitMail('soziale-foerderung@kim.example', c.reference, '[KIM] Bitte bestätigen');
    const accept = await tokenFor(taskId, 'accept', mail.links);
    const parts = accept.split('.');
    const forgedSig = [...parts.slice(0, 3), parts[3].slice(0, -2) + (parts[3].endsWith('AA') ? 'BB' : 'AA')].join('.');
    expect((await page('POST', `/t/${forgedSig}`)).status).toBe(403);
    expect((await page('GET', `/t/${forgedSig}`)).status).toBe(403);
    // another action's nonce with this signature: bound to the action → forged
    const declineRow = (await stack.db.actionToken.findMany({ where: { taskId, action: 'decline' } }))[0];
    expect((await page('POST', `/t/${[parts[0], declineRow.id, parts[2], parts[3]].join('.')}`, { reason: 'weil' })).status).toBe(403);
    expect((await page('GET', '/t/garbage')).status).toBe(403);
    const before = await stack.db.auditEvent.count({ where: { action: 'link.rejected' } });
    await stack.db.actionToken.updateMany({ where: { taskId, action: 'accept' }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await page('POST', `/t/${accept}`)).status).toBe(410);
    expect(await taskStatus(taskId)).toBe('notified');
    expect(await stack.db.auditEvent.count({ where: { action: 'link.rejected' } })).toBe(before + 1);
  });

  it('a double POST of the same link (double click) makes one state change; both see its result', async () => {
    const c = await newCase();
    const taskId = await handoff(c.id, 'deposit', '5-50');
    const [mail] = await waitMail('soziale-foerderung@kim.example', c.reference, '[KIM] Bitte bestätigen');
    const accept = await tokenFor(taskId, 'accept', mail.links);
    const results = await Promise.all([page('POST', `/t/${accept}`), page('POST', `/t/${accept}`)]);
    // the link's token is the update id: the second request joins the first action instead of failing
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    const events = await stack.db.taskEvent.findMany({ where: { taskId, event: 'accepted' } });
    expect(events).toHaveLength(1);
    expect((await page('POST', `/t/${accept}`)).status).toBeGreaterThanOrEqual(400); // later: the link is spent
  });
});

describe('handoff via the JSON API', () => {
  it('validators: 403 other department, 409 wrong state, 400 bad outcome/data — none leave a trace in the history', async () => {
    const c = await newCase();
    const taskId = await handoff(c.id);
    await eventually(async () => (await taskStatus(taskId)) === 'notified');
    expect((await stack.api('POST', `/api/tasks/${taskId}/accept`, { token: memberJc })).status).toBe(403);
    expect((await stack.api('POST', `/api/tasks/${taskId}/accept`, { token: caseworker })).status).toBe(403);
    expect((await stack.api('POST', `/api/tasks/${taskId}/accept`, { token: member550 })).status).toBe(200);
    const twice = await stack.api('POST', `/api/tasks/${taskId}/accept`, { token: member550 });
    expect(twice.status).toBe(409);
    expect(twice.body.error.message).toContain('bereits angenommen');
    const badOutcome = await stack.api('POST', `/api/tasks/${taskId}/complete`, { token: member550, body: { outcome: 'maybe' } });
    expect(badOutcome.status).toBe(400);
    expect(badOutcome.body.error.details[0].field).toBe('outcome');
    const badData = await stack.api('POST', `/api/tasks/${taskId}/complete`, {
      token: member550,
      body: { outcome: 'approved', data: { approvedRent: 'viel' } },
    });
    expect(badData.status).toBe(400);
    expect(badData.body.error.details[0].field).toBe('data.approvedRent');
    const extra = await stack.api('POST', `/api/tasks/${taskId}/complete`, {
      token: member550,
      body: { outcome: 'approved', data: { hacked: true } },
    });
    expect(extra.status).toBe(400);
    const noReason = await stack.api('POST', `/api/tasks/${taskId}/decline`, { token: member550, body: {} });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.details[0].field).toBe('reason');

    const history = await stack.client.workflow.getHandle(handoffWorkflowId(taskId)).fetchHistory();
    const updates = (history.events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
    expect(updates).toHaveLength(1); // only the one accepted action
    expect(
      (
        await stack.api('POST', `/api/tasks/${taskId}/complete`, {
          token: member550,
          body: { outcome: 'rejected', data: { note: 'zu teuer' } },
        })
      ).status,
    ).toBe(200);
    expect((await stack.api('POST', `/api/tasks/${taskId}/decline`, { token: member550, body: { reason: 'zu spät' } })).status).toBe(409);
  });

  it('two members acting at once: one wins, the other gets 409', async () => {
    const c = await newCase();
    const taskId = await handoff(c.id, 'furnishing', '5-50');
    await eventually(async () => (await taskStatus(taskId)) === 'notified');
    const other = await stack.token('soziale-foerderung@kim.example');
    const [a, b] = await Promise.all([
      stack.api('POST', `/api/tasks/${taskId}/accept`, { token: member550 }),
      stack.api('POST', `/api/tasks/${taskId}/accept`, { token: other }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect(await stack.db.taskEvent.count({ where: { taskId, event: 'accepted' } })).toBe(1);
    // complete vs decline at once: both allowed from "accepted", but only the first takes effect
    const [c1, c2] = await Promise.all([
      stack.api('POST', `/api/tasks/${taskId}/complete`, { token: member550, body: { outcome: 'approved' } }),
      stack.api('POST', `/api/tasks/${taskId}/decline`, { token: other, body: { reason: 'nicht zuständig' } }),
    ]);
    expect([c1.status, c2.status].sort()).toEqual([200, 409]);
    expect(await stack.db.taskEvent.count({ where: { taskId, event: { in: ['completed', 'declined'] } } })).toBe(1);
  });

  it('decline returns the step to the caseworker with the reason', async () => {
    const c = await newCase();
    const taskId = await handoff(c.id, 'shelter-release', '5-50');
    await eventually(async () => (await taskStatus(taskId)) === 'notified');
    const r = await stack.api('POST', `/api/tasks/${taskId}/decline`, {
      token: member550,
      body: { reason: 'Platz gehört zu anderer Unterkunft' },
    });
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('declined');
    await waitMail('fallmanagement@kim.example', c.reference, '[KIM] Abgelehnt');
    const state = await eventually(async () => {
      const s = await stack.client.workflow.getHandle(caseWorkflowId(c.id)).query(caseStateQuery);
      return s.handoffs?.find((h) => h.taskId === taskId);
    });
    expect(state.status).toBe('declined');
    const t = await stack.api('GET', `/api/tasks/${taskId}`, { token: caseworker });
    expect(t.body.reason).toBe('Platz gehört zu anderer Unterkunft');
  });

  it('forward moves the task to another department, which is notified; the old one loses access', async () => {
    const c = await newCase();
    const taskId = await handoff(c.id, 'cost-approval', '5-50');
    const [first] = await waitMail('soziale-foerderung@kim.example', c.reference, '[KIM] Bitte bestätigen');
    const bad = await stack.api('POST', `/api/tasks/${taskId}/forward`, {
      token: member550,
      body: { department: 'mars', reason: 'SGB II' },
    });
    expect(bad.status).toBe(400);
    const r = await stack.api('POST', `/api/tasks/${taskId}/forward`, {
      token: member550,
      body: { department: 'jobcenter', reason: 'Leistungsbezug SGB II' },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'notified', department: 'jobcenter' });
    await waitMail('jobcenter@kim.example', c.reference, '[KIM] Bitte bestätigen');
    // the old department's link no longer works (task moved): 410, nothing changes
    const oldAccept = await tokenFor(taskId, 'accept', first.links);
    expect((await page('POST', `/t/${oldAccept}`)).status).toBe(410);
    expect((await stack.api('POST', `/api/tasks/${taskId}/accept`, { token: member550 })).status).toBe(403);
    expect((await stack.api('GET', '/api/tasks', { token: memberJc })).body.items.map((i: { id: string }) => i.id)).toContain(taskId);
    expect((await stack.api('POST', `/api/tasks/${taskId}/accept`, { token: memberJc })).status).toBe(200);
    const h = await stack.api('GET', `/api/tasks/${taskId}`, { token: memberJc });
    expect(h.body.history.map((e: { event: string }) => e.event)).toEqual(['notified', 'forwarded', 'accepted']);
  });

  it('cancel by the caseworker tells the department', async () => {
    const c = await newCase();
    const taskId = await handoff(c.id, 'general', 'wohnungsamt');
    await eventually(async () => (await taskStatus(taskId)) === 'notified');
    expect((await stack.api('POST', `/api/tasks/${taskId}/cancel`, { token: member550, body: { reason: 'xyz' } })).status).toBe(403);
    expect(
      (await stack.api('POST', `/api/tasks/${taskId}/cancel`, { token: caseworker, body: { reason: 'Person verzogen' } })).status,
    ).toBe(200);
    await waitMail('wohnungsamt@kim.example', c.reference, '[KIM] Abgebrochen');
    expect(await taskStatus(taskId)).toBe('cancelled');
  });

  it('a second handoff for the same open step is 409; list filters by department and status', async () => {
    const c = await newCase();
    const taskId = await handoff(c.id, 'residence-check', 'auslaenderbehoerde');
    const dup = await stack.api('POST', `/api/cases/${c.id}/handoffs`, {
      token: caseworker,
      body: { step: 'residence-check', department: 'auslaenderbehoerde' },
    });
    expect(dup.status).toBe(409);
    expect(dup.body.error.taskId).toBe(taskId);
    expect((await stack.api('GET', '/api/tasks?department=jobcenter', { token: member550 })).status).toBe(403);
    const mine = await stack.api('GET', '/api/tasks?status=notified', { token: caseworker });
    expect(mine.body.items.every((i: { status: string }) => i.status === 'notified')).toBe(true);
    expect((await stack.api('GET', '/api/tasks?status=bogus', { token: caseworker })).status).toBe(400);
    expect((await stack.api('GET', '/api/tasks', { token: admin })).status).toBe(403);
  });

  it('two identical handoff POSTs at once (double click, no key): one task, one workflow, one mail; the other 409', async () => {
    const c = await newCase();
    const body = { step: 'cost-approval', department: '5-50' };
    const answers = await Promise.all([0, 1, 2].map(() => stack.api('POST', `/api/cases/${c.id}/handoffs`, { token: caseworker, body })));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409]);
    const won = answers.find((a) => a.status === 201)!.body.id as string;
    expect(answers.filter((a) => a.status === 409).map((a) => a.body.error.taskId)).toEqual([won, won]);
    expect(await stack.db.task.count({ where: { caseId: c.id } })).toBe(1);
    await waitMail('soziale-foerderung@kim.example', c.reference, '[KIM] Bitte bestätigen');
    // the workflow's first record found its task committed: each local activity's marker says attempt 1
    // (before: the workflow started inside the still open transaction, the first record hit the foreign key)
    const history = await stack.client.workflow.getHandle(handoffWorkflowId(won)).fetchHistory();
    const attempts = (history.events ?? [])
      .flatMap((e) =>
        (e.markerRecordedEventAttributes?.details?.data?.payloads ?? []).map((p) => JSON.parse(Buffer.from(p.data!).toString())),
      )
      .map((m: { attempt: number }) => m.attempt);
    expect(attempts.length).toBeGreaterThan(0);
    expect(attempts.every((a) => a === 1)).toBe(true);
    expect(await stack.db.auditEvent.count({ where: { action: 'task.create', caseId: c.id } })).toBe(1);
  });
});

describe('named members', () => {
  it('with notifyMembers, members get the mail too, each with links bound to their own address', async () => {
    await stack.db.department.update({ where: { id: 'auslaenderbehoerde' }, data: { notifyMembers: true } });
    await stack.db.user.create({
      data: { email: 'abh.member@kim.example', name: 'ABH Mitglied', role: 'department_member', departmentId: 'auslaenderbehoerde' },
    });
    const c = await newCase();
    const taskId = await handoff(c.id, 'general', 'auslaenderbehoerde');
    const [box] = await waitMail('auslaenderbehoerde@kim.example', c.reference, '[KIM] Bitte bestätigen');
    const [member] = await waitMail('abh.member@kim.example', c.reference, '[KIM] Bitte bestätigen');
    expect(box.to).toEqual(['auslaenderbehoerde@kim.example']);
    const tokens = await stack.db.actionToken.findMany({ where: { taskId, action: 'accept' } });
    expect(tokens.map((t) => t.recipient).sort()).toEqual(['abh.member@kim.example', 'auslaenderbehoerde@kim.example']);
    const memberAccept = await tokenFor(taskId, 'accept', member.links);
    expect(box.links.some((l) => l.includes(memberAccept))).toBe(false);
    expect((await page('POST', `/t/${memberAccept}`)).status).toBe(200);
    const h = await stack.api('GET', `/api/tasks/${taskId}`, { token: caseworker });
    expect(h.body.history[1]).toMatchObject({ event: 'accepted', actor: 'link:abh.member@kim.example' });
  });
});

describe('deadlines', () => {
  it('missed deadline → reminder to the mailbox; second miss → escalation to lead and supervisor; overdue everywhere', async () => {
    const c = await newCase();
    const taskId = await handoff(c.id, 'wbs', 'wohnungsamt'); // 2 working days to acknowledge = 3 s here
    await waitMail('wohnungsamt@kim.example', c.reference, '[KIM] Erinnerung');
    const overdue = await stack.api('GET', '/api/tasks', { token: caseworker });
    expect(overdue.body.items.find((i: { id: string }) => i.id === taskId)).toMatchObject({ overdue: true, status: 'notified' });
    const [esc] = await waitMail('leitung-wohnungsamt@kim.example', c.reference, '[KIM] Eskalation');
    expect(esc.to).toEqual(expect.arrayContaining(['leitung-wohnungsamt@kim.example', 'leitung@kim.example']));
    const live = await stack.client.workflow.getHandle(handoffWorkflowId(taskId)).query(handoffStateQuery);
    expect(live).toMatchObject({ overdue: true, reminders: 1, escalated: true });
    // no third mail: one reminder, one escalation
    await new Promise((r) => setTimeout(r, 4 * WORKING_DAY_SECONDS * 1000));
    expect(mailsFor('wohnungsamt@kim.example', c.reference, '[KIM] Erinnerung')).toHaveLength(1);
    expect(mailsFor('leitung@kim.example', c.reference, '[KIM] Eskalation')).toHaveLength(1);
  });

  it('deadline rules per department and step are configurable by the admin and used for new handoffs', async () => {
    const put = await stack.api('PUT', '/api/admin/deadlines', {
      token: admin,
      body: { department: 'jobcenter', step: 'general', ackDays: 20, completeDays: 30 },
    });
    expect(put.status).toBe(200);
    expect((await stack.api('PUT', '/api/admin/deadlines', { token: caseworker, body: { ackDays: 1, completeDays: 1 } })).status).toBe(403);
    expect(
      (await stack.api('PUT', '/api/admin/deadlines', { token: admin, body: { department: 'mars', ackDays: 1, completeDays: 1 } })).status,
    ).toBe(400);
    expect((await stack.api('PUT', '/api/admin/deadlines', { token: admin, body: { ackDays: -1, completeDays: 1 } })).status).toBe(400);
    const list = await stack.api('GET', '/api/admin/deadlines', { token: admin });
    expect(list.body.items).toContainEqual({ department: 'jobcenter', step: 'general', ackDays: 20, completeDays: 30 });
    const c = await newCase();
    const started = Date.now();
    const taskId = await handoff(c.id, 'general', 'jobcenter');
    const t = await eventually(async () => (await stack.db.task.findUniqueOrThrow({ where: { id: taskId } })).ackDueAt);
    expect(t.getTime() - started).toBeGreaterThan(19 * WORKING_DAY_SECONDS * 1000);
    expect(t.getTime() - started).toBeLessThan(22 * WORKING_DAY_SECONDS * 1000);
  });
});
