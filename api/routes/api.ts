// The JSON API of API.md: session, persons, cases, dev inbox.
import { Router } from 'express';
import { z } from 'zod';
import {
  caseInput,
  caseStatusInput,
  CASE_STATUSES,
  CASE_TOPICS,
  CLOSURE_CODES,
  consentInput,
  followUpInput,
  personInput,
  sessionInput,
  type ClosureCode,
} from '../../core/domain/records';
import { caseListFilter } from '../access';
import { actorOf, type Auth } from '../auth';
import { notFound } from '../errors';
import { JsonApi } from '../json-route';
import type { AppDeps } from '../deps';
import { registerChainDefinitionRoutes } from './chain-definitions-api';
import { registerCaseCycleRoutes, registerDocumentUploadParser } from './case-cycle-api';
import { registerAnalyticsRoutes } from './analytics-api';
import { registerReportRoutes } from './reports-api';
import { registerReportDefinitionRoutes } from './report-definitions-api';
import { registerChainRoutes } from './chains-api';
import { registerPersonFileRoutes } from './person-file-api';
import { registerInventoryRoutes } from './inventory-api';
import { registerEducationRoutes } from './education-api';
import { registerPrivacyRoutes } from './privacy-api';
import { registerStatusLinkRoutes } from './status-links-api';
import { registerShelterRoutes } from './shelters-api';
import { registerTaskRoutes } from './tasks-api';
import { registerHandoffContextRoutes } from './handoff-context-api';
import { caseChains, createCase, createPerson, getCase, listCases, setFollowUp, setStatus, statusSummary } from '../services/cases';
import { addConsent, withdrawConsent } from '../services/consents';
import { idempotencyKeyHeader } from '../submission';
import { visibleMails } from '../pages/dev-pages';

const idResponse = z.object({ id: z.string() });

const caseSummary = z.object({
  id: z.string(),
  reference: z.string(),
  topic: z.enum(CASE_TOPICS),
  status: z.enum(CASE_STATUSES),
  personId: z.string(),
  caseworkerId: z.string(),
  createdAt: z.string(),
});

