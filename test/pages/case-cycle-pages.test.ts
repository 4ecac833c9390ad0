// The case-cycle pages on the real stack (issue 13): assessment, help plan (new version from open goals),
// review with ratings, chain from a goal, journal (edit keeps the earlier text) and documents (multipart
// upload). Every form: success; bad input → 400 with the German message at the field, the input kept and
// nothing written; the same form sent twice at once → one record.
import { FormClient, hidden } from '../support/form-client';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let token: string;
let b: FormClient;

beforeAll(async () => {
  stack = await startStack();
  token = await stack.token('fallmanagement@kim.example');
  b = new FormClient(stack.url);
  await b.login('fallmanagement@kim.example');
});
afterAll(() => stack?.stop());

const isoDay = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

async function newCase(lastName = 'Zyklus') {
  const p = await stack.api('POST', '/api/persons', { token, body: { firstName: 'Samira', lastName, benefitType: 'asylblg' } });
  const c = await stack.api('POST', '/api/cases', { token, body: { personId: p.body.id, topic: 'housing' } });
  expect(c.status).toBe(201);
  return c.body.id as string;
}

/** the page's CSRF token and a form's one-time key */
async function formKeys(path: string, action: string) {
  const page = await b.get(path);
  expect(page.status).toBe(200);
  const form = page.text.slice(page.text.indexOf(`action="${action}"`));
  return { _csrf: hidden(page.text, '_csrf'), _key: hidden(form, '_key'), page: page.text };
}

/** the same form sent twice at once (a double click): both answers redirect */
async function twice(action: string, form: Record<string, string>) {
  const replies = await Promise.all([b.post(action, form), b.post(action, form)]);
  expect(replies.map((r) => r.status)).toEqual([303, 303]);
  return replies[0];
}

const errorAt = (html: string, field: string) => new RegExp(`id="f-${field}-error">([^<]*)<`).exec(html)?.[1];

