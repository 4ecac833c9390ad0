// The case-management cycle on the real stack (issue 13): assessment (versioned), help plan with
// goals and actions, its timers in the case workflow (reminder, escalation; ids only in Temporal),
// review and the next version from the open goals, a chain started from a goal, the plan as PDF,
// the journal with edit history, documents (type by content, 10 MB, audited downloads).
import { caseWorkflowId } from '../../core/domain/case-state';
import { caseStateQuery } from '../../workflows/case';
import { recordHistory } from '../support/histories';
import { pdfText } from '../support/pdf-text';
import { eventually, startStack, type Stack } from '../support/stack';
import { startNewChainsOnV1 } from '../support/chain-versions';

// written for v1 of the shipped chains: new chains here start on v1 (v2: test/chains/chains-content.test.ts)
startNewChainsOnV1();

let stack: Stack;
let caseworker: string;
let supervisor: string;
let admin: string;
let department: string;

beforeAll(async () => {
  stack = await startStack();
  [caseworker, supervisor, admin, department] = await Promise.all([
    stack.token('fallmanagement@kim.example'),
    stack.token('leitung@kim.example'),
    stack.token('admin@kim.example'),
    stack.token('soziale-foerderung@kim.example'),
  ]);
});
afterAll(() => stack?.stop());

const isoDay = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

async function newCase(firstName = 'Amina', lastName = 'Yilmaz') {
  const p = await stack.api('POST', '/api/persons', { token: caseworker, body: { firstName, lastName, birthDate: '1988-03-04' } });
  const c = await stack.api('POST', '/api/cases', { token: caseworker, body: { personId: p.body.id, topic: 'housing' } });
  expect(c.status).toBe(201);
  return c.body as { id: string; reference: string };
}

const counts = async () => ({
  assessments: await stack.db.assessment.count(),
  plans: await stack.db.plan.count(),
  journal: await stack.db.journalEntry.count(),
  documents: await stack.db.caseDocument.count(),
});

const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n% Mietvertrag\n'), Buffer.alloc(200, 0x20), Buffer.from('\n%%EOF\n')]);

async function upload(caseId: string, content: Buffer, name: string, token = caseworker, extra: Record<string, string> = {}) {
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(content)]), name);
  for (const [k, v] of Object.entries(extra)) form.set(k, v);
  const path = `/api/cases/${caseId}/documents`;
  const res = await fetch(stack.url + path, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  await (await stack.contract()).checkResponse('POST', path, res);
  return { status: res.status, body: (await res.json()) as any };
}

