// The process page of a chain (/prozesse/:id): header, diagram, the current step with who holds it,
// the form of a caseworker step generated from the definition's field specs, retry/skip, the chain
// actions (hold, resume, cancel, reassign) and the full history. Services decide; their 400/403/409
// come back as the page with the message, never a 500.
import type { Request, Response } from 'express';
import { cancelBody } from '../../core/domain/handoff';
import { stepDataSchema, type StepDefinition } from '../../core/domain/chains';
import { ROLES } from '../access';
import type { AppDeps } from '../deps';
import { actorOf } from '../auth';
import { HttpError } from '../errors';
import { formKey, updateIdOf } from '../submission';
import { handoffMessageBody } from '../routes/handoff-context-api';
import { addHandoffMessage } from '../services/handoff-context';
import { chainAction, completeStep, processPage, stepDefinitionOf } from '../services/chains';
import { dataId } from '../views/process-current';
import type { FormState } from '../views/process-model';
import { processPageView, processTitle } from '../views/process-page';
import { readinessEvidenceSection } from '../views/process-evidence';
import { participationEvidence } from '../services/group-offers';
import type { Db } from '../../core/db/client';
import type { FieldErrors } from './forms';
import { layout, LOGIN, pageRouter } from './page-route';

/** Route segment → chain action of services/chains.ts. */
const ACTIONS = { anhalten: 'hold', fortsetzen: 'resume', abbrechen: 'cancel', uebertragen: 'reassign' } as const;
type ChainActionName = (typeof ACTIONS)[keyof typeof ACTIONS];

const NOTICES: Record<string, string> = {
  schritt: 'Ergebnis gespeichert.',
  skip: 'Schritt übersprungen.',
  retry: 'Schritt erneut übergeben.',
  hold: 'Kette angehalten.',
  resume: 'Kette fortgesetzt.',
  'hold-step': 'Schritt angehalten; die anderen Zweige laufen weiter.',
  'resume-step': 'Schritt fortgesetzt.',
  cancel: 'Kette abgebrochen. Offene Übergaben wurden abgebrochen und die Stellen informiert.',
  reassign: 'Kette übertragen.',
  nachricht: 'Nachricht an die Stelle gespeichert.',
};

const strings = (body: unknown) =>
  Object.fromEntries(
    Object.entries((body ?? {}) as Record<string, unknown>).filter(([k, v]) => typeof v === 'string' && !k.startsWith('_')),
  ) as Record<string, string>;

/** A posted step form → outcome and data (typed by the field specs), or per-field German errors. */
export function parseStepForm(
  step: StepDefinition,
  values: Record<string, string>,
): { ok: true; outcome: string; data: Record<string, unknown> } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const outcome = (values.outcome ?? '').trim();
  if (!outcome) errors.outcome = 'Ergebnis: bitte auswählen';
  else if (!(outcome in step.outcomes)) errors.outcome = `Ergebnis: „${outcome}“ ist für diesen Schritt nicht erlaubt`;
  const data: Record<string, unknown> = {};
  for (const f of step.fields) {
    const raw = (values[`data.${f.key}`] ?? '').trim();
    if (!raw) {
      if (f.required) errors[dataId(f.key)] = `${f.label}: bitte angeben`;
      continue;
    }
    if (f.type === 'number') {
      const n = Number(raw.replace(',', '.'));
      if (!/^-?\d+([.,]\d+)?$/.test(raw) || !Number.isFinite(n)) {
        errors[dataId(f.key)] = `${f.label}: Zahl erwartet`;
        continue;
      }
      data[f.key] = n;
    } else data[f.key] = raw;
  }
  const r = stepDataSchema(step).safeParse(data);
  if (!r.success) for (const i of r.error.issues) errors[dataId(String(i.path[0] ?? 'outcome'))] ??= i.message;
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, outcome, data: r.success ? (r.data as Record<string, unknown>) : data };
}

/** The move-out chain at its readiness step: the person's completed group participations as evidence (issue 15). */
async function readinessEvidence(db: Db, p: { type: string; currentStep: string | null; caseId: string }) {
  if (p.type !== 'move-out' || p.currentStep !== 'readiness') return undefined;
  const c = await db.case.findUnique({ where: { id: p.caseId }, select: { personId: true } });
  return c ? readinessEvidenceSection(await participationEvidence(db, c.personId)) : undefined;
}