export function apiRouter(deps: AppDeps, auth: Auth) {
  const router = Router();
  registerDocumentUploadParser(router); // before the routes: reads the multipart body of the upload
  const api = new JsonApi(router);

  api.route({
    method: 'post',
    path: '/api/session',
    tag: 'Auth',
    roles: 'public',
    summary: 'Anmelden: liefert ein API-Token',
    body: sessionInput,
    response: z.object({ token: z.string(), expiresAt: z.string() }),
    errors: {
      401: 'E-Mail oder Passwort falsch (auch: Konto inaktiv)',
      429: 'Zu viele fehlgeschlagene Anmeldungen von dieser Adresse oder für dieses Konto von dieser Adresse',
    },
    handler: async ({ req, body }) => {
      const user = await auth.login(body.email, body.password, req);
      const s = await auth.createSession(user.id, 'api', req);
      return { token: s.token, expiresAt: s.expiresAt.toISOString() };
    },
  });

  api.route({
    method: 'delete',
    path: '/api/session',
    tag: 'Auth',
    summary: 'Token widerrufen',
    response: z.object({ ok: z.boolean() }),
    handler: async ({ req }) => {
      await auth.revoke(req.sessionId!);
      return { ok: true };
    },
  });

  api.route({
    method: 'post',
    path: '/api/persons',
    tag: 'Akten',
    roles: ['caseworker'],
    status: 201,
    summary: 'Person anlegen (Idempotency-Key-Header verhindert Doppelanlage)',
    body: personInput,
    response: idResponse,
    idempotent: true,
    handler: async ({ req, res, body }) => {
      const r = await createPerson(deps, req.user!, actorOf(req), body, idempotencyKeyHeader(req));
      if (!r.created) res.locals.status = 200; // the same request again: the first result
      return { id: r.id };
    },
  });

  registerPersonFileRoutes(api, deps);
  registerShelterRoutes(api, deps);

  api.route({
    method: 'post',
    path: '/api/cases',
    tag: 'Akten',
    roles: ['caseworker'],
    status: 201,
    summary: 'Fall anlegen und seinen Prozess starten',
    body: caseInput,
    response: z.object({ id: z.string(), reference: z.string() }),
    idempotent: true,
    errors: { 404: 'Person unbekannt oder nicht im eigenen Zuständigkeitsbereich', 409: 'Die Person ist anonymisiert' },
    handler: async ({ req, res, body }) => {
      const r = await createCase(deps, req.user!, actorOf(req), body, idempotencyKeyHeader(req));
      if (!r.created) res.locals.status = 200; // the same request again: the first result
      return { id: r.id, reference: r.reference };
    },
  });

  api.route({
    method: 'get',
    path: '/api/cases',
    tag: 'Akten',
    roles: ['caseworker', 'supervisor'],
    summary: 'Fälle, die ich sehen darf',
    query: z.object({
      status: z.enum(CASE_STATUSES, { error: 'Status ungültig' }).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(100),
    }),
    response: z.object({ items: z.array(caseSummary) }),
    handler: async ({ req, query }) => {
      const cases = await listCases(deps, { ...caseListFilter(req.user!), ...(query.status ? { status: query.status } : {}) }, query.limit);
      return {
        items: cases.map((c) => ({
          id: c.id,
          reference: c.reference,
          topic: c.topic,
          status: c.status,
          personId: c.personId,
          caseworkerId: c.caseworkerId,
          createdAt: c.createdAt.toISOString(),
        })),
      };
    },
  });

  api.route({
    method: 'get',
    path: '/api/cases/:id',
    tag: 'Akten',
    roles: ['caseworker', 'supervisor'],
    summary: 'Fall mit Live-Status und Ketten',
    errors: { 404: 'Fall unbekannt' },
    response: caseSummary.extend({
      live: z.boolean().describe('false, wenn Temporal nicht erreichbar war (Status aus dem Lesemodell)'),
      anonymizedAt: z
        .string()
        .nullable()
        .describe('gesetzt, wenn der Fall nach Ablauf der Löschfrist anonymisiert wurde (nur noch lesbar)'),
      person: z.object({ id: z.string(), firstName: z.string(), lastName: z.string() }),
      followUp: z.object({ id: z.string(), dueAt: z.string(), remindedAt: z.string().nullable() }).nullable(),
      consents: z.array(
        z.object({
          id: z.string(),
          departments: z.array(z.string()),
          purpose: z.string(),
          givenAt: z.string(),
          withdrawnAt: z.string().nullable(),
        }),
      ),
      chains: z.array(z.object({ id: z.string(), type: z.string(), status: z.string(), currentStep: z.string().nullable() })),
      statusReason: z.string().nullable().describe('Begründung der letzten Statusänderung'),
      closureCode: z.enum(CLOSURE_CODES).nullable().describe('Abschlussgrund, wenn der Fall abgeschlossen ist'),
      closureReason: z.string().nullable().describe('Begründung des Abschlusses'),
      statusHistory: z
        .array(
          z.object({
            at: z.string(),
            from: z.enum(CASE_STATUSES),
            to: z.enum(CASE_STATUSES),
            reason: z.string().nullable(),
            closureCode: z.enum(CLOSURE_CODES).nullable(),
          }),
        )
        .describe('Statusänderungen, neueste zuerst (höchstens 50)'),
    }),
    handler: async ({ req, params }) => {
      if (!z.uuid().safeParse(params.id).success) throw notFound('Fall');
      const { record: c, live, status } = await getCase(deps, req.user!, actorOf(req), params.id);
      const f = c.followUps.find((x) => !x.cancelledAt);
      return {
        id: c.id,
        reference: c.reference,
        topic: c.topic,
        status,
        personId: c.personId,
        caseworkerId: c.caseworkerId,
        createdAt: c.createdAt.toISOString(),
        live: Boolean(live),
        anonymizedAt: c.anonymizedAt?.toISOString() ?? null,
        person: { id: c.person.id, firstName: c.person.firstName, lastName: c.person.lastName },
        followUp: f ? { id: f.id, dueAt: f.dueAt.toISOString(), remindedAt: f.remindedAt?.toISOString() ?? null } : null,
        consents: c.consents.map((k) => ({
          id: k.id,
          departments: k.departments,
          purpose: k.purpose,
          givenAt: k.givenAt.toISOString(),
          withdrawnAt: k.withdrawnAt?.toISOString() ?? null,
        })),
        chains: (await caseChains(deps, c.id)).map((p) => ({ id: p.id, type: p.type, status: p.status, currentStep: p.currentStep })),
        ...statusSummary(c.statusChanges, status),
        statusHistory: c.statusChanges.map((ch) => ({
          at: ch.changedAt.toISOString(),
          from: ch.fromStatus,
          to: ch.toStatus,
          reason: ch.reason,
          closureCode: ch.closureCode as ClosureCode | null,
        })),
      };
    },
  });

  api.route({
    method: 'post',
    path: '/api/cases/:id/follow-ups',
    tag: 'Akten',
    roles: ['caseworker'],
    status: 201,
    summary: 'Wiedervorlage setzen (ersetzt eine offene)',
    errors: { 404: 'Fall unbekannt', 409: 'Fall abgeschlossen oder anonymisiert' },
    body: followUpInput,
    response: z.object({ id: z.string(), dueAt: z.string() }),
    handler: async ({ req, body, params }) => {
      if (!z.uuid().safeParse(params.id).success) throw notFound('Fall');
      const f = await setFollowUp(deps, req.user!, actorOf(req), params.id, body);
      return { id: f.id, dueAt: f.dueAt.toISOString() };
    },
  });

  api.route({
    method: 'post',
    path: '/api/cases/:id/status',
    tag: 'Akten',
    roles: ['caseworker'],
    summary: 'Status des Falls ändern',
    errors: { 404: 'Fall unbekannt', 409: 'Statuswechsel im aktuellen Zustand nicht möglich, Fall anonymisiert oder Vorgang beendet' },
    body: caseStatusInput,
    response: z.object({ status: z.enum(CASE_STATUSES) }),
    handler: async ({ req, body, params }) => {
      if (!z.uuid().safeParse(params.id).success) throw notFound('Fall');
      const s = await setStatus(deps, req.user!, actorOf(req), params.id, body);
      return { status: s.status };
    },
  });

  api.route({
    method: 'post',
    path: '/api/cases/:id/consents',
    tag: 'Akten',
    roles: ['caseworker'],
    status: 201,
    summary: 'Einwilligung / Schweigepflichtentbindung erfassen',
    errors: { 404: 'Fall unbekannt', 409: 'Fall anonymisiert' },
    body: consentInput,
    response: idResponse,
    handler: async ({ req, body, params }) => {
      if (!z.uuid().safeParse(params.id).success) throw notFound('Fall');
      const k = await addConsent(deps, req.user!, actorOf(req), params.id, body);
      return { id: k.id };
    },
  });

  api.route({
    method: 'post',
    path: '/api/cases/:id/consents/:consentId/withdraw',
    tag: 'Akten',
    roles: ['caseworker'],
    summary:
      'Einwilligung widerrufen: offene Übergaben an Stellen, die sie nicht mehr abdeckt, werden abgebrochen und die Stellen informiert',
    errors: { 404: 'Fall oder Einwilligung unbekannt', 409: 'Einwilligung bereits widerrufen oder Fall anonymisiert' },
    body: z.strictObject({}),
    response: z.object({ id: z.string(), withdrawnAt: z.string(), cancelledTasks: z.array(z.string()), pendingTasks: z.array(z.string()) }),
    handler: async ({ req, params }) => {
      if (!z.uuid().safeParse(params.id).success) throw notFound('Fall');
      if (!z.uuid().safeParse(params.consentId).success) throw notFound('Einwilligung');
      const r = await withdrawConsent(deps, req.user!, actorOf(req), params.id, params.consentId);
      return {
        id: r.consent.id,
        withdrawnAt: r.consent.withdrawnAt!.toISOString(),
        cancelledTasks: r.cancelledTasks,
        pendingTasks: r.pendingTasks,
      };
    },
  });

  registerTaskRoutes(api, deps);
  registerChainRoutes(api, deps);
  registerHandoffContextRoutes(api, deps); // issue 14: handoffs with context
  registerChainDefinitionRoutes(api, deps);
  registerStatusLinkRoutes(api, deps);
  registerCaseCycleRoutes(api, deps);
  registerAnalyticsRoutes(api, deps);
  registerReportRoutes(api, deps);
  registerReportDefinitionRoutes(api, deps);
  registerInventoryRoutes(api, deps);
  registerEducationRoutes(api, deps); // education offers, group offers, meetings (issue 15)
  registerPrivacyRoutes(api, deps, {
    storagePeriod: deps.retentionDays
      ? `bis ${deps.retentionDays} Tage nach Abschluss des Falls; danach werden Person und Fall anonymisiert`
      : undefined,
  });

  if (deps.capture) {
    const capture = deps.capture;
    api.route({
      // any logged-in user; department members only their department's mails (visibleMails)
      method: 'get',
      path: '/api/dev/mails',
      tag: 'Entwicklung',
      roles: [],
      summary:
        'Dev-Postfach: von der eingebetteten SMTP-Capture empfangene E-Mails (nur ohne SMTP_URL, nie in Produktion; Fachstellen: nur die eigenen)',
      query: z.object({ to: z.string().max(254).optional() }),
      response: z.object({
        items: z.array(
          z.object({
            id: z.string(),
            to: z.array(z.string()),
            subject: z.string(),
            text: z.string(),
            html: z.string(),
            links: z.array(z.string()),
            receivedAt: z.string(),
          }),
        ),
      }),
      handler: async ({ req, query }) => ({
        items: (await visibleMails(deps, capture, req.user!, query.to)).map(({ messageId: _m, ...m }) => m),
      }),
    });
  }

  api.serveDocument('/api/openapi.json');
  return router;
}
