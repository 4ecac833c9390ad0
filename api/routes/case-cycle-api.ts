// JSON API of the case-management cycle (API.md "Case file"): assessments, help plans and their
// review and PDF, chains started from a goal, journal, documents. Registered from apiRouter (api.ts).
import express, { type Router } from 'express';
import { z } from 'zod';
import { CHAIN_TYPES } from '../../core/domain/chains';
import { assessmentInput, journalEditInput, journalInput, LIFE_AREAS, planInput, reviewInput } from '../../core/domain/case-cycle';
import { actorOf, requireRole } from '../auth';
import type { AppDeps } from '../deps';
import { badRequest, notFound } from '../errors';
import { once } from '../idempotency';
import type { JsonApi } from '../json-route';
import {
  addAssessment,
  addJournalEntry,
  addPlan,
  editJournalEntry,
  goalOfCase,
  linkGoalChain,
  listAssessments,
  listJournal,
  listPlans,
  readPlan,
  reviewPlan,
} from '../services/case-cycle';
import { addDocument, contentDisposition, listDocuments, MAX_DOCUMENT_BYTES, readDocument, tooLarge } from '../services/case-documents';
import { startChain } from '../services/chains';
import { renderPlanPdf } from '../services/plan-pdf';

const uuidOr404 = (id: string, what: string) => {
  if (!z.uuid().safeParse(id).success) throw notFound(what);
  return id;
};

const created = z.object({ id: z.string(), version: z.number() });
const assessmentItem = z.object({
  id: z.string(),
  version: z.number(),
  createdAt: z.string(),
  createdById: z.string(),
  areas: z.array(z.object({ area: z.enum(LIFE_AREAS), situation: z.string(), need: z.string(), resources: z.string().optional() })),
});
const planView = z.object({
  id: z.string(),
  version: z.number(),
  reviewDate: z.string(),
  reviewedAt: z.string().nullable(),
  createdAt: z.string(),
  goals: z.array(
    z.object({
      id: z.string(),
      area: z.string(),
      text: z.string(),
      targetDate: z.string(),
      fromGoalId: z.string().nullable(),
      rating: z.string().nullable(),
      ratingNote: z.string().nullable(),
      chains: z.array(z.object({ id: z.string(), type: z.string(), status: z.string() })),
    }),
  ),
  actions: z.array(z.object({ id: z.string(), text: z.string(), owner: z.string(), dueDate: z.string() })),
});
const journalItem = z.object({
  id: z.string(),
  kind: z.string(),
  text: z.string(),
  at: z.string(),
  authorId: z.string(),
  goalId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  history: z.array(z.object({ kind: z.string(), text: z.string(), at: z.string(), editedById: z.string(), editedAt: z.string() })),
});
const documentItem = z.object({
  id: z.string(),
  fileName: z.string(),
  mediaType: z.string(),
  size: z.number(),
  processId: z.string().nullable(),
  stepKey: z.string().nullable(),
  createdAt: z.string(),
});

const CASE_404 = { 404: 'Fall unbekannt' };
const CHANGE_409 = 'Fall abgeschlossen oder anonymisiert';

/** multipart/form-data of the document upload: read (up to 10 MB + form overhead) only for caseworkers. */
export function registerDocumentUploadParser(router: Router) {
  const raw = express.raw({ type: 'multipart/form-data', limit: MAX_DOCUMENT_BYTES + 64 * 1024 });
  router.post('/api/cases/:id/documents', requireRole('caseworker'), (req, res, next) =>
    raw(req, res, (err?: unknown) => next((err as { type?: string })?.type === 'entity.too.large' ? tooLarge() : err)),
  );
}

