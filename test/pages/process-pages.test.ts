// The chain pages without a browser: plain fetch with a cookie jar against the full stack (real
// worker, Temporal, PostgreSQL). Starting a chain from the case page, the process page's step form
// (valid, invalid data, wrong outcome, wrong step — nothing changes on an error), retry after a
// decline, skipping an optional step, hold / resume / reassign / cancel, handoffs from the case page,
// the admin deadline page, and escaping of everything typed.
import { chainDiagram, stepViews } from '../../api/pages/chain-diagram';
import { chainDefinitionFor } from '../../core/domain/chains';
import { chainDriver } from '../support/chain-helpers';
import { eventually, startStack, type Stack } from '../support/stack';
import { FormClient, hidden } from '../support/form-client';
import { startNewChainsOnV1 } from '../support/chain-versions';

// written for v1 of the shipped chains: new chains here start on v1 (v2: test/chains/chains-content.test.ts)
startNewChainsOnV1();

let stack: Stack;
let token: string;
let d: ReturnType<typeof chainDriver>;

beforeAll(async () => {
  stack = await startStack();
  token = await stack.token(CASEWORKER);
  d = chainDriver(stack, token);
});
afterAll(() => stack?.stop());

const CASEWORKER = 'fallmanagement@kim.example';
const XSS = '<script>alert(1)</script>';
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** A browser stand-in bound to this file's stack. */
class Browser extends FormClient {
  constructor() {
    super(stack.url);
  }
}

async function login(email = CASEWORKER): Promise<Browser> {
  const b = new Browser();
  expect(await b.login(email)).toMatchObject({ status: 303, location: '/faelle' });
  return b;
}

/** The markup of the diagram box of one state (class cd-<state>) that contains a title. */
const box = (page: string, state: string, title: string) =>
  new RegExp(`<g class="cd-step cd-${state}">(?:(?!</g>)[\\s\\S])*${title.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`).test(page);

/** Starts a chain from the case page; returns the process id. */
async function startFromCasePage(b: Browser, caseId: string, type = 'move-out') {
  const r = await b.submit(`/faelle/${caseId}`, `/faelle/${caseId}/ketten`, { type });
  expect(r.status).toBe(303);
  expect(r.location).toMatch(new RegExp(`^/prozesse/${UUID}$`));
  return r.location!.split('/').pop()!;
}

async function snapshot(processId: string) {
  const p = await stack.db.process.findUniqueOrThrow({ where: { id: processId }, include: { steps: { orderBy: { seq: 'asc' } } } });
  return {
    status: p.status,
    currentStep: p.currentStep,
    currentStatus: p.currentStatus,
    assigneeId: p.assigneeId,
    steps: p.steps.map((s) => ({ seq: s.seq, key: s.key, status: s.status, outcome: s.outcome, data: s.data })),
    events: await stack.db.processEvent.count({ where: { processId } }),
  };
}