describe('assessment', () => {
  it('saves by life area, shows errors at the field with input kept, writes a double submit once, keeps earlier versions', async () => {
    const caseId = await newCase();
    const path = `/faelle/${caseId}/anamnese`;
    const { _csrf, _key, page } = await formKeys(path, path);
    expect(page).toContain('<label for="f-situation_housing">Situation (Wohnen)</label>');
    // the case page links to it
    expect((await b.get(`/faelle/${caseId}`)).text).toContain(`href="/faelle/${caseId}/anamnese"`);

    const bad = await b.post(path, {
      _csrf,
      _key,
      situation_housing: 'Lebt in der Notunterkunft',
      need_housing: '',
      resources_language: 'Sprachkurs B1 besucht',
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('id="fehler"');
    expect(errorAt(bad.text, 'need_housing')).toBe('Bedarf (Wohnen): bitte wählen');
    expect(errorAt(bad.text, 'situation_language')).toBe('Situation (Sprache): bitte beschreiben');
    expect(bad.text).toContain('>Lebt in der Notunterkunft</textarea>');
    expect(hidden(bad.text.slice(bad.text.indexOf(`action="${path}"`)), '_key')).toBe(_key); // the same submission
    expect(await stack.db.assessment.count({ where: { caseId } })).toBe(0);

    const good = {
      _csrf,
      _key,
      situation_housing: 'Lebt in der Notunterkunft',
      need_housing: 'urgent',
      resources_housing: 'Bruder hilft bei der Suche',
    };
    expect((await twice(path, good)).location).toBe(`${path}?ok=anamnese`);
    expect(await stack.db.assessment.count({ where: { caseId } })).toBe(1);

    // a re-assessment starts from the newest version and keeps the earlier one
    const again = await formKeys(path, path);
    expect(again.page).toContain('>Lebt in der Notunterkunft</textarea>');
    const r = await b.post(path, { ...good, _key: again._key, situation_housing: 'Wohnung in Aussicht', need_housing: 'some' });
    expect(r.status).toBe(303);
    const shown = (await b.get(path)).text;
    expect(shown).toContain('Fassung 2 vom');
    expect(shown).toContain('Fassung 1 vom');
    expect(shown).toContain('(frühere Fassung, nur lesbar)');
    expect(shown).toContain('dringender Bedarf');
    expect(await stack.db.assessment.count({ where: { caseId } })).toBe(2);
  });
});

describe('help plan, review, chain from a goal', () => {
  it('creates a plan, reviews it, starts the next version from the open goals and a chain from a goal', async () => {
    const caseId = await newCase('Plan');
    const newPath = `/faelle/${caseId}/hilfeplan/neu`;
    const planPath = `/faelle/${caseId}/hilfeplan`;
    const { _csrf, _key, page } = await formKeys(newPath, newPath);
    expect(page).toContain('<label for="f-goalText_0">Formulierung (Ziel 1)</label>');
    expect(page).toContain('<option value="department:wohnungsamt">Stelle: Wohnungsamt</option>');

    const bad = await b.post(newPath, {
      _csrf,
      _key,
      goalArea_0: 'housing',
      goalText_0: 'Eigene Wohnung finden',
      actionText_0: 'WBS beantragen',
    });
    expect(bad.status).toBe(400);
    expect(errorAt(bad.text, 'goalTarget_0')).toBe('Zieldatum (Ziel 1): bitte angeben');
    expect(errorAt(bad.text, 'actionOwner_0')).toBe('Wer (Maßnahme 1): bitte wählen');
    expect(errorAt(bad.text, 'reviewDate')).toBe('Überprüfung am: bitte ein Datum angeben');
    expect(bad.text).toContain('>Eigene Wohnung finden</textarea>');
    expect(await stack.db.plan.count({ where: { caseId } })).toBe(0);

    const good = {
      _csrf,
      _key,
      goalArea_0: 'housing',
      goalText_0: 'Eigene Wohnung finden',
      goalTarget_0: isoDay(90),
      goalArea_1: 'language',
      goalText_1: 'Sprachkurs B1 abschließen',
      goalTarget_1: isoDay(120),
      actionText_0: 'WBS beantragen',
      actionOwner_0: 'person',
      actionDue_0: isoDay(14),
      actionText_1: 'Wohnungsangebote prüfen',
      actionOwner_1: 'department:wohnungsamt',
      actionDue_1: isoDay(30),
      reviewDate: isoDay(60),
    };
    expect((await twice(newPath, good)).location).toBe(`${planPath}?ok=hilfeplan`);
    const plans = await stack.db.plan.findMany({ where: { caseId }, include: { goals: { orderBy: { seq: 'asc' } } } });
    expect(plans).toHaveLength(1);
    const [housing, language] = plans[0].goals;
    let shown = (await b.get(planPath)).text;
    expect(shown).toContain('Hilfeplan, Fassung 1 (in Kraft)');
    expect(shown).toContain('Wohnungsamt');
    expect(shown).toContain(`href="/api/cases/${caseId}/plans/${plans[0].id}.pdf"`);

    // a chain from the housing goal: a bad type → message at the goal's field; twice → one chain, shown on the goal
    const chainAction = `/faelle/${caseId}/hilfeplan/${plans[0].id}/ziele/${housing.id}/kette`;
    const ck = await formKeys(planPath, chainAction);
    const badChain = await b.post(chainAction, { _csrf: ck._csrf, _key: ck._key, type: '' });
    expect(badChain.status).toBe(400);
    expect(errorAt(badChain.text, `chainType-${housing.id}`)).toBe('Kette: bitte eine Art der Kette wählen');
    expect(badChain.text).toContain(`<li><a href="#f-chainType-${housing.id}">Kette: bitte eine Art der Kette wählen</a></li>`);
    expect(await stack.db.goalChain.count({ where: { goalId: housing.id } })).toBe(0);
    await twice(chainAction, { _csrf: ck._csrf, _key: ck._key, type: 'move-out' });
    const links = await stack.db.goalChain.findMany({ where: { goalId: housing.id } });
    expect(links).toHaveLength(1);
    expect(await stack.db.process.count({ where: { caseId } })).toBe(1);
    shown = (await b.get(planPath)).text;
    expect(shown).toContain(`href="/prozesse/${links[0].processId}"`);

    // review: one goal unrated → message at its radios, the note kept, nothing written
    const reviewAction = `/faelle/${caseId}/hilfeplan/${plans[0].id}/ueberpruefung`;
    const rk = await formKeys(planPath, reviewAction);
    const badReview = await b.post(reviewAction, {
      _csrf: rk._csrf,
      _key: rk._key,
      [`rating_${housing.id}`]: 'partly',
      [`note_${housing.id}`]: 'Besichtigung läuft',
    });
    expect(badReview.status).toBe(400);
    expect(errorAt(badReview.text, `rating_${language.id}`)).toMatch(/^Ziel 2: bitte eine Bewertung wählen/);
    expect(badReview.text).toContain('>Besichtigung läuft</textarea>');
    expect(badReview.text).toMatch(new RegExp(`name="rating_${housing.id}" value="partly" checked`));
    expect((await stack.db.plan.findUniqueOrThrow({ where: { id: plans[0].id } })).reviewedAt).toBeNull();

    await twice(reviewAction, {
      _csrf: rk._csrf,
      _key: rk._key,
      [`rating_${housing.id}`]: 'partly',
      [`note_${housing.id}`]: 'Besichtigung läuft',
      [`rating_${language.id}`]: 'achieved',
    });
    expect(await stack.db.auditEvent.count({ where: { action: 'case.plan.review', entityId: plans[0].id } })).toBe(1);
    const rated = await stack.db.planGoal.findMany({ where: { planId: plans[0].id }, orderBy: { seq: 'asc' } });
    expect(rated.map((g) => [g.rating, g.ratingNote])).toEqual([
      ['partly', 'Besichtigung läuft'],
      ['achieved', null],
    ]);

    // the next version starts from the open goal (the housing goal), the achieved one is not carried
    const next = await formKeys(newPath, newPath);
    expect(next.page).toContain(`<input type="hidden" name="fromGoalId_0" value="${housing.id}">`);
    expect(next.page).toContain('>Eigene Wohnung finden</textarea>');
    expect(next.page).not.toContain('Sprachkurs B1 abschließen');
    const r = await b.post(newPath, {
      _csrf: next._csrf,
      _key: next._key,
      fromGoalId_0: housing.id,
      goalArea_0: 'housing',
      goalText_0: 'Eigene Wohnung finden',
      goalTarget_0: isoDay(90),
      reviewDate: isoDay(120),
    });
    expect(r.status).toBe(303);
    const v2 = await stack.db.plan.findFirstOrThrow({ where: { caseId, version: 2 }, include: { goals: true } });
    expect(v2.goals.map((g) => g.fromGoalId)).toEqual([housing.id]);
    shown = (await b.get(planPath)).text;
    expect(shown).toContain('Hilfeplan, Fassung 2 (in Kraft)');
    expect(shown).toContain('Hilfeplan, Fassung 1 (frühere Fassung, nur lesbar)');
  });
});

describe('journal', () => {
  it('adds an entry by kind with a goal, refuses bad input at the field, writes once, keeps the earlier text on edit', async () => {
    const caseId = await newCase('Verlauf');
    const path = `/faelle/${caseId}/verlauf`;
    const { _csrf, _key, page } = await formKeys(path, path);
    expect(page).toContain('<label for="f-kind">Art <span aria-hidden="true">*</span></label>');

    const bad = await b.post(path, { _csrf, _key, kind: '', at: '2026-11-02T10:30', text: 'Telefonat mit dem Vermieter' });
    expect(bad.status).toBe(400);
    expect(errorAt(bad.text, 'kind')).toBe('Art: bitte eine Art wählen');
    expect(bad.text).toContain('value="2026-11-02T10:30"');
    expect(bad.text).toContain('>Telefonat mit dem Vermieter</textarea>');
    const future = await b.post(path, { _csrf, _key, kind: 'phone', at: '2099-01-01T10:00', text: 'x' });
    expect(future.status).toBe(400);
    expect(errorAt(future.text, 'at')).toBe('Zeitpunkt darf nicht in der Zukunft liegen');
    expect(await stack.db.journalEntry.count({ where: { caseId } })).toBe(0);

    await twice(path, { _csrf, _key, kind: 'phone', at: '2026-11-02T10:30', text: 'Telefonat mit dem Vermieter' });
    const entries = await stack.db.journalEntry.findMany({ where: { caseId } });
    expect(entries).toHaveLength(1);
    expect(entries[0].at.toISOString()).toBe('2026-11-02T09:30:00.000Z'); // Berlin wall clock

    const editPath = `${path}/${entries[0].id}`;
    const ek = await formKeys(editPath, editPath);
    expect(ek.page).toContain('>Telefonat mit dem Vermieter</textarea>');
    const badEdit = await b.post(editPath, { _csrf: ek._csrf, _key: ek._key, kind: 'phone', at: '2026-11-02T10:30', text: '' });
    expect(badEdit.status).toBe(400);
    expect(errorAt(badEdit.text, 'text')).toBe('Text darf nicht leer sein');
    expect(await stack.db.journalRevision.count({ where: { entryId: entries[0].id } })).toBe(0);
    await twice(editPath, {
      _csrf: ek._csrf,
      _key: ek._key,
      kind: 'phone',
      at: '2026-11-02T10:30',
      text: 'Telefonat mit dem Vermieter: Besichtigung am Freitag',
    });
    expect(await stack.db.journalRevision.count({ where: { entryId: entries[0].id } })).toBe(1);
    const shown = (await b.get(path)).text;
    expect(shown).toContain('Telefonat mit dem Vermieter: Besichtigung am Freitag');
    expect(shown).toContain('Frühere Fassungen (1)');
    expect(shown).toMatch(/<p class="pre">Telefonat mit dem Vermieter<\/p>/);
  });
});

describe('documents', () => {
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

  async function upload(caseId: string, fields: Record<string, string>, file?: { name: string; content: Buffer; type?: string }) {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    if (file) form.append('file', new Blob([new Uint8Array(file.content)], { type: file.type ?? 'application/pdf' }), file.name);
    const res = await fetch(`${stack.url}/faelle/${caseId}/dokumente`, {
      method: 'POST',
      redirect: 'manual',
      headers: { accept: 'text/html', cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
      body: form,
    });
    return { status: res.status, text: await res.text(), location: res.headers.get('location') };
  }

  it('uploads a PDF once, refuses other types and files over 10 MB at the field, lists with download links', async () => {
    const caseId = await newCase('Dokument');
    const path = `/faelle/${caseId}/dokumente`;
    const { _csrf, _key, page } = await formKeys(path, path);
    expect(page).toContain('enctype="multipart/form-data"');

    const none = await upload(caseId, { _csrf, _key });
    expect(none.status).toBe(400);
    expect(errorAt(none.text, 'file')).toBe('Datei: bitte eine Datei auswählen');
    const text = await upload(caseId, { _csrf, _key }, { name: 'mietvertrag.pdf', content: Buffer.from('kein PDF, nur Text') });
    expect(text.status).toBe(415);
    expect(errorAt(text.text, 'file')).toBe('Nur PDF, JPEG oder PNG (erkannt am Inhalt der Datei).');
    const big = await upload(
      caseId,
      { _csrf, _key },
      { name: 'gross.pdf', content: Buffer.concat([pdf, Buffer.alloc(10 * 1024 * 1024 + 100 * 1024)]) },
    );
    expect(big.status).toBe(413);
    expect(errorAt(big.text, 'file')).toBe('Datei: größer als 10 MB – bitte eine kleinere Datei wählen');
    expect(await stack.db.caseDocument.count({ where: { caseId } })).toBe(0);
    // without the form's CSRF token nothing is written either
    expect((await upload(caseId, { _key }, { name: 'mietvertrag.pdf', content: pdf })).status).toBe(403);

    const replies = await Promise.all([
      upload(caseId, { _csrf, _key }, { name: 'mietvertrag.pdf', content: pdf }),
      upload(caseId, { _csrf, _key }, { name: 'mietvertrag.pdf', content: pdf }),
    ]);
    expect(replies.map((r) => r.status)).toEqual([303, 303]);
    const docs = await stack.db.caseDocument.findMany({ where: { caseId } });
    expect(docs).toHaveLength(1);
    const shown = (await b.get(path)).text;
    expect(shown).toContain(`<a href="/api/cases/${caseId}/documents/${docs[0].id}" download>mietvertrag.pdf</a>`);
    const download = await b.get(`/api/cases/${caseId}/documents/${docs[0].id}`);
    expect(download.status).toBe(200);
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
