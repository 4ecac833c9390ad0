// Chains defined by the city: an uploaded definition is refused for each kind of error (German message,
// `details` naming the step, nothing stored) and accepted when valid — as JSON and as YAML; the new
// version then runs (a new chain starts on it), while a chain started before keeps its version.
import { stringify } from 'yaml';
import { chainDriver } from '../support/chain-helpers';
import { moveOutWithIntake } from '../support/chain-variants';
import { FormClient, hidden } from '../support/form-client';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let admin: string;
let caseworker: string;
let d: ReturnType<typeof chainDriver>;

beforeAll(async () => {
  stack = await startStack({ workingDaySeconds: 0.05 });
  [admin, caseworker] = await Promise.all([stack.token('admin@kim.example'), stack.token('fallmanagement@kim.example')]);
  d = chainDriver(stack, caseworker);
});
afterAll(() => stack?.stop());

/** move-out with an intake conversation before the readiness assessment */
const variant = () => moveOutWithIntake('Auszug (Variante Stadt)');

const post = (body: unknown, headers?: Record<string, string>) =>
  stack.api('POST', '/api/admin/chain-definitions', { token: admin, body, headers });

async function refused(body: unknown, field: RegExp, message: RegExp, headers?: Record<string, string>) {
  const before = await stack.db.chainDefinitionVersion.count();
  const r = await post(body, headers);
  expect(r.status).toBe(400);
  expect(r.body.error.message).toMatch(message);
  expect(r.body.error.details.map((x: { field: string }) => x.field)).toEqual(expect.arrayContaining([expect.stringMatching(field)]));
  expect(await stack.db.chainDefinitionVersion.count()).toBe(before);
  return r.body.error;
}

it('refuses each kind of error with a German message naming the step; nothing is stored', async () => {
  // schema: a step without outcomes, a field of unknown type
  const noOutcomes = variant();
  noOutcomes.steps.intake.outcomes = {};
  await refused(noOutcomes, /^steps\.intake\.outcomes$/, /Schritt „intake“: mindestens ein Ergebnis/);
  const badField = variant() as unknown as { steps: Record<string, { fields: unknown[] }> };
  badField.steps.intake.fields = [{ key: 'x', label: 'X', type: 'colour' }];
  await refused(badField, /^steps\.intake\.fields\.0\.type$/, /Schritt „intake“/);
  // a following step that does not exist
  const noNext = variant();
  noNext.steps.intake.outcomes.done.next = 'nirgendwo';
  await refused(noNext, /^steps\.intake\.outcomes\.done$/, /Folgeschritt nirgendwo fehlt/);
  // a step no path reaches
  const unreachable = variant();
  unreachable.steps.orphan = { ...unreachable.steps.intake, title: 'Verwaist' };
  await refused(unreachable, /^steps\.orphan$/, /Schritt „orphan“: ist vom Startschritt aus nicht erreichbar/);
  // a path that never ends (a loop without exit)
  const loop = variant();
  loop.steps.intake.outcomes.other = { label: 'Schleife', next: 'spin' };
  loop.steps.spin = { ...loop.steps.intake, title: 'Dreht sich', outcomes: { again: { label: 'nochmal', next: 'spin' } } };
  await refused(loop, /^steps\.spin\.outcomes$/, /Schritt „spin“: von hier führt kein Weg zum Ende/);
  // a department that does not exist
  const dept = variant();
  dept.steps.wbs.actor = { kind: 'handoff', handoffStep: 'wbs', department: 'bauamt' };
  await refused(dept, /^steps\.wbs\.actor\.department$/, /Schritt „wbs“: Stelle „bauamt“ gibt es nicht/);
  // a handoff step that does not exist, and an outcome the department cannot report
  const handoff = variant();
  handoff.steps.wbs.actor = { kind: 'handoff', handoffStep: 'zauberei', department: 'wohnungsamt' };
  await refused(handoff, /^steps\.wbs\.actor\.handoffStep$/, /Übergabe-Schritt „zauberei“ gibt es nicht/);
  const outcome = variant();
  outcome.steps.wbs.outcomes.vielleicht = { label: 'vielleicht', next: 'search-profile' };
  await refused(outcome, /^steps\.wbs\.outcomes\.vielleicht$/, /Ergebnis „vielleicht“ kann die Stelle/);
  // a rule that does not exist, and a rule step whose outcomes are not the rule's answers
  const rule = variant() as unknown as { steps: Record<string, unknown> };
  rule.steps.intake = { ...(rule.steps.intake as object), actor: { kind: 'rule', rule: 'isRich' } };
  await refused(rule, /^steps\.intake\.actor/, /Schritt „intake“/);
  const ruleOutcomes = variant();
  ruleOutcomes.steps.intake.actor = { kind: 'rule', rule: 'isMinor' };
  await refused(ruleOutcomes, /^steps\.intake\.outcomes$/, /Regel „isMinor“ antwortet mit yes, no/);
  // a field reference that does not resolve (the move's due date from a field the lease step lacks)
  const ref = variant();
  const move = ref.steps.move.actor as { kind: 'handoff'; dueFromField?: { step: string; field: string } };
  move.dueFromField = { step: 'lease', field: 'einzugsdatum' };
  await refused(ref, /^steps\.move\.actor\.dueFromField\.field$/, /Schritt „move“: verweist auf das Feld „einzugsdatum“/);
  // an unknown chain type, unreadable YAML, not an object
  await refused({ ...variant(), type: 'garden' }, /^type$/, /type/);
  await refused('steps: [unclosed', /^definition$/, /weder gültiges JSON noch gültiges YAML/, { 'content-type': 'application/yaml' });
  await refused('- eins\n- zwei\n', /^definition$/, /Definition/, { 'content-type': 'application/yaml' });
});

