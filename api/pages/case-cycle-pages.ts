// The caseworker's pages of the case-management cycle (issue 13): assessment (/faelle/:id/anamnese),
// help plan with review and chains from a goal (/faelle/:id/hilfeplan…), journal (/faelle/:id/verlauf…)
// and documents (/faelle/:id/dokumente). The services of the JSON API do the work (access, audit);
// every form carries `_key` and writes once (form-once.ts), shows German messages at the fields and
// keeps the input, and writes nothing on an error. Supervisors read; departments and admins see nothing.
import express, { type NextFunction, type Request, type Response } from 'express';
import type { z } from 'zod';
import { audit } from '../../core/audit';
import {
  assessmentInput,
  GOAL_RATINGS,
  JOURNAL_KINDS,
  journalEditInput,
  journalInput,
  LIFE_AREAS,
  planInput,
  reviewInput,
} from '../../core/domain/case-cycle';
import { CHAIN_TYPES } from '../../core/domain/chains';
import { LIFE_AREA_LABELS, ownerLabel, RATING_LABELS } from '../../core/format/case-cycle-labels';
import { berlinLocalToIso } from '../../core/format/dates';
import { chainTitle } from '../../core/format/labels';
import { canChangeCase, ROLES } from '../access';
import { actorOf } from '../auth';
import type { AppDeps } from '../deps';
import { HttpError, notFound } from '../errors';
import {
  addAssessment,
  addJournalEntry,
  addPlan,
  caseForRead,
  editJournalEntry,
  linkGoalChain,
  listAssessments,
  listJournal,
  listPlans,
  readPlan,
  reviewPlan,
} from '../services/case-cycle';
import { addDocument, listDocuments, MAX_DOCUMENT_BYTES } from '../services/case-documents';
import { startChain, stepDefinitionOf, waitForFirstStep } from '../services/chains';
import { listDepartments } from '../services/departments';
import { onceForm } from '../services/form-once';
import { formKey } from '../submission';
import { assessmentFormValues, assessmentPageView, type FormState } from '../views/case-assessment';
import { berlinLocal, cycleNav, problemBox } from '../views/case-cycle-nav';
import { documentsPageView } from '../views/case-documents';
import { goalLabel, journalEditView, journalPageView } from '../views/case-journal';
import { ACTION_ROWS_MAX, GOAL_ROWS_MAX, newPlanFormValues, newPlanView, planPageView } from '../views/case-plan';
import { layout, pageRouter } from './page-route';
import { html, type SafeHtml } from '../html';

