// Issue 12, point 2: a department's right to a person's data ends with its task or the consent. Once a
// task is completed, forwarded, cancelled or its consent withdrawn, its e-mail links answer 410 with a
// German page saying why, and the task page shows name and birth date only while the task is open and
// a consent covers the department.
import { giveConsent } from '../support/consent';
import { FormClient } from '../support/form-client';
import { eventually, startStack, type Stack } from '../support/stack';

let stack: Stack;
let caseworker: string;
let member550: string;
let member550Page: FormClient;
const FIRST = 'Rukiye';
const LAST = 'Rechtsendeweg';

beforeAll(async () => {
  stack = await startStack();
  [caseworker, member550] = await Promise.all([stack.token('fallmanagement@kim.example'), stack.token('soziale-foerderung@kim.example')]);
  member550Page = new FormClient(stack.url);
  expect((await member550Page.login('soziale-foerderung@kim.example')).status).toBe(303);
});
afterAll(() => stack?.stop());

async function handedOff(step = 'cost-approval') {
  const p = await stack.api('POST', '/api/persons', {
    token: caseworker,
    body: { firstName: FIRST, lastName: LAST, birthDate: '1990-04-03' },
  });
  const c = await stack.api('POST', '/api/cases', { token: caseworker, body: { personId: p.body.id, topic: 'housing' } });
  const consentId = await giveConsent(stack, caseworker, c.body.id);
  const h = await stack.api('POST', `/api/cases/${c.body.id}/handoffs`, { token: caseworker, body: { step, department: '5-50' } });
  expect(h.status).toBe(201);
  const taskId = h.body.id as string;
  const mail = await eventually(() =>
    stack.capture.list({ to: 'soziale-foerderung@kim.example' }).find((m) => m.subject.includes(c.body.reference)),
  );
  const rows = await stack.db.actionToken.findMany({ where: { taskId } });
  const link = (action: string) => {
    const id = rows.find((r) => r.action === action)!.id;
    return new URL(mail.links.find((l) => l.includes(`.${id}.`))!).pathname;
  };
  return { caseId: c.body.id as string, consentId, taskId, link };
}

const get = async (path: string) => {
  const res = await fetch(stack.url + path, { redirect: 'manual' });
  return { status: res.status, text: await res.text() };
};

it('while the task is open and consented: link and task page show the person', async () => {
  const t = await handedOff();
  const shown = await get(t.link('accept'));
  expect(shown.status).toBe(200);
  expect(shown.text).toContain(LAST);
  expect((await member550Page.get(`/aufgaben/${t.taskId}`)).text).toContain(LAST);
});

it('a completed task: its other links answer 410 and the task page hides the person', async () => {
  const t = await handedOff();
  expect((await stack.api('POST', `/api/tasks/${t.taskId}/accept`, { token: member550 })).status).toBe(200);
  const done = await stack.api('POST', `/api/tasks/${t.taskId}/complete`, {
    token: member550,
    body: { outcome: 'approved', data: { approvedRent: 500 } },
  });
  expect(done.status).toBe(200);
  const r = await get(t.link('decline'));
  expect(r.status).toBe(410);
  expect(r.text).toContain('Diese Aufgabe ist beendet');
  expect(r.text).not.toContain(LAST);
  const page = await member550Page.get(`/aufgaben/${t.taskId}`);
  expect(page.status).toBe(200);
  expect(page.text).not.toContain(LAST);
  expect(page.text).not.toContain('03.04.1990');
  expect(await stack.db.auditEvent.count({ where: { action: 'link.rejected', entityId: t.link('decline').split('.')[1] } })).toBe(1);
});

it('a cancelled task: links 410', async () => {
  const t = await handedOff();
  expect((await stack.api('POST', `/api/tasks/${t.taskId}/cancel`, { token: caseworker, body: { reason: 'erledigt sich' } })).status).toBe(
    200,
  );
  const r = await get(t.link('accept'));
  expect(r.status).toBe(410);
  expect(r.text).toContain('beendet');
});

it('a forwarded task: the old department’s links answer 410 saying it was forwarded', async () => {
  const t = await handedOff();
  const f = await stack.api('POST', `/api/tasks/${t.taskId}/forward`, {
    token: member550,
    body: { department: 'jobcenter', reason: 'SGB II' },
  });
  expect(f.status).toBe(200);
  const r = await get(t.link('accept'));
  expect(r.status).toBe(410);
  expect(r.text).toContain('weitergeleitet');
  const post = await fetch(stack.url + t.link('accept'), { method: 'POST', redirect: 'manual' });
  expect(post.status).toBe(410);
});

it('a withdrawn consent: links answer 410 and the page hides the person — even before the task is cancelled', async () => {
  const t = await handedOff();
  // the database records the withdrawal first (Temporal may be down): the task is still open here
  await stack.db.consent.update({ where: { id: t.consentId }, data: { withdrawnAt: new Date() } });
  const r = await get(t.link('accept'));
  expect(r.status).toBe(410);
  expect(r.text).toContain('Einwilligung');
  expect(r.text).not.toContain(LAST);
  const page = await member550Page.get(`/aufgaben/${t.taskId}`);
  expect(page.status).toBe(200);
  expect(page.text).not.toContain(LAST);
  // the caseworker keeps the case file
  const cw = new FormClient(stack.url);
  await cw.login('fallmanagement@kim.example');
  expect((await cw.get(`/aufgaben/${t.taskId}`)).text).toContain(LAST);
});