it('a valid variant (YAML) is published as the next version; new chains run on it, running ones keep theirs', async () => {
  const before = await d.newCase();
  const old = await stack.api('POST', `/api/cases/${before.id}/chains`, { token: caseworker, body: { type: 'move-out' } });
  expect(old.status).toBe(201);

  const r = await post(stringify(variant()), { 'content-type': 'application/yaml' });
  expect(r.status).toBe(201);
  expect(r.body).toEqual({ type: 'move-out', version: 3 }); // after the shipped v1 and v2
  const list = await stack.api('GET', '/api/admin/chain-definitions', { token: admin });
  const moveOut = list.body.items.find((i: { type: string }) => i.type === 'move-out');
  expect(moveOut.current).toBe(3);
  expect(moveOut.versions.map((v: { version: number; source: string }) => [v.version, v.source])).toEqual([
    [3, 'city'],
    [2, 'shipped'],
    [1, 'shipped'],
  ]);
  const audit = await stack.db.auditEvent.findFirst({ where: { action: 'chain-definition.publish' } });
  expect(audit?.details).toEqual({ type: 'move-out', version: 3 });

  // a new chain runs on version 3: it starts with the intake step and goes on to readiness
  const c = await d.newCase();
  const started = await stack.api('POST', `/api/cases/${c.id}/chains`, { token: caseworker, body: { type: 'move-out' } });
  expect(started.status).toBe(201);
  const p = await d.at(started.body.id, 'intake');
  expect(p.version).toBe(3);
  expect(p.currentStep.title).toBe('Erstgespräch Auszug');
  await d.complete(started.body.id, 'intake', 'done');
  await d.at(started.body.id, 'readiness');

  // the chain started before keeps the shipped version 2
  const running = await d.at(old.body.id, 'readiness');
  expect(running.version).toBe(2);

  // JSON again → version 4
  const json = await post(variant());
  expect(json.status).toBe(201);
  expect(json.body.version).toBe(4);
});

it('pages: an admin uploads, sees the errors at the field (input kept), then the diff and diagram, and publishes once', async () => {
  const b = new FormClient(stack.url);
  await b.login('admin@kim.example');
  const list = await b.get('/admin/ketten');
  expect(list.status).toBe(200);
  expect(list.text).toContain('Version 1');
  const broken = variant();
  broken.steps.wbs.actor = { kind: 'handoff', handoffStep: 'wbs', department: 'bauamt' };
  const bad = await b.submit('/admin/ketten', '/admin/ketten/pruefen', { definition: stringify(broken) });
  expect(bad.status).toBe(400);
  expect(bad.text).toContain('Schritt „wbs“: Stelle „bauamt“ gibt es nicht.');
  expect(bad.text).toContain('aria-invalid="true"');
  expect(bad.text).toContain('department: bauamt'); // input kept

  const v = variant();
  v.title = 'Auszug (Variante Seite)';
  const preview = await b.submit('/admin/ketten', '/admin/ketten/pruefen', { definition: stringify(v) });
  expect(preview.status).toBe(200);
  const latest = (await stack.db.chainDefinitionVersion.aggregate({ _max: { version: true } }))._max.version ?? 1;
  expect(preview.text).toContain(`Als Version ${latest + 1} veröffentlichen`);
  expect(preview.text).toContain('<span class="diff-add">+ title: Auszug (Variante Seite)</span>');
  expect(preview.text).toContain('<svg'); // the diagram preview
  const before = await stack.db.chainDefinitionVersion.count();
  const form = {
    _csrf: hidden(preview.text, '_csrf'),
    definition: stringify(v),
    basedOn: hidden(preview.text, 'basedOn'),
  };
  const first = await b.post('/admin/ketten', form);
  expect(first.status).toBe(303);
  expect(first.location).toBe(`/admin/ketten?ok=move-out%40${latest + 1}`);
  const second = await b.post('/admin/ketten', form); // double submit
  expect(second.status).toBe(303);
  expect(second.location).toBe(first.location);
  expect(await stack.db.chainDefinitionVersion.count()).toBe(before + 1);
  const shown = await b.get(`/admin/ketten/move-out/${latest + 1}`);
  expect(shown.status).toBe(200);
  expect(shown.text).toContain('(aktuell');

  const cw = new FormClient(stack.url);
  await cw.login('fallmanagement@kim.example');
  expect((await cw.get('/admin/ketten')).status).toBe(403);
});