describe('case page → chain → process page', () => {
  let b: Browser;
  let caseId: string;
  let pid: string;

  beforeAll(async () => {
    b = await login();
    caseId = (await d.newCase({ benefitType: 'sgb2' })).id;
  });

  it('the case page offers to start a chain; the form starts one and opens its process page; a second start is a 409 with a link to the running chain', async () => {
    const page = await b.get(`/faelle/${caseId}`);
    expect(page.text).toContain('<h2 id="h-ketten">Ketten</h2>');
    expect(page.text).toContain('Für diesen Fall läuft noch keine Kette.');
    expect(page.text).toContain('<h2 id="h-uebergaben">Übergaben</h2>');

    const bad = await b.submit(`/faelle/${caseId}`, `/faelle/${caseId}/ketten`, { type: 'umzug' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Art der Kette: bitte eine Kette auswählen');
    expect(await stack.db.process.count({ where: { caseId } })).toBe(0);

    pid = await startFromCasePage(b, caseId);
    const again = await b.submit(`/faelle/${caseId}`, `/faelle/${caseId}/ketten`, { type: 'move-out' });
    expect(again.status).toBe(409);
    expect(again.text).toContain('Für diesen Fall läuft bereits eine Kette dieser Art.');
    expect(again.text).toContain(`<a href="/prozesse/${pid}">Zur laufenden Kette</a>`);
    expect(again.text).toContain('<title>Fehler: Fall KIM-');
    expect(await stack.db.process.count({ where: { caseId } })).toBe(1);

    await d.at(pid, 'readiness', 'active');
    const card = await b.get(`/faelle/${caseId}`);
    expect(card.text).toContain('Auszug aus der Notunterkunft');
    expect(card.text).toContain(`<a href="/prozesse/${pid}">Prozess öffnen: Auszug aus der Notunterkunft</a>`);
    expect(card.text).toMatch(/<svg class="chain-diagram" role="img"/);
    expect(box(card.text, 'current', 'Wohnfähigkeit einschätzen')).toBe(true);
  });

  it('the process page shows header, diagram (first step current), the step form and the history', async () => {
    const page = await b.get(`/prozesse/${pid}`);
    expect(page.status).toBe(200);
    const c = await stack.db.case.findUniqueOrThrow({ where: { id: caseId } });
    expect(page.text).toContain(`<a href="/faelle/${caseId}">${c.reference}</a>`);
    expect(page.text).toMatch(/<dt>Status<\/dt><dd><span class="status status-running">läuft<\/span>/);
    expect(page.text).toMatch(/<dt>Version<\/dt><dd>1<\/dd>/);
    expect(page.text).toMatch(/<dt>Fallmanagement<\/dt><dd>Fallmanagement KIM<\/dd>/);
    // the diagram: an accessible SVG with title, description and a text alternative
    expect(page.text).toMatch(
      new RegExp(`<svg class="chain-diagram" role="img" aria-labelledby="cd-${pid}-title" aria-describedby="cd-${pid}-desc"`),
    );
    expect(page.text).toContain(`<title id="cd-${pid}-title">Ablauf der Kette: Auszug aus der Notunterkunft</title>`);
    expect(page.text).toMatch(
      /<desc id="[^"]+">Auszug aus der Notunterkunft, 18 Schritte\. Aktueller Schritt 1: Wohnfähigkeit einschätzen, aktuell bei Fallmanagement · fällig bis \d\d\.\d\d\.\d{4}\./,
    );
    expect(page.text).toContain(
      'Rücksprünge: Trainingsphase, danach neu einschätzen (Trainingsphase beendet) zurück zu Wohnfähigkeit einschätzen',
    );
    expect(box(page.text, 'current', 'Wohnfähigkeit einschätzen')).toBe(true);
    expect(box(page.text, 'upcoming', 'Wohnberechtigungsschein')).toBe(true);
    expect(page.text).toMatch(/<li aria-current="step">Wohnfähigkeit einschätzen: aktuell bei Fallmanagement/);
    expect(page.text).not.toMatch(/\sstyle=/);
    // the step form from the definition's fields and outcomes
    expect(page.text).toContain(`<form method="post" action="/prozesse/${pid}/schritte/readiness" novalidate>`);
    expect(page.text).toMatch(/<textarea id="f-data-assessment" name="data\.assessment"/);
    expect(page.text).toMatch(
      /<input type="radio" id="f-outcome" name="outcome" value="ready" required>\s*<label for="f-outcome">wohnfähig<\/label>/,
    );
    expect(page.text).toContain('<label for="f-outcome-1">Unterstützung nötig (Trainingsphase)</label>');
    expect(page.text).not.toContain('Überspringen'); // readiness is not optional
    expect(page.text).not.toContain('Erneut übergeben');
    // history
    expect(page.text).toMatch(/<td>System<\/td><td>Kette gestartet<\/td><td><\/td><td>Version 1<\/td>/);
    expect(page.text).toMatch(/<td>Schritt begonnen<\/td><td>Wohnfähigkeit einschätzen<\/td><td>fällig bis /);
  });

  it('an invalid step form comes back as 400 with German messages (missing or wrong outcome, too long text); a wrong step or action is a 409; nothing changes', async () => {
    const before = await snapshot(pid);
    const path = `/prozesse/${pid}`;
    const action = `${path}/schritte/readiness`;

    const none = await b.submit(path, action, { 'data.assessment': 'Notiz' });
    expect(none.status).toBe(400);
    expect(none.text).toContain('<li><a href="#f-outcome">Ergebnis: bitte auswählen</a></li>');
    expect(none.text).toContain('<title>Fehler: Auszug aus der Notunterkunft – KIM-');
    expect(none.text).toMatch(/<textarea id="f-data-assessment"[^>]*>Notiz<\/textarea>/); // kept

    const wrong = await b.submit(path, action, { outcome: 'maybe' });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('Ergebnis: „maybe“ ist für diesen Schritt nicht erlaubt');

    const long = await b.submit(path, action, { outcome: 'ready', 'data.assessment': 'x'.repeat(2001) });
    expect(long.status).toBe(400);
    expect(long.text).toContain('<a href="#f-data-assessment">Einschätzung: zu lang</a>');
    expect(long.text).toMatch(/<input type="radio" id="f-outcome" name="outcome" value="ready" checked/);

    const skip = await b.submit(path, action, { outcome: 'skip' });
    expect(skip.status).toBe(400);
    expect(skip.text).toContain('Ergebnis: nicht optional');

    const retry = await b.submit(path, action, { outcome: 'retry' });
    expect(retry.status).toBe(409);
    expect(retry.text).toContain('Nur eine abgelehnte Übergabe kann erneut übergeben werden.');

    const page = await b.get(path);
    expect(page.text).not.toContain(`action="${path}/schritte/lease"`); // the page has no form for another step …
    const notCurrent = await b.post(`${path}/schritte/lease`, {
      _csrf: hidden(page.text, '_csrf'),
      outcome: 'signed',
      'data.moveInDate': '2027-01-15',
    });
    expect(notCurrent.status).toBe(409); // … and posting one anyway is a conflict
    expect(notCurrent.text).toContain('Der Schritt „lease“ ist nicht der aktuelle Schritt.');

    const resume = await b.post(`${path}/fortsetzen`, { _csrf: hidden(page.text, '_csrf') });
    expect(resume.status).toBe(409);
    expect(resume.text).toContain('Die Kette ist nicht angehalten.');

    expect(await snapshot(pid)).toEqual(before);
  });

  it('a valid step form completes the step (303); the next step is handed to the Ausländerbehörde; the history shows who, what and the data, escaped', async () => {
    const r = await b.submit(`/prozesse/${pid}`, `/prozesse/${pid}/schritte/readiness`, {
      outcome: 'ready',
      'data.assessment': `Stabil ${XSS}`,
    });
    expect(r).toMatchObject({ status: 303, location: `/prozesse/${pid}?ok=schritt` });
    await d.at(pid, 'residence-check', 'handoff');
    const page = await b.get(r.location!);
    expect(page.text).toContain('<p class="notice ok" role="status">Ergebnis gespeichert.</p>');
    expect(box(page.text, 'done', 'Wohnfähigkeit einschätzen')).toBe(true);
    expect(box(page.text, 'current', 'Aufenthaltsstatus / Wohnsitzauflage (§ 12a AufenthG)')).toBe(true);
    expect(page.text).toMatch(/▶ bei Ausländerbehörde · fällig bis \d\d\.\d\d\.\d{4}/);
    expect(page.text).toMatch(/<dt>Liegt bei<\/dt><dd>Ausländerbehörde<\/dd>/);
    expect(page.text).toMatch(/<dt>Eingang bestätigen bis<\/dt><dd>\d\d\.\d\d\.\d{4}, \d\d:\d\d<\/dd>/);
    expect(page.text).not.toContain('Ergebnis speichern'); // the department holds it
    expect(page.text).toMatch(
      /<td>Fallmanagement KIM<\/td><td>Ergebnis erfasst<\/td><td>Wohnfähigkeit einschätzen<\/td><td>Ergebnis: wohnfähig; Einschätzung: Stabil &lt;script&gt;alert\(1\)&lt;\/script&gt;<\/td>/,
    );
    expect(page.text).toMatch(
      /<td>an Stelle übergeben<\/td><td>Aufenthaltsstatus \/ Wohnsitzauflage \(§ 12a AufenthG\)<\/td><td>an Ausländerbehörde<\/td>/,
    );
    expect(page.text).not.toContain(XSS);
  });

  it('hold (reason required, escaped), resume, reassign and cancel through the forms; afterwards the chain refuses further actions', async () => {
    const path = `/prozesse/${pid}`;
    const empty = await b.submit(path, `${path}/anhalten`, { reason: ' ' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('<a href="#f-hold-reason">Begründung fehlt</a>');
    expect((await stack.db.process.findUniqueOrThrow({ where: { id: pid } })).status).toBe('running');

    const held = await b.submit(path, `${path}/anhalten`, { reason: `Krankenhaus ${XSS}` });
    expect(held).toMatchObject({ status: 303, location: `${path}?ok=hold` });
    let page = await b.get(held.location!);
    expect(page.text).toContain('Kette angehalten.');
    expect(page.text).toContain(
      '<span class="status status-on_hold">angehalten</span> – Begründung: Krankenhaus &lt;script&gt;alert(1)&lt;/script&gt;',
    );
    expect(page.text).toMatch(/<td>Kette angehalten<\/td><td>[^<]*<\/td><td>Begründung: Krankenhaus &lt;script&gt;/);
    expect(page.text).not.toContain(XSS);
    expect(page.text).toContain(`action="${path}/fortsetzen"`);
    expect(page.text).not.toContain(`action="${path}/anhalten"`);

    const resumed = await b.submit(path, `${path}/fortsetzen`, {});
    expect(resumed).toMatchObject({ status: 303, location: `${path}?ok=resume` });
    expect((await stack.db.process.findUniqueOrThrow({ where: { id: pid } })).status).toBe('running');

    // a second caseworker of the same team appears in the reassign select
    page = await b.get(path);
    expect(page.text).toContain('Keine andere aktive Fallmanagerin und kein anderer aktiver Fallmanager im Team.');
    const other = await stack.db.user.create({
      data: { email: `zweite-${Date.now()}@kim.example`, name: 'Zweite Fallmanagerin', role: 'caseworker', departmentId: '5-53' },
    });
    const noTarget = await b.submit(path, `${path}/uebertragen`, { caseworkerId: '' });
    expect(noTarget.status).toBe(400);
    expect(noTarget.text).toContain('Fallmanager/in: bitte auswählen');
    const moved = await b.submit(path, `${path}/uebertragen`, { caseworkerId: other.id, reason: 'Urlaub' });
    expect(moved).toMatchObject({ status: 303, location: `${path}?ok=reassign` });
    expect((await stack.db.process.findUniqueOrThrow({ where: { id: pid } })).assigneeId).toBe(other.id);
    page = await b.get(path);
    expect(page.text).toMatch(
      /<td>Kette übertragen<\/td><td>[^<]*<\/td><td>von Fallmanagement KIM an Zweite Fallmanagerin; Begründung: Urlaub<\/td>/,
    );
    expect(page.text).toMatch(/<dt>Fallmanagement<\/dt><dd>Zweite Fallmanagerin<\/dd>/);

    // cancel: the warning names the open handoff; the handoff is cancelled, the department told
    expect(page.text).toContain('Die offene Übergabe an Ausländerbehörde wird abgebrochen und die Stelle per E-Mail informiert.');
    const task = await stack.db.task.findFirstOrThrow({ where: { processId: pid, stepKey: 'residence-check' } });
    const short = await b.submit(path, `${path}/abbrechen`, { reason: 'x' });
    expect(short.status).toBe(400);
    expect(short.text).toContain('Begründung: bitte mindestens 3 Zeichen');
    const cancelled = await b.submit(path, `${path}/abbrechen`, { reason: `Umzug zu Verwandten ${XSS}` });
    expect(cancelled).toMatchObject({ status: 303, location: `${path}?ok=cancel` });
    expect((await stack.db.process.findUniqueOrThrow({ where: { id: pid } })).status).toBe('cancelled');
    await eventually(async () => (await stack.db.task.findUniqueOrThrow({ where: { id: task.id } })).status === 'cancelled');
    page = await b.get(path);
    expect(page.text).toContain(
      '<span class="status status-cancelled">abgebrochen</span> – Begründung: Umzug zu Verwandten &lt;script&gt;',
    );
    expect(page.text).toContain('Die Kette wurde abgebrochen.');
    expect(box(page.text, 'cancelled', 'Aufenthaltsstatus / Wohnsitzauflage')).toBe(true);
    expect(page.text).not.toContain(`action="${path}/abbrechen"`);
    expect(page.text).not.toContain(XSS);

    // the page's forms are gone; a stale one is a 409 shown on the page
    const stale = await b.post(`${path}/anhalten`, { _csrf: hidden(page.text, '_csrf'), reason: 'zu spät' });
    expect(stale.status).toBe(409);
    expect(stale.text).toMatch(
      /<h2>Aktion nicht möglich<\/h2><p>(Der Vorgang läuft nicht mehr|Die Kette ist beendet; Anhalten ist nicht möglich)\.<\/p>/,
    );

    // the case page shows the ended chain and lets start a new one
    const casePage = await b.get(`/faelle/${caseId}`);
    expect(casePage.text).toContain('<span class="status status-cancelled">abgebrochen</span>');
    expect(casePage.text).toContain(`action="/faelle/${caseId}/ketten"`);
  });
});

describe('returned handoff, optional step, number fields, waiting step', () => {
  it('a declined handoff shows the reason and „Erneut übergeben“; an optional handoff can be skipped; number fields are checked in German', async () => {
    const b = await login();
    const caseId = (await d.newCase({ benefitType: 'sgb2' })).id;
    const pid = await startFromCasePage(b, caseId);
    await d.at(pid, 'readiness', 'active');
    expect((await b.submit(`/prozesse/${pid}`, `/prozesse/${pid}/schritte/readiness`, { outcome: 'ready' })).status).toBe(303);

    const first = await d.departmentActs(pid, 'residence-check', 'decline', { reason: `Akte fehlt ${XSS}` });
    await d.at(pid, 'residence-check', 'returned');
    let page = await b.get(`/prozesse/${pid}`);
    expect(page.text).toContain('<strong>Begründung der Ablehnung:</strong> Akte fehlt &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.text).toMatch(
      /<td>Übergabe abgelehnt – zurück beim Fallmanagement<\/td><td>Aufenthaltsstatus[^<]*<\/td><td>Begründung: Akte fehlt &lt;script&gt;/,
    );
    expect(page.text).not.toContain(XSS);
    expect(box(page.text, 'current', 'Aufenthaltsstatus')).toBe(true);
    expect(page.text).toContain('zurückgegeben an Fallmanagement');
    expect(page.text).toContain('<button type="submit">Erneut übergeben</button>');
    expect(page.text).toContain('<label for="f-outcome-2">Auflage steht entgegen</label>'); // or set the outcome itself

    const retried = await b.post(`/prozesse/${pid}/schritte/residence-check`, { _csrf: hidden(page.text, '_csrf'), outcome: 'retry' });
    expect(retried).toMatchObject({ status: 303, location: `/prozesse/${pid}?ok=retry` });
    const again = await d.at(pid, 'residence-check', 'handoff');
    const second = [...again.steps].reverse().find((s: { key: string }) => s.key === 'residence-check').taskId;
    expect(second).not.toBe(first);

    await d.departmentActs(pid, 'residence-check', 'complete', { outcome: 'clear' });
    await d.at(pid, 'wbs', 'handoff');
    page = await b.get(`/prozesse/${pid}`);
    expect(page.text).toContain('<button type="submit" class="secondary">Überspringen</button>');
    expect(page.text).toContain('Überspringen bricht die offene Übergabe ab.');
    const wbsTask = [...(await d.process(pid)).steps].reverse().find((s: { key: string }) => s.key === 'wbs').taskId;
    const skipped = await b.post(`/prozesse/${pid}/schritte/wbs`, { _csrf: hidden(page.text, '_csrf'), outcome: 'skip' });
    expect(skipped).toMatchObject({ status: 303, location: `/prozesse/${pid}?ok=skip` });
    await d.at(pid, 'search-profile', 'active');
    await eventually(async () => (await stack.db.task.findUniqueOrThrow({ where: { id: wbsTask } })).status === 'cancelled');
    page = await b.get(`/prozesse/${pid}`);
    expect(box(page.text, 'skipped', 'Wohnberechtigungsschein')).toBe(true);
    expect(box(page.text, 'bypassed', 'Antrag auf Aufhebung der Wohnsitzauflage')).toBe(true);

    // search profile: two required numbers and an optional text
    expect(page.text).toMatch(
      /<label for="f-data-rooms">Zimmer <span aria-hidden="true">\*<\/span><\/label>\s*<p class="hint" id="f-data-rooms-hint">Zahl von 1 bis 10<\/p>/,
    );
    const action = `/prozesse/${pid}/schritte/search-profile`;
    const before = await snapshot(pid);
    const words = await b.submit(`/prozesse/${pid}`, action, { outcome: 'done', 'data.rooms': 'drei', 'data.rentCap': '' });
    expect(words.status).toBe(400);
    expect(words.text).toContain('<a href="#f-data-rooms">Zimmer: Zahl erwartet</a>');
    expect(words.text).toContain('<a href="#f-data-rentCap">Mietobergrenze (EUR, KdU): bitte angeben</a>');
    expect(words.text).toMatch(
      /<input id="f-data-rooms" name="data\.rooms" type="text" value="drei" required aria-describedby="f-data-rooms-hint f-data-rooms-error" aria-invalid="true"/,
    );
    const range = await b.submit(`/prozesse/${pid}`, action, { outcome: 'done', 'data.rooms': '0', 'data.rentCap': '720,50' });
    expect(range.status).toBe(400);
    expect(range.text).toContain('Zimmer: mindestens 1');
    expect(range.text).not.toContain('Mietobergrenze (EUR, KdU): ');
    expect(await snapshot(pid)).toEqual(before);
    const ok = await b.submit(`/prozesse/${pid}`, action, {
      outcome: 'done',
      'data.rooms': '3',
      'data.rentCap': '720,50',
      'data.area': 'Bensberg',
    });
    expect(ok.status).toBe(303);
    const row = await stack.db.processStep.findFirstOrThrow({ where: { processId: pid, key: 'search-profile' } });
    expect(row).toMatchObject({ status: 'done', outcome: 'done', data: { rooms: 3, rentCap: 720.5, area: 'Bensberg' } });
    await d.at(pid, 'offer', 'active');
  });

  it('a waiting step shows „beginnt am …“ and no form', async () => {
    const b = await login();
    const caseId = (await d.newCase()).id;
    const pid = await startFromCasePage(b, caseId);
    await d.at(pid, 'readiness', 'active');
    expect((await b.submit(`/prozesse/${pid}`, `/prozesse/${pid}/schritte/readiness`, { outcome: 'support-needed' })).status).toBe(303);
    await d.at(pid, 'training', 'waiting');
    const page = await b.get(`/prozesse/${pid}`);
    expect(page.text).toMatch(/<dt>Beginnt<\/dt><dd>beginnt am \d\d\.\d\d\.\d{4}, \d\d:\d\d<\/dd>/);
    expect(page.text).toMatch(/▶ wartet, beginnt am \d\d\.\d\d\.\d{4}/);
    expect(page.text).not.toContain('Ergebnis speichern');
    expect(box(page.text, 'upcoming', 'Aufenthaltsstatus')).toBe(true);
    expect(box(page.text, 'done', 'Wohnfähigkeit einschätzen')).toBe(true);
  });
});

describe('access', () => {
  it('department members and admins do not see process pages; supervisors see them without the step form', async () => {
    const caseId = (await d.newCase()).id;
    const start = await stack.api('POST', `/api/cases/${caseId}/chains`, { token, body: { type: 'education-work' } });
    const pid = start.body.id as string;
    await d.at(pid, 'education-history', 'active');
    for (const email of ['soziale-foerderung@kim.example', 'admin@kim.example']) {
      const r = await (await login(email)).get(`/prozesse/${pid}`);
      expect({ email, status: r.status }).toEqual({ email, status: 404 });
    }
    const lead = await login('leitung@kim.example');
    const page = await lead.get(`/prozesse/${pid}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Ablauf der Kette: Bildung und Arbeit');
    expect(page.text).not.toContain('Ergebnis speichern');
    expect(page.text).toContain(`action="/prozesse/${pid}/anhalten"`);
    expect(page.text).not.toContain(`action="/prozesse/${pid}/abbrechen"`);
    const forbidden = await lead.post(`/prozesse/${pid}/schritte/education-history`, {
      _csrf: hidden(page.text, '_csrf'),
      outcome: 'done',
    });
    expect(forbidden.status).toBe(403);
    expect(forbidden.text).toContain('Nur das Fallmanagement erfasst Ergebnisse.');
    expect(page.text).toMatch(/<li><a href="\/aufgaben">Aufgaben<\/a><\/li>/);
    expect(page.text).not.toContain('href="/admin/fristen"');
    expect((await lead.get('/prozesse/00000000-0000-0000-0000-000000000000')).status).toBe(404);
  });
});

describe('handoffs from the case page', () => {
  it('hands a step to a department, lists it with status and deadline; a second one for the same step is a 409 with a link', async () => {
    const b = await login();
    const caseId = (await d.newCase()).id;
    const path = `/faelle/${caseId}`;
    const empty = await b.submit(path, `${path}/uebergaben`, { step: '', department: '' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('<a href="#f-handoffStep">Schritt: bitte einen Schritt auswählen</a>');
    expect(empty.text).toContain('<a href="#f-handoffDepartment">An Stelle: bitte eine Stelle auswählen</a>');
    const unknown = await b.submit(path, `${path}/uebergaben`, { step: 'general', department: 'nirgendwo' });
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('Stelle: unbekannt');

    const r = await b.submit(path, `${path}/uebergaben`, { step: 'general', department: '5-50' });
    expect(r).toMatchObject({ status: 303, location: `${path}?ok=uebergabe` });
    const task = await stack.db.task.findFirstOrThrow({ where: { caseId } });
    await eventually(async () => (await stack.db.task.findUniqueOrThrow({ where: { id: task.id } })).status === 'notified');
    const page = await b.get(path);
    expect(page.text).toMatch(
      new RegExp(
        `<tr><td><a href="/aufgaben/${task.id}">Allgemeine Übergabe</a></td><td>Soziale Förderung \\(5-50\\)</td>\\s*<td>benachrichtigt</td>\\s*<td>bestätigen bis \\d\\d\\.\\d\\d\\.\\d{4}, \\d\\d:\\d\\d</td></tr>`,
      ),
    );

    // the overdue marker comes from the read model (set by the handoff workflow when the deadline passes)
    await stack.db.task.update({ where: { id: task.id }, data: { overdue: true } });
    expect((await b.get(path)).text).toMatch(new RegExp(`<td>benachrichtigt <strong class="overdue">überfällig</strong></td>`));

    const again = await b.submit(path, `${path}/uebergaben`, { step: 'general', department: 'jobcenter' });
    expect(again.status).toBe(409);
    expect(again.text).toContain('Für diesen Schritt läuft bereits eine Übergabe (an 5-50).');
    expect(again.text).toContain(`<a href="/aufgaben/${task.id}">Zur offenen Übergabe</a>`);
    expect(await stack.db.task.count({ where: { caseId } })).toBe(1);
  });
});

describe('admin: deadline rules', () => {
  it('is 403 for a caseworker (page and form post); nothing is written', async () => {
    const b = await login();
    const page = await b.get('/admin/fristen');
    expect(page.status).toBe(403);
    expect(page.text).toContain('Nur die Administration kann Fristen ändern.');
    expect(page.text).not.toContain('href="/admin/fristen"'); // not in the navigation either
    expect(page.text).toContain('<li><a href="/aufgaben">Aufgaben</a></li>');
    const csrf = hidden((await b.get('/faelle')).text, '_csrf');
    const post = await b.post('/admin/fristen', { _csrf: csrf, department: '', step: '', ackDays: '1', completeDays: '1' });
    expect(post.status).toBe(403);
    expect(await stack.db.deadlineRule.count()).toBe(0);
  });

  it('the admin upserts a rule per (department, step) with German validation; every change is audited', async () => {
    const b = await login('admin@kim.example');
    const page = await b.get('/admin/fristen');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<li><a href="/admin/fristen">Fristen</a></li>');
    expect(page.text).not.toContain('<li><a href="/aufgaben">Aufgaben</a></li>');
    expect(page.text).toContain('Noch keine Regeln');

    const bad = await b.submit('/admin/fristen', '/admin/fristen', {
      department: 'jobcenter',
      step: 'cost-approval',
      ackDays: 'x',
      completeDays: '',
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Eingang bestätigen (Arbeitstage): Tage müssen eine Zahl sein');
    expect(bad.text).toContain('Erledigen (Arbeitstage): bitte angeben');
    expect(bad.text).toMatch(/<option value="jobcenter" selected>Jobcenter<\/option>/); // kept
    const big = await b.submit('/admin/fristen', '/admin/fristen', { department: '', step: '', ackDays: '61', completeDays: '2.5' });
    expect(big.status).toBe(400);
    expect(big.text).toContain('Eingang bestätigen (Arbeitstage): höchstens 60');
    expect(big.text).toContain('Erledigen (Arbeitstage): ganze Tage');
    const unknown = await b.submit('/admin/fristen', '/admin/fristen', {
      department: 'nirgendwo',
      step: '',
      ackDays: '1',
      completeDays: '2',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('Stelle: unbekannt');
    expect(await stack.db.deadlineRule.count()).toBe(0);

    const r = await b.submit('/admin/fristen', '/admin/fristen', {
      department: 'jobcenter',
      step: 'cost-approval',
      ackDays: '1',
      completeDays: '4',
    });
    expect(r).toMatchObject({ status: 303, location: '/admin/fristen?ok=1' });
    const again = await b.submit('/admin/fristen', '/admin/fristen', {
      department: 'jobcenter',
      step: 'cost-approval',
      ackDays: '2',
      completeDays: '6',
    });
    expect(again.status).toBe(303);
    const any = await b.submit('/admin/fristen', '/admin/fristen', { department: '', step: 'wbs', ackDays: '3', completeDays: '12' });
    expect(any.status).toBe(303);
    const rules = await stack.db.deadlineRule.findMany({ orderBy: { stepKey: 'asc' } });
    expect(rules.map((x) => [x.departmentId, x.stepKey, x.ackDays, x.completeDays])).toEqual([
      ['jobcenter', 'cost-approval', 2, 6],
      [null, 'wbs', 3, 12],
    ]);
    expect(await stack.db.auditEvent.count({ where: { action: 'deadline.set' } })).toBe(3);
    const list = await b.get('/admin/fristen?ok=1');
    expect(list.text).toContain('Regel gespeichert.');
    expect(list.text).toMatch(
      /<tr><td>Jobcenter<\/td><td>Mietübernahme<\/td>\s*<td>2 Arbeitstage<\/td><td>6 Arbeitstage<\/td>\s*<td>[^<]* von Administration<\/td><\/tr>/,
    );
    expect(list.text).toMatch(/<tr><td>alle Stellen<\/td><td>Wohnberechtigungsschein<\/td>/);
  });
});

describe('chain diagram (pure)', () => {
  it('education/work: the minor branch not taken is „nicht durchlaufen“, a loop back makes done steps „offen (zuvor …)“; loops and jumps are in the description', () => {
    const def = chainDefinitionFor('education-work')!;
    const steps = [
      { seq: 1, key: 'education-history', status: 'done', outcome: 'done' },
      { seq: 2, key: 'language-course', status: 'skipped', outcome: 'enrolled' },
      { seq: 3, key: 'counselling', status: 'done', outcome: 'done' },
      { seq: 4, key: 'age-check', status: 'done', outcome: 'no' },
      { seq: 5, key: 'measure', status: 'done', outcome: 'finished' },
      { seq: 6, key: 'placement', status: 'done', outcome: 'none' },
      { seq: 7, key: 'measure', status: 'active', outcome: null },
    ];
    const views = stepViews({
      id: 'x',
      definition: def,
      status: 'running',
      steps,
      current: { key: 'measure', phase: 'handoff', holder: 'Bildungsträger (Partner)', dueAt: '2026-12-01T10:00:00Z' },
    });
    expect(views.map((v) => [v.key, v.state, v.text])).toEqual([
      ['education-history', 'done', 'erledigt: erfasst'],
      ['recognition', 'bypassed', 'nicht durchlaufen'],
      ['language-course', 'skipped', 'übersprungen'],
      ['counselling', 'done', 'erledigt: beraten'],
      ['age-check', 'done', 'erledigt: volljährig'],
      ['school-place', 'bypassed', 'nicht durchlaufen'],
      ['measure', 'current', 'bei Bildungsträger (Partner) · fällig bis 01.12.2026'],
      ['placement', 'upcoming', 'offen (zuvor: keine Vermittlung)'],
      ['follow-up', 'upcoming', 'offen'],
    ]);
    const svg = chainDiagram({
      id: 'x',
      definition: def,
      status: 'running',
      steps,
      current: { key: 'measure', phase: 'handoff', holder: 'Bildungsträger (Partner)' },
    }).value;
    expect(svg).toContain(
      'Rücksprünge: Schulplatz (kein Platz) wird wiederholt; Vermittlung: Ausbildung, Studium oder Arbeit (keine Vermittlung) zurück zu Maßnahme beim Bildungsträger.',
    );
    expect(svg).toContain(
      'Sprünge: Bildungs- und Berufsbiografie erfassen (erfasst) weiter zu Sprachkurs; Minderjährig? (Schulpflicht) (volljährig) weiter zu Maßnahme beim Bildungsträger; Schulplatz (zugewiesen) weiter zu Nachbetreuung nach 3 Monaten.',
    );
    expect(svg.match(/class="cd-edge cd-back"/g)).toHaveLength(2); // one back-edge, one self-loop
    expect(svg).not.toMatch(/\sstyle=/);
  });

  it('a completed chain has no current step; a cancelled one marks the step it stopped at; titles and holders are escaped', () => {
    const def = structuredClone(chainDefinitionFor('move-out')!);
    def.title = `Auszug ${XSS}`;
    def.steps.readiness.title = `Wohnfähigkeit ${XSS}`;
    const cancelled = chainDiagram({
      id: 'y"><x',
      definition: def,
      status: 'cancelled',
      steps: [{ seq: 1, key: 'readiness', status: 'cancelled', outcome: null }],
      current: { key: 'readiness', phase: 'active', holder: XSS },
    }).value;
    expect(cancelled).not.toContain(XSS);
    expect(cancelled).toContain('1. Wohnfähigkeit &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(cancelled).toContain('<title id="cd-yx-title">Ablauf der Kette: Auszug &lt;script&gt;');
    expect(cancelled).toContain('Die Kette wurde abgebrochen.');
    const held = chainDiagram({
      id: 'h',
      definition: def,
      status: 'running',
      steps: [],
      current: { key: 'readiness', phase: 'handoff', holder: XSS },
    }).value;
    expect(held).not.toContain(XSS);
    expect(held).toContain('▶ bei &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(
      stepViews({ id: 'z', definition: def, status: 'completed', steps: [{ seq: 1, key: 'readiness', status: 'done', outcome: 'ready' }] })
        .filter((v) => v.state !== 'bypassed')
        .map((v) => v.key),
    ).toEqual(['readiness']);
  });
});

describe('process page: handoffs and e-mails', () => {
  it("lists the chain's handoffs and the e-mails sent for them with their status", async () => {
    const c = await d.newCase();
    const started = await stack.api('POST', `/api/cases/${c.id}/chains`, { token, body: { type: 'move-out' } });
    await d.complete(started.body.id, 'readiness', 'ready');
    await d.at(started.body.id, 'residence-check', 'handoff');
    await eventually(async () => (await stack.db.mail.count({ where: { caseId: c.id, status: 'sent' } })) > 0);
    const page = await (await login('leitung@kim.example')).get(`/prozesse/${started.body.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Übergaben und E-Mails');
    expect(page.text).toContain('Aufenthaltsstatus / Wohnsitzauflage prüfen');
    expect(page.text).toContain(`[KIM] Bitte bestätigen: Aufenthaltsstatus / Wohnsitzauflage prüfen – Fall ${c.reference}`);
    expect(page.text).toMatch(/versandt \d\d\.\d\d\.\d{4}/);
  });
});