describe('assessment', () => {
  it('is versioned: a re-assessment keeps the earlier one; supervisors read, admins and departments do not', async () => {
    const c = await newCase();
    const a1 = await stack.api('POST', `/api/cases/${c.id}/assessments`, {
      token: caseworker,
      body: {
        areas: [
          { area: 'housing', situation: 'Lebt seit 14 Monaten in der Notunterkunft', need: 'urgent', resources: 'Mietschuldenfrei' },
          { area: 'language', situation: 'B1 abgeschlossen', need: 'some' },
        ],
      },
    });
    expect(a1.status).toBe(201);
    expect(a1.body.version).toBe(1);
    const a2 = await stack.api('POST', `/api/cases/${c.id}/assessments`, {
      token: caseworker,
      body: { areas: [{ area: 'housing', situation: 'Wohnungssuche läuft', need: 'some' }] },
    });
    expect(a2.body.version).toBe(2);
    const list = await stack.api('GET', `/api/cases/${c.id}/assessments`, { token: supervisor });
    expect(list.status).toBe(200);
    expect(list.body.items.map((a: { version: number }) => a.version)).toEqual([2, 1]);
    expect(list.body.items[1].areas[0]).toMatchObject({ area: 'housing', need: 'urgent', resources: 'Mietschuldenfrei' });
    expect((await stack.api('GET', `/api/cases/${c.id}/assessments`, { token: admin })).status).toBe(403);
    expect((await stack.api('GET', `/api/cases/${c.id}/assessments`, { token: department })).status).toBe(403);
    expect(await stack.db.auditEvent.count({ where: { action: 'case.assessment.add', caseId: c.id } })).toBe(2);
    expect(await stack.db.auditEvent.count({ where: { action: 'case.assessment.read', caseId: c.id } })).toBe(1);
  });

  it.each([
    [{ areas: [] }, 'areas'],
    [{ areas: [{ area: 'moon', situation: 'x', need: 'some' }] }, 'areas.0.area'],
    [{ areas: [{ area: 'housing', situation: '', need: 'some' }] }, 'areas.0.situation'],
    [{ areas: [{ area: 'housing', situation: 'x', need: 'very' }] }, 'areas.0.need'],
  ])('rejects %j with a German 400 naming %s, writing nothing', async (body, field) => {
    const c = await newCase();
    const before = await counts();
    const r = await stack.api('POST', `/api/cases/${c.id}/assessments`, { token: caseworker, body });
    expect(r.status).toBe(400);
    expect(r.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    expect(r.body.error.message).toMatch(/Lebensbereich|Situation|Bedarf/);
    expect(await counts()).toEqual(before);
  });
});

describe('help plan', () => {
  it('saves goals and actions, reviews them, starts the next version from the open goals; chains started from a goal show on it', async () => {
    const c = await newCase();
    const r = await stack.api('POST', `/api/cases/${c.id}/plans`, {
      token: caseworker,
      body: {
        goals: [
          { area: 'housing', text: 'Eigene Wohnung in Bergisch Gladbach', targetDate: isoDay(180) },
          { area: 'language', text: 'Sprachkurs B2 beginnen', targetDate: isoDay(90) },
        ],
        actions: [
          { text: 'WBS beantragen', owner: 'person', dueDate: isoDay(30) },
          { text: 'Kostenübernahme klären', owner: 'department:5-50', dueDate: isoDay(40) },
        ],
        reviewDate: isoDay(60),
      },
    });
    expect(r.status).toBe(201);
    expect(r.body.version).toBe(1);
    const plan = (await stack.api('GET', `/api/cases/${c.id}/plans/${r.body.id}`, { token: caseworker })).body;
    expect(plan.goals).toHaveLength(2);
    expect(plan.actions[1]).toMatchObject({ owner: 'department:5-50', dueDate: isoDay(40) });
    const [housing, language] = plan.goals;

    // the case workflow holds the plan's ids and dates
    const state = await eventually(async () => {
      const s = await stack.client.workflow.getHandle(caseWorkflowId(c.id)).query(caseStateQuery);
      return s.plan?.planId === r.body.id ? s : undefined;
    });
    expect(state.plan!.actions.map((a) => a.actionId)).toEqual(plan.actions.map((a: { id: string }) => a.id));

    // a chain from the housing goal
    const chain = await stack.api('POST', `/api/cases/${c.id}/plans/${r.body.id}/goals/${housing.id}/chains`, {
      token: caseworker,
      body: { type: 'move-out' },
    });
    expect(chain.status).toBe(201);
    const withChain = (await stack.api('GET', `/api/cases/${c.id}/plans`, { token: supervisor })).body.items[0];
    expect(withChain.goals[0].chains).toEqual([expect.objectContaining({ id: chain.body.id, type: 'move-out' })]);

    // review: every goal must be rated
    const partial = await stack.api('POST', `/api/cases/${c.id}/plans/${r.body.id}/review`, {
      token: caseworker,
      body: { ratings: [{ goalId: housing.id, rating: 'partly' }] },
    });
    expect(partial.status).toBe(400);
    expect(partial.body.error.message).toContain('jedes Ziel');
    const review = await stack.api('POST', `/api/cases/${c.id}/plans/${r.body.id}/review`, {
      token: caseworker,
      body: {
        ratings: [
          { goalId: housing.id, rating: 'partly', note: 'Zwei Besichtigungen' },
          { goalId: language.id, rating: 'achieved' },
        ],
      },
    });
    expect(review.status).toBe(200);
    expect(review.body.openGoals).toEqual([expect.objectContaining({ fromGoalId: housing.id, area: 'housing' })]);
    expect(
      (
        await stack.api('POST', `/api/cases/${c.id}/plans/${r.body.id}/review`, {
          token: caseworker,
          body: {
            ratings: [
              { goalId: housing.id, rating: 'partly' },
              { goalId: language.id, rating: 'achieved' },
            ],
          },
        })
      ).status,
    ).toBe(409);
    await eventually(async () => (await stack.client.workflow.getHandle(caseWorkflowId(c.id)).query(caseStateQuery)).plan?.reviewed);

    const next = await stack.api('POST', `/api/cases/${c.id}/plans`, {
      token: caseworker,
      body: {
        goals: review.body.openGoals.map((g: { fromGoalId: string; area: string; text: string }) => ({ ...g, targetDate: isoDay(200) })),
        reviewDate: isoDay(90),
      },
    });
    expect(next.status).toBe(201);
    expect(next.body.version).toBe(2);
    const items = (await stack.api('GET', `/api/cases/${c.id}/plans`, { token: caseworker })).body.items;
    expect(items.map((p: { version: number }) => p.version)).toEqual([2, 1]);
    expect(items[0].goals[0].fromGoalId).toBe(housing.id);
    expect(items[1].goals.map((g: { rating: string }) => g.rating)).toEqual(['partly', 'achieved']);
  });

  it.each([
    [{ goals: [], reviewDate: '2027-01-01' }, 'goals'],
    [{ goals: [{ area: 'housing', text: 'x', targetDate: '2027-02-30' }], reviewDate: '2027-01-01' }, 'goals.0.targetDate'],
    [
      {
        goals: [{ area: 'housing', text: 'x', targetDate: '2027-02-01' }],
        actions: [{ text: 'y', owner: 'boss', dueDate: '2027-01-01' }],
        reviewDate: '2027-01-01',
      },
      'actions.0.owner',
    ],
    [
      {
        goals: [{ area: 'housing', text: 'x', targetDate: '2027-02-01' }],
        actions: [{ text: 'y', owner: 'department:nope', dueDate: '2027-01-01' }],
        reviewDate: '2027-01-01',
      },
      'actions.0.owner',
    ],
    [{ goals: [{ area: 'housing', text: 'x', targetDate: '2027-02-01' }] }, 'reviewDate'],
  ])('rejects %j with a German 400 naming %s, writing nothing', async (body, field) => {
    const c = await newCase();
    const before = await counts();
    const r = await stack.api('POST', `/api/cases/${c.id}/plans`, { token: caseworker, body });
    expect(r.status).toBe(400);
    expect(r.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    expect(await counts()).toEqual(before);
  });

  it('the case workflow reminds before the review and escalates a missed review to the supervisor; no plan text reaches Temporal', async () => {
    const c = await newCase('Zeynep', 'Unverwechselbar');
    const goalText = 'Geheimes-Ziel-Wohnung-7731';
    const actionText = 'Geheime-Massnahme-7731';
    const r = await stack.api('POST', `/api/cases/${c.id}/plans`, {
      token: caseworker,
      body: {
        goals: [{ area: 'housing', text: goalText, targetDate: isoDay(30) }],
        actions: [{ text: actionText, owner: 'caseworker', dueDate: isoDay(1) }],
        reviewDate: isoDay(-2), // missed already: reminder, action reminder and escalation fire at once, in order
      },
    });
    expect(r.status).toBe(201);
    const mails = await eventually(() => {
      const m = stack.capture.list().filter((x) => x.subject.includes(c.reference));
      return m.length >= 3 ? m : undefined;
    });
    const subjects = mails.map((m) => m.subject);
    expect(subjects).toEqual(
      expect.arrayContaining([
        expect.stringContaining('Hilfeplan-Überprüfung am'),
        expect.stringContaining('Vereinbarte Maßnahme fällig'),
        expect.stringContaining('Hilfeplan-Überprüfung versäumt'),
      ]),
    );
    const escalation = mails.find((m) => m.subject.includes('versäumt'))!;
    expect(escalation.to).toEqual(['leitung@kim.example']);
    expect(mails.find((m) => m.subject.includes('Überprüfung am'))!.to).toEqual(['fallmanagement@kim.example']);
    for (const m of mails) expect(m.text + m.html).not.toMatch(/Zeynep|Unverwechselbar|7731/);
    expect(await stack.db.auditEvent.count({ where: { action: 'plan.review-escalation', caseId: c.id } })).toBe(1);

    // close the case: the workflow ends; its history (as Temporal stores it) has ids and dates only
    expect(
      (await stack.api('POST', `/api/cases/${c.id}/status`, { token: caseworker, body: { status: 'closed', closureCode: 'other' } }))
        .status,
    ).toBe(200);
    await stack.client.workflow.getHandle(caseWorkflowId(c.id)).result();
    const history = await stack.rawClient.workflow.getHandle(caseWorkflowId(c.id)).fetchHistory();
    const raw = JSON.stringify(history);
    expect(raw).not.toMatch(/7731|Zeynep|Unverwechselbar/);
    expect(raw).toContain(Buffer.from('["case-plan-timers"]').toString('base64')); // the patch (TemporalChangeVersion)
    expect(stack.capture.list().filter((x) => x.subject.includes(c.reference))).toHaveLength(3);
    await recordHistory(stack, caseWorkflowId(c.id), 'case-plan-timers');
  });

  it('prints the plan as a German PDF for the signature', async () => {
    const c = await newCase('Müjde', 'Öztürk');
    const r = await stack.api('POST', `/api/cases/${c.id}/plans`, {
      token: caseworker,
      body: {
        goals: [{ area: 'housing', text: 'Eigene Wohnung für die Familie (3 Zimmer)', targetDate: '2027-06-30' }],
        actions: [{ text: 'Unterlagen für den WBS zusammenstellen', owner: 'person', dueDate: '2027-01-15' }],
        reviewDate: '2027-03-01',
      },
    });
    const path = `/api/cases/${c.id}/plans/${r.body.id}.pdf`;
    const res = await fetch(`${stack.url}${path}?compress=false`, { headers: { authorization: `Bearer ${supervisor}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toContain(`hilfeplan-${c.reference}-v1.pdf`);
    const text = pdfText(Buffer.from(await res.arrayBuffer()));
    for (const s of [
      'Hilfeplan / Zielvereinbarung',
      'Müjde Öztürk',
      'Wohnen – bis 30.06.2027',
      'Eigene Wohnung für die Familie (3 Zimmer)',
      'Wer: die Person selbst · bis 15.01.2027',
      'Nächste Überprüfung: 01.03.2027',
      'Unterschrift der Person',
      'Unterschrift Fallmanagement',
    ])
      expect(text).toContain(s);
    expect(await stack.db.auditEvent.count({ where: { action: 'case.plan.pdf', caseId: c.id } })).toBe(1);
    const other = await fetch(`${stack.url}/api/cases/${c.id}/plans/00000000-0000-4000-8000-000000000000.pdf`, {
      headers: { authorization: `Bearer ${caseworker}` },
    });
    expect(other.status).toBe(404);
  });
});

describe('journal', () => {
  it('keeps the earlier text when an entry is edited', async () => {
    const c = await newCase();
    const e = await stack.api('POST', `/api/cases/${c.id}/journal`, {
      token: caseworker,
      body: { kind: 'home_visit', text: 'Hausbesuch: Zimmer sauber', at: '2026-11-20T10:00:00+01:00' },
    });
    expect(e.status).toBe(201);
    const edit = await stack.api('PUT', `/api/cases/${c.id}/journal/${e.body.id}`, {
      token: caseworker,
      body: { text: 'Hausbesuch: Zimmer sauber, Kinder in der Schule' },
    });
    expect(edit.status).toBe(200);
    const list = await stack.api('GET', `/api/cases/${c.id}/journal`, { token: supervisor });
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ kind: 'home_visit', text: 'Hausbesuch: Zimmer sauber, Kinder in der Schule' });
    expect(list.body.items[0].history).toEqual([expect.objectContaining({ text: 'Hausbesuch: Zimmer sauber', kind: 'home_visit' })]);
    expect((await stack.api('POST', `/api/cases/${c.id}/journal`, { token: supervisor, body: { kind: 'note', text: 'x' } })).status).toBe(
      403,
    );
  });

  it.each([
    [{ kind: 'gossip', text: 'x' }, 'kind'],
    [{ kind: 'note', text: '' }, 'text'],
    [{ kind: 'note', text: 'x', at: 'gestern' }, 'at'],
    [{ kind: 'note', text: 'x', goalId: '00000000-0000-4000-8000-000000000000' }, 'goalId'],
  ])('rejects %j with a German 400 naming %s, writing nothing', async (body, field) => {
    const c = await newCase();
    const before = await counts();
    const r = await stack.api('POST', `/api/cases/${c.id}/journal`, { token: caseworker, body });
    expect(r.status).toBe(400);
    expect(r.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    expect(await counts()).toEqual(before);
  });
});

describe('documents', () => {
  it('stores a PDF, serves it as an attachment without sniffing, audits every download', async () => {
    const c = await newCase();
    const up = await upload(c.id, PDF, 'Mietvertrag unterschrieben.pdf');
    expect(up.status).toBe(201);
    const path = `/api/cases/${c.id}/documents/${up.body.id}`;
    for (let i = 0; i < 2; i++) {
      const res = await fetch(stack.url + path, { headers: { authorization: `Bearer ${supervisor}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-disposition')).toContain("filename*=UTF-8''Mietvertrag%20unterschrieben.pdf");
      expect(Buffer.from(await res.arrayBuffer()).equals(PDF)).toBe(true);
    }
    expect(await stack.db.auditEvent.count({ where: { action: 'case.document.download', entityId: up.body.id } })).toBe(2);
    const list = await stack.api('GET', `/api/cases/${c.id}/documents`, { token: caseworker });
    expect(list.body.items).toEqual([expect.objectContaining({ id: up.body.id, mediaType: 'application/pdf', size: PDF.length })]);
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(50)]);
    expect((await upload(c.id, png, 'foto.pdf')).status).toBe(201); // named .pdf, stored as what it is
    expect((await stack.db.caseDocument.findFirstOrThrow({ where: { caseId: c.id, fileName: 'foto.pdf' } })).mediaType).toBe('image/png');
    expect((await fetch(stack.url + path, { headers: { authorization: `Bearer ${admin}` } })).status).toBe(403);
  });

  it('refuses other types by content (415), over 10 MB (413), a missing file (400) — writing nothing', async () => {
    const c = await newCase();
    const before = await counts();
    const html = await upload(c.id, Buffer.from('<html><script>alert(1)</script></html>'), 'lease.pdf');
    expect(html.status).toBe(415);
    expect(html.body.error.message).toContain('PDF, JPEG oder PNG');
    const big = await upload(c.id, Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024)]), 'gross.pdf');
    expect(big.status).toBe(413);
    expect(big.body.error.message).toContain('10 MB');
    const none = await stack.api('POST', `/api/cases/${c.id}/documents`, { token: caseworker, body: { file: 'x' } });
    expect(none.status).toBe(400);
    expect(await counts()).toEqual(before);
    const dept = await upload(c.id, PDF, 'x.pdf', department);
    expect(dept.status).toBe(403);
  });
});