async function parseUpload(req: express.Request) {
  if (!Buffer.isBuffer(req.body) || !req.is('multipart/form-data'))
    throw badRequest('Bitte die Datei als multipart/form-data im Feld „file“ senden.', [{ field: 'file', message: 'Datei fehlt' }]);
  let form: FormData;
  try {
    // the multipart parser of Node's fetch implementation (undici)
    form = await new Response(new Uint8Array(req.body), { headers: { 'content-type': req.get('content-type')! } }).formData();
  } catch {
    throw badRequest('Das Formular ist nicht lesbar (multipart/form-data).', [{ field: 'file', message: 'Datei fehlt' }]);
  }
  const file = form.get('file');
  if (!file || typeof file === 'string') throw badRequest('Datei fehlt.', [{ field: 'file', message: 'Datei fehlt' }]);
  const field = (k: string) => {
    const v = form.get(k);
    return typeof v === 'string' && v.trim() ? v.trim().slice(0, 100) : undefined;
  };
  const processId = field('processId');
  if (processId && !z.uuid().safeParse(processId).success)
    throw badRequest('Kette ungültig.', [{ field: 'processId', message: 'Kette: ungültig' }]);
  return { name: file.name, content: Buffer.from(await file.arrayBuffer()), processId, stepKey: field('stepKey') };
}