export function processPages(deps: AppDeps) {
  const pages = pageRouter();
  const ui = { url: deps.temporalUiUrl, namespace: deps.temporalNamespace ?? 'default' };

  async function render(req: Request, res: Response, id: string, status = 200, state?: FormState, notice?: string) {
    const data = await processPage(deps, req.user!, actorOf(req), id);
    const evidence = await readinessEvidence(deps.db, data.process);
    res
      .status(status)
      .send(
        layout(deps, req, processTitle(data), processPageView(data, { user: req.user!, csrf: req.csrfToken, ui, evidence }, state, notice)),
      );
  }

  const checkId = (raw: string) => raw.slice(0, 64);

  pages.get('/prozesse/:id', LOGIN, async (req: Request, res: Response) => {
    const ok = typeof req.query.ok === 'string' ? NOTICES[req.query.ok] : undefined;
    await render(req, res, checkId(String(req.params.id)), 200, undefined, ok);
  });

  /** A service's 400/403/409 → the page again with the message (and per-field messages). */
  async function failed(
    req: Request,
    res: Response,
    id: string,
    err: unknown,
    form: string,
    values: Record<string, string>,
    fieldOf: (f: string) => string,
  ) {
    if (!(err instanceof HttpError) || ![400, 403, 409].includes(err.status)) throw err;
    const errors: FieldErrors = {};
    const prefix: Record<string, string> = { outcome: 'Ergebnis', reason: 'Begründung', caseworkerId: 'Fallmanager/in' };
    for (const d of err.details) {
      const label = prefix[d.field];
      errors[fieldOf(d.field)] ??= label && !d.message.startsWith(label) ? `${label}: ${d.message}` : d.message;
    }
    const message = Object.keys(errors).length ? undefined : err.message;
    return render(req, res, id, err.status, { form, values, errors, message });
  }

  pages.post(
    '/prozesse/:id/schritte/:key',
    { roles: ROLES.caseWork, denied: 'Nur das Fallmanagement erfasst Ergebnisse.' },
    async (req: Request, res: Response) => {
      const id = checkId(String(req.params.id));
      const key = String(req.params.key).slice(0, 64);
      const values = strings(req.body);
      const outcome = (values.outcome ?? '').trim();
      const toField = (f: string) => (f.startsWith('data.') ? dataId(f.slice(5)) : f === 'outcome' ? 'outcome' : f);
      try {
        if (outcome === 'retry' || outcome === 'skip') {
          await completeStep(deps, req.user!, id, key, { outcome }, updateIdOf(req, `step:${id}:${key}`));
          return res.redirect(303, `/prozesse/${id}?ok=${outcome}`);
        }
        const step = await stepDefinitionOf(deps.db, id, key);
        if (step) {
          const parsed = parseStepForm(step, values);
          if (!parsed.ok) return render(req, res, id, 400, { form: `step:${key}`, values, errors: parsed.errors });
          await completeStep(
            deps,
            req.user!,
            id,
            key,
            { outcome: parsed.outcome, data: parsed.data },
            updateIdOf(req, `step:${id}:${key}`),
          );
        } else {
          await completeStep(deps, req.user!, id, key, { outcome }); // unknown step: the service says 404/409
        }
      } catch (err) {
        return failed(req, res, id, err, `step:${key}`, values, toField);
      }
      res.redirect(303, `/prozesse/${id}?ok=schritt`);
    },
  );

  // the caseworker's message to the department for a handoff step (issue 14: handoffs with context)
  pages.post(
    '/prozesse/:id/nachricht',
    { roles: ROLES.caseWork, denied: 'Nur das Fallmanagement schreibt den Stellen.' },
    async (req: Request, res: Response) => {
      const id = checkId(String(req.params.id));
      const values: Record<string, string> = { ...strings(req.body), ...(formKey(req) ? { _key: formKey(req)! } : {}) };
      const toField = (f: string) => (f === 'step' || f === 'text' ? `message-${f}` : f);
      const r = handoffMessageBody.safeParse({ step: values.step || undefined, text: values.text || undefined });
      if (!r.success) {
        const errors: FieldErrors = {};
        for (const i of r.error.issues) errors[toField(String(i.path[0]))] ??= i.message;
        return render(req, res, id, 400, { form: 'message', values, errors });
      }
      try {
        await addHandoffMessage(deps.db, req.user!, actorOf(req), id, r.data, formKey(req));
      } catch (err) {
        return failed(req, res, id, err, 'message', values, toField);
      }
      res.redirect(303, `/prozesse/${id}?ok=nachricht`);
    },
  );

  for (const [segment, action] of Object.entries(ACTIONS) as Array<[string, ChainActionName]>) {
    const access =
      action === 'cancel'
        ? { roles: ROLES.caseWork, denied: 'Nur das Fallmanagement kann eine Kette abbrechen.' }
        : { roles: ROLES.chainSteering, denied: 'Nur Fallmanagement und Leitung steuern Ketten.' };
    pages.post(`/prozesse/:id/${segment}`, access, async (req: Request, res: Response) => {
      const id = checkId(String(req.params.id));
      const values = strings(req.body);
      const errors: FieldErrors = {};
      const body: { reason?: string; caseworkerId?: string; step?: string } = {};
      const reason = (values.reason ?? '').trim();
      // hold / resume of one branch (issue 14): the form names its step; the form's ids carry it
      const step = action === 'hold' || action === 'resume' ? (values.step ?? '').trim().slice(0, 64) : '';
      if (step) body.step = step;
      const form = step ? `${action}:${step}` : action;
      const reasonId = step ? `${action}-${step.replace(/[^\w-]/g, '')}-reason` : `${action}-reason`;
      if (action === 'hold' || action === 'cancel' || (action === 'reassign' && reason)) {
        const r = cancelBody.safeParse({ reason: reason || undefined });
        if (!r.success) errors[reasonId] = r.error.issues[0].message;
        else body.reason = r.data.reason;
      }
      if (action === 'reassign') {
        if (!values.caseworkerId) errors['reassign-caseworkerId'] = 'Fallmanager/in: bitte auswählen';
        else body.caseworkerId = values.caseworkerId;
      }
      const toField = (f: string) => (f === 'caseworkerId' ? 'reassign-caseworkerId' : f === 'reason' ? reasonId : f);
      try {
        if (Object.keys(errors).length) return render(req, res, id, 400, { form, values, errors });
        await chainAction(deps, req.user!, id, action, body, updateIdOf(req, `${action}:${id}${step ? `:${step}` : ''}`));
      } catch (err) {
        return failed(req, res, id, err, form, values, toField);
      }
      res.redirect(303, `/prozesse/${id}?ok=${action}${step ? '-step' : ''}`);
    });
  }

  return pages.router;
}