const READ = { roles: ROLES.caseFiles, denied: 'Die Fallakte sehen nur Fallmanagement und Leitung.' };
const CHANGE = { roles: ROLES.caseWork, denied: 'Nur das Fallmanagement kann die Fallakte ändern.' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const NOTICES: Record<string, string> = {
  anamnese: 'Anamnese gespeichert.',
  hilfeplan: 'Hilfeplan gespeichert.',
  ueberprueft: 'Überprüfung gespeichert. Offene Ziele gehen in die nächste Fassung über.',
  kette: 'Kette aus dem Ziel gestartet.',
  eintrag: 'Eintrag gespeichert.',
  geaendert: 'Änderung gespeichert; die frühere Fassung bleibt sichtbar.',
  hochgeladen: 'Dokument hochgeladen.',
};

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
const bodyOf = (req: Request): Record<string, string> =>
  Object.fromEntries(Object.entries((req.body ?? {}) as Record<string, unknown>).map(([k, v]) => [k, str(v)]));
const idParam = (req: Request, name: string, what: string) => {
  const v = String(req.params[name]);
  if (!UUID.test(v)) throw notFound(what);
  return v;
};
const noticeOf = (req: Request) => (typeof req.query.ok === 'string' ? NOTICES[req.query.ok] : undefined);
const emptyState = (notice?: string): FormState => ({ values: {}, errors: {}, notice });

/** zod issues → form fields (the first message per field); `fieldOf` maps an issue path to a field name. */
function issuesToFields(error: z.ZodError, fieldOf: (path: string[]) => string, into: Record<string, string> = {}) {
  for (const i of error.issues) into[fieldOf(i.path.map(String))] ??= i.message;
  return into;
}

/** A service's 400 with field details → form fields; anything else → undefined. */
function serviceFieldErrors(err: unknown, fieldOf: (path: string[]) => string) {
  if (!(err instanceof HttpError) || err.status !== 400 || !err.details.length) return undefined;
  return Object.fromEntries(err.details.map((d) => [fieldOf(d.field.split('.')), d.message]));
}

type Upload = { name: string; content: Buffer } | undefined;
const UPLOAD_PATH = /^\/faelle\/([0-9a-f-]{36})\/dokumente$/;

export function caseCyclePages(deps: AppDeps) {
  const pages = pageRouter();
  const actor = (req: Request) => actorOf(req);

  /** the case with the reader's rights (a refused read is audited); canChange: a caseworker's open case */
  const caseOf = async (req: Request, what: string) => {
    const c = await caseForRead(deps.db, req.user!, actor(req), idParam(req, 'id', 'Fall'), what);
    return { c, canChange: canChangeCase(req.user!, c) && c.status !== 'closed' && !c.anonymizedAt };
  };
  const send = (
    req: Request,
    res: Response,
    status: number,
    title: string,
    c: { id: string; reference: string },
    current: string,
    body: SafeHtml,
  ) => res.status(status).send(layout(deps, req, `${title} – Fall ${c.reference}`, html`${cycleNav(c.id, c.reference, current)}${body}`));

  /** On a 400/409/413/415 of the service: its message at `field` (or as a problem without a field). */
  const failure = (err: unknown, field?: string): { status: number; errors: Record<string, string>; problem?: SafeHtml } | undefined => {
    if (!(err instanceof HttpError) || ![400, 409, 413, 415].includes(err.status)) return undefined;
    if (field) return { status: err.status, errors: { [field]: err.message } };
    return { status: err.status, errors: {}, problem: problemBox(err.message) };
  };

  // --- assessment ---------------------------------------------------------------------------
  const assessmentPage = async (req: Request, res: Response, status: number, state?: FormState) => {
    const { c, canChange } = await caseOf(req, 'case.assessment.read');
    const versions = await listAssessments(deps.db, req.user!, actor(req), c.id);
    const s = state ?? { ...emptyState(noticeOf(req)), values: assessmentFormValues(versions[0]) };
    send(
      req,
      res,
      status,
      'Anamnese',
      c,
      'anamnese',
      assessmentPageView({ caseId: c.id, csrf: req.csrfToken, canChange, versions, state: s }),
    );
  };
  pages.get('/faelle/:id/anamnese', READ, (req, res) => assessmentPage(req, res, 200));
  pages.post('/faelle/:id/anamnese', CHANGE, async (req, res) => {
    const id = idParam(req, 'id', 'Fall');
    const b = bodyOf(req);
    const key = formKey(req);
    const errors: Record<string, string> = {};
    const areas: Array<{ area: string; situation: string; need: string; resources?: string }> = [];
    for (const area of LIFE_AREAS) {
      const [situation, need, resources] = [b[`situation_${area}`] ?? '', b[`need_${area}`] ?? '', b[`resources_${area}`] ?? ''];
      if (!situation && !need && !resources) continue;
      const label = LIFE_AREA_LABELS[area];
      if (!situation) errors[`situation_${area}`] = `Situation (${label}): bitte beschreiben`;
      if (!need) errors[`need_${area}`] = `Bedarf (${label}): bitte wählen`;
      areas.push({ area, situation, need, ...(resources ? { resources } : {}) });
    }
    if (!areas.length) errors.situation_housing = 'Bitte mindestens einen Lebensbereich erfassen (Situation und Bedarf).';
    const parsed = assessmentInput.safeParse({ areas });
    if (!parsed.success)
      issuesToFields(
        parsed.error,
        ([, i, f]) => {
          const area = areas[Number(i)]?.area ?? 'housing';
          return f === 'need' ? `need_${area}` : f === 'resources' ? `resources_${area}` : `situation_${area}`;
        },
        errors,
      );
    if (Object.keys(errors).length || !parsed.success) return assessmentPage(req, res, 400, { values: b, errors, key });
    try {
      await onceForm(deps.db, req.user!, key, 'assessment', () => addAssessment(deps, req.user!, actor(req), id, parsed.data));
    } catch (err) {
      const f = failure(err);
      if (f) return assessmentPage(req, res, f.status, { values: b, errors: f.errors, problem: f.problem, key });
      throw err;
    }
    res.redirect(303, `/faelle/${id}/anamnese?ok=anamnese`);
  });

  // --- help plan ----------------------------------------------------------------------------
  const departmentNames = async () => Object.fromEntries((await listDepartments(deps.db)).map((d) => [d.id, d.name]));
  const planPage = async (req: Request, res: Response, status: number, state?: FormState, chainErrors?: Record<string, string>) => {
    const { c, canChange } = await caseOf(req, 'case.plan.read');
    const plans = await listPlans(deps.db, req.user!, actor(req), c.id);
    const body = planPageView({
      caseId: c.id,
      csrf: req.csrfToken,
      canChange,
      plans,
      departments: await departmentNames(),
      review: state ?? emptyState(noticeOf(req)),
      chainErrors,
    });
    send(req, res, status, 'Hilfeplan', c, 'hilfeplan', body);
  };
  pages.get('/faelle/:id/hilfeplan', READ, (req, res) => planPage(req, res, 200));

  const newPlanPage = async (req: Request, res: Response, status: number, state?: FormState) => {
    const { c, canChange } = await caseOf(req, 'case.plan.read');
    if (!canChange) return res.redirect(303, `/faelle/${c.id}/hilfeplan`);
    const plans = await listPlans(deps.db, req.user!, actor(req), c.id);
    const departments = await departmentNames();
    const partners = await deps.db.partner.findMany({ select: { id: true, name: true }, orderBy: { name: 'asc' }, take: 200 });
    const owners: Array<[string, string]> = [
      ['person', ownerLabel('person')],
      ['caseworker', ownerLabel('caseworker')],
      ...Object.entries(departments).map(([id, name]): [string, string] => [`department:${id}`, `Stelle: ${name}`]),
      ...partners.map((p): [string, string] => [`partner:${p.id}`, `Partner: ${p.name}`]),
    ];
    const initial = newPlanFormValues(plans[0]);
    const s = state ?? { values: initial, errors: {} };
    const carried = Object.keys(initial).filter((k) => k.startsWith('fromGoalId_')).length;
    send(
      req,
      res,
      status,
      'Neue Fassung des Hilfeplans',
      c,
      'hilfeplan',
      newPlanView({ caseId: c.id, csrf: req.csrfToken, state: s, owners, carried }),
    );
  };
  pages.get('/faelle/:id/hilfeplan/neu', CHANGE, (req, res) => newPlanPage(req, res, 200));
  pages.post('/faelle/:id/hilfeplan/neu', CHANGE, async (req, res) => {
    const id = idParam(req, 'id', 'Fall');
    const b = bodyOf(req);
    const key = formKey(req);
    const errors: Record<string, string> = {};
    const goals: Array<Record<string, string | undefined>> = [];
    const goalRow: number[] = [];
    for (let i = 0; i < GOAL_ROWS_MAX; i++) {
      const [text, targetDate, area, from] = [b[`goalText_${i}`], b[`goalTarget_${i}`], b[`goalArea_${i}`], b[`fromGoalId_${i}`]];
      if (!text && !targetDate) continue;
      if (!area) errors[`goalArea_${i}`] = `Lebensbereich (Ziel ${i + 1}): bitte wählen`;
      if (!targetDate) errors[`goalTarget_${i}`] = `Zieldatum (Ziel ${i + 1}): bitte angeben`;
      goals.push({ area: area || undefined, text: text ?? '', targetDate: targetDate || undefined, ...(from ? { fromGoalId: from } : {}) });
      goalRow.push(i);
    }
    const actions: Array<Record<string, string | undefined>> = [];
    const actionRow: number[] = [];
    for (let i = 0; i < ACTION_ROWS_MAX; i++) {
      const [text, owner, dueDate] = [b[`actionText_${i}`], b[`actionOwner_${i}`], b[`actionDue_${i}`]];
      if (!text && !dueDate) continue;
      if (!owner) errors[`actionOwner_${i}`] = `Wer (Maßnahme ${i + 1}): bitte wählen`;
      if (!dueDate) errors[`actionDue_${i}`] = `Fällig am (Maßnahme ${i + 1}): bitte angeben`;
      actions.push({ text: text ?? '', owner: owner || undefined, dueDate: dueDate || undefined });
      actionRow.push(i);
    }
    if (!goals.length) errors.goalText_0 = 'Bitte mindestens ein Ziel angeben (Formulierung und Zieldatum).';
    const fieldOf = ([list, i, f]: string[]): string => {
      if (list === 'goals' && i !== undefined) {
        const row = goalRow[Number(i)] ?? 0;
        return f === 'area' ? `goalArea_${row}` : f === 'targetDate' ? `goalTarget_${row}` : `goalText_${row}`;
      }
      if (list === 'actions' && i !== undefined) {
        const row = actionRow[Number(i)] ?? 0;
        return f === 'owner' ? `actionOwner_${row}` : f === 'dueDate' ? `actionDue_${row}` : `actionText_${row}`;
      }
      return list === 'reviewDate' ? 'reviewDate' : list === 'actions' ? 'actionText_0' : 'goalText_0';
    };
    const parsed = planInput.safeParse({ goals, actions, reviewDate: b.reviewDate || undefined });
    if (!parsed.success) issuesToFields(parsed.error, fieldOf, errors);
    if (errors.reviewDate && !b.reviewDate) errors.reviewDate = 'Überprüfung am: bitte ein Datum angeben';
    if (Object.keys(errors).length || !parsed.success) return newPlanPage(req, res, 400, { values: b, errors, key });
    try {
      await onceForm(deps.db, req.user!, key, 'plan', () => addPlan(deps, req.user!, actor(req), id, parsed.data));
    } catch (err) {
      const fieldErrors = serviceFieldErrors(err, fieldOf);
      if (fieldErrors) return newPlanPage(req, res, 400, { values: b, errors: fieldErrors, key });
      const f = failure(err);
      if (f) return newPlanPage(req, res, f.status, { values: b, errors: f.errors, problem: f.problem, key });
      throw err;
    }
    res.redirect(303, `/faelle/${id}/hilfeplan?ok=hilfeplan`);
  });

  pages.post('/faelle/:id/hilfeplan/:planId/ueberpruefung', CHANGE, async (req, res) => {
    const { c } = await caseOf(req, 'case.plan.review');
    const planId = idParam(req, 'planId', 'Hilfeplan');
    const goals = await deps.db.planGoal.findMany({ where: { planId, plan: { caseId: c.id } }, orderBy: { seq: 'asc' } });
    if (!goals.length) throw notFound('Hilfeplan');
    const b = bodyOf(req);
    const key = formKey(req);
    const errors: Record<string, string> = {};
    goals.forEach((g, i) => {
      const r = b[`rating_${g.id}`];
      if (!(GOAL_RATINGS as readonly string[]).includes(r ?? ''))
        errors[`rating_${g.id}`] = `Ziel ${i + 1}: bitte eine Bewertung wählen (${GOAL_RATINGS.map((x) => RATING_LABELS[x]).join(', ')})`;
    });
    const parsed = reviewInput.safeParse({
      ratings: goals.map((g) => ({
        goalId: g.id,
        rating: b[`rating_${g.id}`] || undefined,
        ...(b[`note_${g.id}`] ? { note: b[`note_${g.id}`] } : {}),
      })),
    });
    if (!parsed.success)
      issuesToFields(parsed.error, ([, i, f]) => `${f === 'note' ? 'note' : 'rating'}_${goals[Number(i)]?.id ?? goals[0].id}`, errors);
    if (Object.keys(errors).length || !parsed.success) return planPage(req, res, 400, { values: b, errors, key });
    try {
      await onceForm(deps.db, req.user!, key, 'plan.review', () => reviewPlan(deps, req.user!, actor(req), c.id, planId, parsed.data));
    } catch (err) {
      const f = failure(err);
      if (f) return planPage(req, res, f.status, { values: b, errors: f.errors, problem: f.problem, key });
      throw err;
    }
    res.redirect(303, `/faelle/${c.id}/hilfeplan?ok=ueberprueft`);
  });

  pages.post('/faelle/:id/hilfeplan/:planId/ziele/:goalId/kette', CHANGE, async (req, res) => {
    const { c } = await caseOf(req, 'case.plan.goal.chain');
    const planId = idParam(req, 'planId', 'Hilfeplan');
    const goalId = idParam(req, 'goalId', 'Ziel');
    const { plan } = await readPlan(deps.db, req.user!, actor(req), c.id, planId);
    if (!plan.goals.some((g) => g.id === goalId)) throw notFound('Ziel');
    const type = str(req.body?.type);
    if (!(CHAIN_TYPES as readonly string[]).includes(type))
      return planPage(req, res, 400, undefined, { [goalId]: 'Kette: bitte eine Art der Kette wählen' });
    try {
      const r = await onceForm(deps.db, req.user!, formKey(req), 'goal.chain', async () => {
        const p = await startChain(deps, req.user!, actor(req), c.id, type);
        await linkGoalChain(deps.db, actor(req), c.id, goalId, p.id);
        return p;
      });
      if (r.done) await waitForFirstStep(deps.db, r.value.id);
    } catch (err) {
      if (err instanceof HttpError && [400, 403, 409].includes(err.status))
        return planPage(req, res, err.status, undefined, { [goalId]: err.message });
      throw err;
    }
    res.redirect(303, `/faelle/${c.id}/hilfeplan?ok=kette#ziel-${goalId}`);
  });

  // --- journal ------------------------------------------------------------------------------
  /** The kind, time and text of a journal form → the API input, or the errors at the fields. */
  const journalFromForm = (b: Record<string, string>, withGoal: boolean) => {
    const errors: Record<string, string> = {};
    const at = b.at ? berlinLocalToIso(b.at) : undefined;
    if (!b.at) errors.at = 'Datum und Uhrzeit: bitte angeben';
    else if (!at) errors.at = 'Datum und Uhrzeit: bitte im Format TT.MM.JJJJ, hh:mm angeben';
    if (!(JOURNAL_KINDS as readonly string[]).includes(b.kind ?? '')) errors.kind = 'Art: bitte eine Art wählen';
    const input = {
      kind: b.kind || undefined,
      text: b.text ?? '',
      ...(at ? { at } : {}),
      ...(withGoal && b.goalId ? { goalId: b.goalId } : {}),
    };
    const parsed = (withGoal ? journalInput : journalEditInput).safeParse(input);
    if (!parsed.success) issuesToFields(parsed.error, ([f]) => (f === 'goalId' || f === 'at' || f === 'kind' ? f : 'text'), errors);
    return { errors, data: parsed.success && !Object.keys(errors).length ? parsed.data : undefined };
  };

  const journalPage = async (req: Request, res: Response, status: number, state?: FormState) => {
    const { c, canChange } = await caseOf(req, 'case.journal.read');
    const items = await listJournal(deps.db, req.user!, actor(req), c.id);
    const userIds = [...new Set(items.flatMap((e) => [e.authorId, ...e.history.map((h) => h.editedById)]))];
    const [users, goals] = await Promise.all([
      deps.db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } }),
      deps.db.planGoal.findMany({
        where: { plan: { caseId: c.id } },
        include: { plan: { select: { version: true } } },
        orderBy: [{ plan: { version: 'desc' } }, { seq: 'asc' }],
      }),
    ]);
    const s = state ?? { ...emptyState(noticeOf(req)), values: { at: berlinLocal(new Date()) } };
    const body = journalPageView({
      caseId: c.id,
      csrf: req.csrfToken,
      canChange: canChange || (canChangeCase(req.user!, c) && !c.anonymizedAt),
      items,
      names: Object.fromEntries(users.map((u) => [u.id, u.name])),
      goals: goals.map((g) => ({ id: g.id, label: goalLabel(g, g.plan.version) })),
      state: s,
    });
    send(req, res, status, 'Verlaufsdokumentation', c, 'verlauf', body);
  };
  pages.get('/faelle/:id/verlauf', READ, (req, res) => journalPage(req, res, 200));
  pages.post('/faelle/:id/verlauf', CHANGE, async (req, res) => {
    const id = idParam(req, 'id', 'Fall');
    const b = bodyOf(req);
    const key = formKey(req);
    const { errors, data } = journalFromForm(b, true);
    if (!data) return journalPage(req, res, 400, { values: b, errors, key });
    try {
      await onceForm(deps.db, req.user!, key, 'journal', () =>
        addJournalEntry(deps, req.user!, actor(req), id, data as z.infer<typeof journalInput>),
      );
    } catch (err) {
      const f = failure(err, err instanceof HttpError && err.details[0]?.field === 'goalId' ? 'goalId' : undefined);
      if (f) return journalPage(req, res, f.status, { values: b, errors: f.errors, problem: f.problem, key });
      throw err;
    }
    res.redirect(303, `/faelle/${id}/verlauf?ok=eintrag`);
  });

  const journalEditPage = async (req: Request, res: Response, status: number, state?: FormState) => {
    const { c } = await caseOf(req, 'case.journal.read');
    const entryId = idParam(req, 'entryId', 'Eintrag');
    const e = await deps.db.journalEntry.findFirst({ where: { id: entryId, caseId: c.id } });
    if (!e) throw notFound('Eintrag');
    await audit(deps.db, actor(req), 'case.journal.read', { type: 'JournalEntry', id: e.id, caseId: c.id });
    const s = state ?? { values: { kind: e.kind, at: berlinLocal(e.at), text: e.text }, errors: {} };
    send(
      req,
      res,
      status,
      'Eintrag bearbeiten',
      c,
      'verlauf',
      journalEditView({ caseId: c.id, entryId: e.id, csrf: req.csrfToken, state: s }),
    );
  };
  pages.get('/faelle/:id/verlauf/:entryId', CHANGE, (req, res) => journalEditPage(req, res, 200));
  pages.post('/faelle/:id/verlauf/:entryId', CHANGE, async (req, res) => {
    const id = idParam(req, 'id', 'Fall');
    const entryId = idParam(req, 'entryId', 'Eintrag');
    const b = bodyOf(req);
    const key = formKey(req);
    const { errors, data } = journalFromForm(b, false);
    if (!data) return journalEditPage(req, res, 400, { values: b, errors, key });
    try {
      await onceForm(deps.db, req.user!, key, 'journal.edit', () => editJournalEntry(deps, req.user!, actor(req), id, entryId, data));
    } catch (err) {
      const f = failure(err);
      if (f) return journalEditPage(req, res, f.status, { values: b, errors: f.errors, problem: f.problem, key });
      throw err;
    }
    res.redirect(303, `/faelle/${id}/verlauf?ok=geaendert#e-${entryId}`);
  });

  // --- documents ----------------------------------------------------------------------------
  /** a chain step the upload is for (?kette=&schritt=, or the form's processId/stepKey): only a step of this case's chain */
  const stepOfCase = async (caseId: string, processId?: string, stepKey?: string) => {
    if (!processId || !stepKey || !UUID.test(processId) || !/^[\w-]{1,64}$/.test(stepKey)) return undefined;
    const p = await deps.db.process.findFirst({ where: { id: processId, caseId }, select: { id: true, type: true } });
    const step = p ? await stepDefinitionOf(deps.db, p.id, stepKey) : undefined;
    return p && step ? { processId: p.id, stepKey, title: step.title, chain: chainTitle(p.type) } : undefined;
  };
  const documentsPage = async (req: Request, res: Response, status: number, state?: FormState) => {
    const { c } = await caseOf(req, 'case.document.read');
    const q = (k: string) => (typeof req.query[k] === 'string' ? (req.query[k] as string) : undefined);
    const forStep = await stepOfCase(c.id, state?.values.processId ?? q('kette'), state?.values.stepKey ?? q('schritt'));
    const items = await listDocuments(deps.db, req.user!, actor(req), c.id);
    const plan = await deps.db.plan.findFirst({
      where: { caseId: c.id },
      orderBy: { version: 'desc' },
      select: { id: true, version: true },
    });
    const body = documentsPageView({
      caseId: c.id,
      csrf: req.csrfToken,
      canChange: canChangeCase(req.user!, c) && !c.anonymizedAt,
      items,
      plan: plan ?? undefined,
      forStep,
      state: state ?? emptyState(noticeOf(req)),
    });
    send(req, res, status, 'Dokumente', c, 'dokumente', body);
  };
  pages.get('/faelle/:id/dokumente', READ, (req, res) => documentsPage(req, res, 200));
  pages.post('/faelle/:id/dokumente', CHANGE, async (req, res) => {
    const id = idParam(req, 'id', 'Fall');
    const key = formKey(req);
    const upload = res.locals.upload as Upload;
    const b = bodyOf(req);
    const values = { processId: b.processId ?? '', stepKey: b.stepKey ?? '' };
    if (!upload || (!upload.content.length && !upload.name))
      return documentsPage(req, res, 400, { values, errors: { file: 'Datei: bitte eine Datei auswählen' }, key });
    const link = values.processId ? { processId: values.processId, stepKey: values.stepKey } : {};
    try {
      await onceForm(deps.db, req.user!, key, 'document', () => addDocument(deps.db, req.user!, actor(req), id, upload, link));
    } catch (err) {
      const f = failure(err, 'file');
      if (f) return documentsPage(req, res, f.status, { values, errors: f.errors, key });
      throw err;
    }
    res.redirect(303, `/faelle/${id}/dokumente?ok=hochgeladen${values.processId ? `&kette=${values.processId}` : ''}`);
  });

  /**
   * The upload form's multipart body, read before the CSRF check (which needs its _csrf field) and only
   * for a logged-in caseworker: up to 10 MB plus the form. A larger file: the page again with the
   * message at the field (413), nothing written — the body was read off first, the browser gets the page.
   */
  const raw = express.raw({ type: 'multipart/form-data', limit: MAX_DOCUMENT_BYTES + 64 * 1024 });
  const uploadParser = (req: Request, res: Response, next: NextFunction) => {
    const m = req.method === 'POST' ? UPLOAD_PATH.exec(req.path) : null;
    if (!m || req.user?.role !== 'caseworker' || !req.is('multipart/form-data')) return next();
    raw(req, res, (err?: unknown) => {
      void (async () => {
        if ((err as { type?: string })?.type === 'entity.too.large') {
          req.params = { id: m[1] };
          return documentsPage(req, res, 413, {
            values: {},
            errors: { file: 'Datei: größer als 10 MB – bitte eine kleinere Datei wählen' },
          });
        }
        if (err) return next(err);
        let form: FormData | undefined;
        try {
          form = await new Response(new Uint8Array(req.body as Buffer), {
            headers: { 'content-type': req.get('content-type')! },
          }).formData();
        } catch {
          form = undefined;
        }
        const fields: Record<string, string> = {};
        let upload: Upload;
        for (const [k, v] of form ?? []) {
          if (typeof v === 'string') fields[k] = v;
          else if (k === 'file') upload = { name: v.name, content: Buffer.from(await v.arrayBuffer()) };
        }
        req.body = fields;
        res.locals.upload = upload;
        next();
      })().catch(next);
    });
  };

  return { router: pages.router, uploadParser };
}