export function registerCaseCycleRoutes(api: JsonApi, deps: AppDeps) {
  // --- assessment ---------------------------------------------------------------------------
  api.route({
    method: 'post',
    path: '/api/cases/:id/assessments',
    tag: 'Fallakte',
    roles: ['caseworker'],
    status: 201,
    summary: 'Erstgespräch / Anamnese nach Lebensbereichen erfassen (neue Fassung; frühere bleiben erhalten)',
    errors: { ...CASE_404, 409: CHANGE_409 },
    body: assessmentInput,
    response: created,
    idempotent: true,
    handler: async ({ req, res, body, params }) =>
      once(deps.db, req, res, () => addAssessment(deps, req.user!, actorOf(req), uuidOr404(params.id, 'Fall'), body)),
  });
  api.route({
    method: 'get',
    path: '/api/cases/:id/assessments',
    tag: 'Fallakte',
    roles: ['caseworker', 'supervisor'],
    summary: 'Alle Fassungen der Anamnese, neueste zuerst',
    errors: CASE_404,
    response: z.object({ items: z.array(assessmentItem) }),
    handler: async ({ req, params }) => ({ items: await listAssessments(deps.db, req.user!, actorOf(req), uuidOr404(params.id, 'Fall')) }),
  });

  // --- help plan ----------------------------------------------------------------------------
  api.route({
    method: 'post',
    path: '/api/cases/:id/plans',
    tag: 'Fallakte',
    roles: ['caseworker'],
    status: 201,
    summary: 'Hilfeplan anlegen (neue Fassung; der Fall-Workflow erinnert vor Überprüfung und Fälligkeiten)',
    errors: { ...CASE_404, 409: CHANGE_409 },
    body: planInput,
    response: created,
    idempotent: true,
    handler: async ({ req, res, body, params }) =>
      once(deps.db, req, res, async () => {
        const p = await addPlan(deps, req.user!, actorOf(req), uuidOr404(params.id, 'Fall'), body);
        return { id: p.id, version: p.version };
      }),
  });
  api.route({
    method: 'get',
    path: '/api/cases/:id/plans',
    tag: 'Fallakte',
    roles: ['caseworker', 'supervisor'],
    summary: 'Alle Fassungen des Hilfeplans, neueste zuerst, mit den aus Zielen gestarteten Ketten',
    errors: CASE_404,
    response: z.object({ items: z.array(planView) }),
    handler: async ({ req, params }) => ({ items: await listPlans(deps.db, req.user!, actorOf(req), uuidOr404(params.id, 'Fall')) }),
  });
  api.route({
    method: 'get',
    path: '/api/cases/:id/plans/:planId.pdf',
    tag: 'Fallakte',
    roles: ['caseworker', 'supervisor'],
    summary: 'Hilfeplan als PDF zur Unterschrift (deutsch)',
    errors: { 404: 'Fall oder Hilfeplan unbekannt' },
    contentType: 'application/pdf',
    response: z.string().describe('application/pdf'),
    handler: async ({ req, res, params }) => {
      const caseId = uuidOr404(params.id, 'Fall');
      const { case: c, view } = await readPlan(
        deps.db,
        req.user!,
        actorOf(req),
        caseId,
        uuidOr404(params.planId, 'Hilfeplan'),
        'case.plan.pdf',
      );
      const [person, caseworker, departments] = await Promise.all([
        deps.db.person.findUniqueOrThrow({ where: { id: c.personId } }),
        deps.db.user.findUniqueOrThrow({ where: { id: c.caseworkerId }, select: { name: true } }),
        deps.db.department.findMany({ select: { id: true, name: true } }),
      ]);
      const pdf = await renderPlanPdf(
        {
          reference: c.reference,
          person,
          caseworker: caseworker.name,
          departments: Object.fromEntries(departments.map((d) => [d.id, d.name])),
          plan: view,
        },
        { compress: req.query.compress !== 'false' },
      );
      res.status(200);
      res.setHeader('Content-Type', 'application/pdf');
      res.setHeader('Content-Disposition', `attachment; filename="hilfeplan-${c.reference}-v${view.version}.pdf"`);
      res.setHeader('Cache-Control', 'no-store');
      res.end(pdf);
    },
  });
  api.route({
    method: 'get',
    path: '/api/cases/:id/plans/:planId',
    tag: 'Fallakte',
    roles: ['caseworker', 'supervisor'],
    summary: 'Eine Fassung des Hilfeplans',
    errors: { 404: 'Fall oder Hilfeplan unbekannt' },
    response: planView,
    handler: async ({ req, params }) =>
      (await readPlan(deps.db, req.user!, actorOf(req), uuidOr404(params.id, 'Fall'), uuidOr404(params.planId, 'Hilfeplan'))).view,
  });
  api.route({
    method: 'post',
    path: '/api/cases/:id/plans/:planId/review',
    tag: 'Fallakte',
    roles: ['caseworker'],
    summary: 'Hilfeplan überprüfen: jedes Ziel bewerten; openGoals ist der Ausgangspunkt der nächsten Fassung',
    errors: { 404: 'Fall oder Hilfeplan unbekannt', 409: 'Bereits überprüft, ersetzt, Fall abgeschlossen oder anonymisiert' },
    body: reviewInput,
    response: planView.extend({
      openGoals: z.array(z.object({ fromGoalId: z.string(), area: z.string(), text: z.string(), targetDate: z.string() })),
    }),
    idempotent: true,
    handler: async ({ req, res, body, params }) =>
      once(deps.db, req, res, () =>
        reviewPlan(deps, req.user!, actorOf(req), uuidOr404(params.id, 'Fall'), uuidOr404(params.planId, 'Hilfeplan'), body),
      ),
  });
  api.route({
    method: 'post',
    path: '/api/cases/:id/plans/:planId/goals/:goalId/chains',
    tag: 'Fallakte',
    roles: ['caseworker'],
    status: 201,
    summary: 'Kette aus einem Ziel starten (z. B. Wohnziel → Auszug); sie erscheint am Ziel',
    errors: {
      404: 'Fall, Hilfeplan oder Ziel unbekannt',
      409: 'Eine Kette dieser Art läuft schon (error.id), Fall abgeschlossen oder anonymisiert',
    },
    body: z.strictObject({ type: z.enum(CHAIN_TYPES, { error: `Typ muss ${CHAIN_TYPES.join(' oder ')} sein` }) }),
    response: z.object({ id: z.string() }),
    idempotent: true,
    handler: async ({ req, res, body, params }) =>
      once(deps.db, req, res, async () => {
        const caseId = uuidOr404(params.id, 'Fall');
        const { plan } = await readPlan(deps.db, req.user!, actorOf(req), caseId, uuidOr404(params.planId, 'Hilfeplan'));
        const goalId = uuidOr404(params.goalId, 'Ziel');
        if (!plan.goals.some((g) => g.id === goalId)) throw notFound('Ziel');
        await goalOfCase(deps.db, caseId, goalId);
        const p = await startChain(deps, req.user!, actorOf(req), caseId, body.type);
        await linkGoalChain(deps.db, actorOf(req), caseId, goalId, p.id);
        return { id: p.id };
      }),
  });

  // --- journal ------------------------------------------------------------------------------
  api.route({
    method: 'post',
    path: '/api/cases/:id/journal',
    tag: 'Fallakte',
    roles: ['caseworker'],
    status: 201,
    summary: 'Eintrag in die Verlaufsdokumentation',
    errors: { ...CASE_404, 409: 'Fall anonymisiert' },
    body: journalInput,
    response: z.object({ id: z.string() }),
    idempotent: true,
    handler: async ({ req, res, body, params }) =>
      once(deps.db, req, res, async () => ({
        id: (await addJournalEntry(deps, req.user!, actorOf(req), uuidOr404(params.id, 'Fall'), body)).id,
      })),
  });
  api.route({
    method: 'put',
    path: '/api/cases/:id/journal/:entryId',
    tag: 'Fallakte',
    roles: ['caseworker'],
    summary: 'Eintrag ändern: der frühere Text bleibt in history erhalten',
    errors: { 404: 'Fall oder Eintrag unbekannt', 409: 'Fall anonymisiert' },
    body: journalEditInput,
    response: z.object({ id: z.string() }),
    idempotent: true,
    handler: async ({ req, res, body, params }) =>
      once(deps.db, req, res, async () => ({
        id: (
          await editJournalEntry(deps, req.user!, actorOf(req), uuidOr404(params.id, 'Fall'), uuidOr404(params.entryId, 'Eintrag'), body)
        ).id,
      })),
  });
  api.route({
    method: 'get',
    path: '/api/cases/:id/journal',
    tag: 'Fallakte',
    roles: ['caseworker', 'supervisor'],
    summary: 'Verlaufsdokumentation, neueste zuerst, mit früheren Fassungen geänderter Einträge',
    errors: CASE_404,
    response: z.object({ items: z.array(journalItem) }),
    handler: async ({ req, params }) => ({ items: await listJournal(deps.db, req.user!, actorOf(req), uuidOr404(params.id, 'Fall')) }),
  });

  // --- documents ----------------------------------------------------------------------------
  api.route({
    method: 'post',
    path: '/api/cases/:id/documents',
    tag: 'Fallakte',
    roles: ['caseworker'],
    status: 201,
    summary:
      'Dokument hochladen (multipart/form-data, Feld file; optional processId + stepKey für einen Schritt, der ein Dokument verlangt): PDF, JPEG oder PNG nach Inhalt, höchstens 10 MB',
    errors: {
      ...CASE_404,
      409: 'Fall anonymisiert',
      413: 'Datei größer als 10 MB',
      415: 'Kein PDF, JPEG oder PNG (nach Inhalt)',
    },
    response: z.object({ id: z.string() }),
    idempotent: true,
    handler: async ({ req, res, params }) =>
      once(deps.db, req, res, async () => {
        const caseId = uuidOr404(params.id, 'Fall');
        const up = await parseUpload(req);
        const d = await addDocument(deps.db, req.user!, actorOf(req), caseId, up, { processId: up.processId, stepKey: up.stepKey });
        return { id: d.id };
      }),
  });
  api.route({
    method: 'get',
    path: '/api/cases/:id/documents',
    tag: 'Fallakte',
    roles: ['caseworker', 'supervisor'],
    summary: 'Dokumente des Falls',
    errors: CASE_404,
    response: z.object({ items: z.array(documentItem) }),
    handler: async ({ req, params }) => ({
      items: (await listDocuments(deps.db, req.user!, actorOf(req), uuidOr404(params.id, 'Fall'))).map((d) => ({
        id: d.id,
        fileName: d.fileName,
        mediaType: d.mediaType,
        size: d.size,
        processId: d.processId,
        stepKey: d.stepKey,
        createdAt: d.createdAt.toISOString(),
      })),
    }),
  });
  api.route({
    method: 'get',
    path: '/api/cases/:id/documents/:docId',
    tag: 'Fallakte',
    roles: ['caseworker', 'supervisor'],
    summary: 'Dokument herunterladen (Anhang, kein MIME-Sniffing); jeder Abruf wird protokolliert',
    errors: { 404: 'Fall oder Dokument unbekannt' },
    response: z.string().describe('der Inhalt (application/pdf, image/jpeg oder image/png)'),
    handler: async ({ req, res, params }) => {
      const { document: d, content } = await readDocument(
        deps.db,
        req.user!,
        actorOf(req),
        uuidOr404(params.id, 'Fall'),
        uuidOr404(params.docId, 'Dokument'),
      );
      res.status(200);
      res.setHeader('Content-Type', d.mediaType);
      res.setHeader('Content-Disposition', contentDisposition(d.fileName));
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Cache-Control', 'no-store');
      res.end(content);
    },
  });
}
