// JSON API of education offers, group offers, working meetings and households' needs (issue 15).
// Caseworkers and supervisors manage them; department members do not. Proposing a seat moves a chain
// (the caseworker's, like proposing a flat).
import { z } from 'zod';
import {
  attendanceInput,
  COURSE_KINDS,
  COURSE_LEVELS,
  courseInput,
  educationNeedInput,
  enrolmentInput,
  GROUP_OFFER_KINDS,
  groupOfferInput,
  groupSessionInput,
  seatProposeInput,
} from '../../core/domain/inventory/education';
import { actorOf } from '../auth';
import type { AppDeps } from '../deps';
import { notFound } from '../errors';
import type { JsonApi } from '../json-route';
import {
  courseMatches,
  courseOr404,
  courseView,
  createCourse,
  listCourses,
  proposeSeat,
  setEducationNeed,
  setHousingNeed,
} from '../services/education';
import {
  addSession,
  completeEnrolment,
  createGroupOffer,
  enrol,
  groupOfferDetail,
  listGroupOffers,
  recordAttendance,
} from '../services/group-offers';
import {
  createMeeting,
  createSeries,
  listSeries,
  MEETING_KINDS,
  meetingInput,
  meetingSeriesInput,
  seriesDetail,
  todoDone,
} from '../services/meetings';
import { idempotencyKeyHeader } from '../submission';

const uuid = z.uuid();
const checkId = (id: string, what: string) => {
  if (!uuid.safeParse(id).success) throw notFound(what);
  return id;
};
const MANAGERS = ['caseworker', 'supervisor'] as const;
const TAG = 'Bildung und Gruppen';

const courseSchema = z.object({
  id: z.string(),
  reference: z.string(),
  partnerId: z.string(),
  kind: z.enum(COURSE_KINDS),
  level: z.string().nullable(),
  title: z.string(),
  start: z.string(),
  end: z.string().nullable(),
  seats: z.number(),
  reserved: z.number(),
  taken: z.number(),
  free: z.number(),
  place: z.string(),
  district: z.string().nullable(),
  step: z.string(),
  steps: z.array(z.string()).describe('Die Schritte der Kette „Bildung und Arbeit“ (v1 und v2), in denen diese Art gebraucht wird'),
  createdAt: z.string(),
});

export function registerEducationRoutes(api: JsonApi, deps: AppDeps) {
  api.route({
    method: 'post',
    path: '/api/courses',
    tag: TAG,
    roles: [...MANAGERS],
    status: 201,
    summary: 'Kurs/Bildungsangebot eines Trägers anlegen: Art, Niveau, Beginn, Ende, Plätze, reservierte Plätze, Ort',
    body: courseInput,
    idempotent: true,
    response: z.object({ id: z.string(), reference: z.string() }),
    handler: async ({ req, res, body }) => {
      const r = await createCourse(deps.db, req.user!, actorOf(req), body, idempotencyKeyHeader(req));
      if (!r.created) res.locals.status = 200;
      return { id: r.id, reference: r.reference };
    },
  });

  api.route({
    method: 'get',
    path: '/api/courses',
    tag: TAG,
    roles: [...MANAGERS],
    summary: 'Kurse, optional nach Art; free=true: nur mit freien Plätzen',
    query: z.object({
      kind: z.enum(COURSE_KINDS, { error: `Art muss ${COURSE_KINDS.join(', ')} sein` }).optional(),
      free: z.enum(['true', 'false'], { error: 'free muss true oder false sein' }).optional(),
    }),
    response: z.object({ items: z.array(courseSchema) }),
    handler: async ({ query }) => ({ items: await listCourses(deps.db, { kind: query.kind, freeOnly: query.free === 'true' }) }),
  });

  api.route({
    method: 'get',
    path: '/api/courses/:id',
    tag: TAG,
    roles: [...MANAGERS],
    summary: 'Ein Kurs mit freien Plätzen',
    errors: { 404: 'Kurs unbekannt' },
    response: courseSchema,
    handler: async ({ params }) => courseView(await courseOr404(deps.db, checkId(params.id, 'Kurs'))),
  });

  api.route({
    method: 'get',
    path: '/api/courses/:id/matches',
    tag: TAG,
    roles: [...MANAGERS],
    summary:
      'Ketten „Bildung und Arbeit“, die im passenden Schritt warten, mit Passung und Gründen; passende zuerst, längste Wartezeit zuerst',
    errors: { 404: 'Kurs unbekannt' },
    response: z.object({
      items: z.array(
        z.object({
          processId: z.string(),
          caseReference: z.string(),
          waitingSince: z.string(),
          fits: z.boolean(),
          reasons: z.array(z.string()),
        }),
      ),
    }),
    handler: async ({ req, params }) => ({ items: await courseMatches(deps.db, req.user!, actorOf(req), checkId(params.id, 'Kurs')) }),
  });

  api.route({
    method: 'post',
    path: '/api/courses/:id/propose',
    tag: TAG,
    roles: ['caseworker'],
    summary:
      'Kursplatz einer wartenden Kette vorschlagen: schließt deren Schritt mit den Kursdaten ab; kein Platz frei → 409 (nichts geändert)',
    errors: { 404: 'Kurs unbekannt', 409: 'Kein Platz frei, schon vorgeschlagen oder die Kette wartet nicht in diesem Schritt' },
    body: seatProposeInput,
    response: courseSchema,
    handler: async ({ req, body, params }) => proposeSeat(deps, req.user!, actorOf(req), checkId(params.id, 'Kurs'), body.processId),
  });

  api.route({
    method: 'put',
    path: '/api/processes/:id/education-need',
    tag: TAG,
    roles: ['caseworker'],
    summary: 'Bildungsbedarf einer Kette „Bildung und Arbeit“ (Art, Niveau A1–C1) für Passung und Situationsanalyse',
    errors: { 404: 'Prozess unbekannt oder nicht sichtbar', 409: 'Keine Kette „Bildung und Arbeit“' },
    body: educationNeedInput,
    response: z.object({
      processId: z.string(),
      kind: z.enum(COURSE_KINDS),
      level: z.enum(COURSE_LEVELS).nullable(),
      district: z.string().nullable(),
    }),
    handler: async ({ req, body, params }) => setEducationNeed(deps.db, req.user!, actorOf(req), checkId(params.id, 'Prozess'), body),
  });

  api.route({
    method: 'put',
    path: '/api/persons/:id/housing-need',
    tag: TAG,
    roles: ['caseworker'],
    summary: 'Wohnbedarf des Haushalts: barrierefrei nötig (für die Passung von Wohnungen)',
    errors: { 404: 'Person unbekannt oder nicht in Ihrer Zuständigkeit' },
    body: z.strictObject({ barrierFree: z.boolean({ error: 'Barrierefrei nötig: ja oder nein' }) }),
    response: z.object({ personId: z.string(), barrierFree: z.boolean() }),
    handler: async ({ req, body, params }) => setHousingNeed(deps.db, req.user!, actorOf(req), checkId(params.id, 'Person'), body),
  });

  // ---- group offers ----
  api.route({
    method: 'post',
    path: '/api/group-offers',
    tag: TAG,
    roles: [...MANAGERS],
    status: 201,
    summary: 'Gruppenangebot anlegen (z. B. Wohnführerschein, Bewerbungstraining)',
    body: groupOfferInput,
    idempotent: true,
    response: z.object({ id: z.string() }),
    handler: async ({ req, res, body }) => {
      const r = await createGroupOffer(deps.db, req.user!, actorOf(req), body, idempotencyKeyHeader(req));
      if (!r.created) res.locals.status = 200;
      return { id: r.id };
    },
  });

  api.route({
    method: 'get',
    path: '/api/group-offers',
    tag: TAG,
    roles: [...MANAGERS],
    summary: 'Gruppenangebote mit Zahl der Termine und Anmeldungen',
    response: z.object({
      items: z.array(
        z.object({
          id: z.string(),
          kind: z.string(),
          title: z.string(),
          place: z.string().nullable(),
          sessions: z.number(),
          enrolments: z.number(),
        }),
      ),
    }),
    handler: async () => ({ items: await listGroupOffers(deps.db) }),
  });

  api.route({
    method: 'get',
    path: '/api/group-offers/:id',
    tag: TAG,
    roles: [...MANAGERS],
    summary: 'Ein Gruppenangebot mit Terminen, Anmeldungen (Personen-IDs) und Anwesenheit',
    errors: { 404: 'Gruppenangebot unbekannt' },
    response: z.object({
      id: z.string(),
      kind: z.enum(GROUP_OFFER_KINDS).or(z.string()),
      title: z.string(),
      place: z.string().nullable(),
      sessions: z.array(z.object({ id: z.string(), at: z.string() })),
      enrolments: z.array(
        z.object({
          id: z.string(),
          personId: z.string(),
          completedAt: z.string().nullable(),
          attendance: z.array(z.object({ sessionId: z.string(), present: z.boolean() })),
        }),
      ),
    }),
    handler: async ({ req, params }) => groupOfferDetail(deps.db, actorOf(req), checkId(params.id, 'Gruppenangebot')),
  });

  api.route({
    method: 'post',
    path: '/api/group-offers/:id/sessions',
    tag: TAG,
    roles: [...MANAGERS],
    status: 201,
    summary: 'Termin des Gruppenangebots anlegen',
    errors: { 404: 'Gruppenangebot unbekannt', 409: 'Zu diesem Zeitpunkt gibt es schon einen Termin' },
    body: groupSessionInput,
    response: z.object({ id: z.string() }),
    handler: async ({ req, body, params }) => addSession(deps.db, actorOf(req), checkId(params.id, 'Gruppenangebot'), body),
  });

  api.route({
    method: 'post',
    path: '/api/group-offers/:id/enrolments',
    tag: TAG,
    roles: [...MANAGERS],
    status: 201,
    summary: 'Person anmelden (nur Personen in der eigenen Zuständigkeit)',
    errors: { 404: 'Gruppenangebot unbekannt', 409: 'Die Person ist schon angemeldet' },
    body: enrolmentInput,
    response: z.object({ id: z.string() }),
    handler: async ({ req, body, params }) => enrol(deps.db, req.user!, actorOf(req), checkId(params.id, 'Gruppenangebot'), body),
  });

  api.route({
    method: 'post',
    path: '/api/group-offers/:id/sessions/:sessionId/attendance',
    tag: TAG,
    roles: [...MANAGERS],
    summary: 'Anwesenheit eines Termins erfassen (je Anmeldung anwesend ja/nein; erneutes Erfassen überschreibt)',
    errors: { 404: 'Gruppenangebot oder Termin unbekannt' },
    body: attendanceInput,
    response: z.object({ recorded: z.number() }),
    handler: async ({ req, body, params }) =>
      recordAttendance(
        deps.db,
        req.user!,
        actorOf(req),
        checkId(params.id, 'Gruppenangebot'),
        checkId(params.sessionId, 'Termin'),
        body.items,
      ),
  });

  api.route({
    method: 'post',
    path: '/api/group-offers/:id/enrolments/:enrolmentId/complete',
    tag: TAG,
    roles: [...MANAGERS],
    summary: 'Teilnahme abschließen (Nachweis im Schritt „Wohnfähigkeit einschätzen“ der Auszugskette); braucht einen besuchten Termin',
    errors: { 404: 'Anmeldung unbekannt', 409: 'Noch kein Termin besucht' },
    response: z.object({ id: z.string(), completedAt: z.string() }),
    handler: async ({ req, params }) =>
      completeEnrolment(deps.db, actorOf(req), checkId(params.id, 'Gruppenangebot'), checkId(params.enrolmentId, 'Anmeldung')),
  });

  // ---- working meetings ----
  api.route({
    method: 'post',
    path: '/api/meeting-series',
    tag: TAG,
    roles: [...MANAGERS],
    status: 201,
    summary: 'Besprechungsreihe anlegen (Arbeitstreffen des KI, Austausch 5-50/5-53)',
    body: meetingSeriesInput,
    idempotent: true,
    response: z.object({ id: z.string() }),
    handler: async ({ req, res, body }) => {
      const r = await createSeries(deps.db, req.user!, actorOf(req), body, idempotencyKeyHeader(req));
      if (!r.created) res.locals.status = 200;
      return { id: r.id };
    },
  });

  api.route({
    method: 'get',
    path: '/api/meeting-series',
    tag: TAG,
    roles: [...MANAGERS],
    summary: 'Besprechungsreihen',
    response: z.object({
      items: z.array(z.object({ id: z.string(), kind: z.enum(MEETING_KINDS).or(z.string()), title: z.string(), meetings: z.number() })),
    }),
    handler: async () => ({ items: await listSeries(deps.db) }),
  });

  const todoSchema = z.object({
    id: z.string(),
    text: z.string(),
    ownerId: z.string(),
    dueAt: z.string(),
    caseReference: z.string().nullable(),
    doneAt: z.string().nullable(),
  });
  api.route({
    method: 'get',
    path: '/api/meeting-series/:id',
    tag: TAG,
    roles: [...MANAGERS],
    summary: 'Besprechungsreihe mit Terminen, Teilnehmenden, Tagesordnung, Protokoll, Aktenzeichen und Aufgaben',
    errors: { 404: 'Besprechungsreihe unbekannt' },
    response: z.object({
      id: z.string(),
      kind: z.string(),
      title: z.string(),
      meetings: z.array(
        z.object({
          id: z.string(),
          at: z.string(),
          participants: z.array(z.string()),
          agenda: z.array(z.string()),
          minutes: z.string().nullable(),
          caseReferences: z.array(z.string()),
          todos: z.array(todoSchema),
        }),
      ),
    }),
    handler: async ({ req, params }) => seriesDetail(deps.db, actorOf(req), checkId(params.id, 'Besprechungsreihe')),
  });

  api.route({
    method: 'post',
    path: '/api/meeting-series/:id/meetings',
    tag: TAG,
    roles: [...MANAGERS],
    status: 201,
    summary:
      'Besprechung mit Protokoll und vereinbarten Aufgaben festhalten; Aufgaben werden Wiedervorlagen ihrer Verantwortlichen; Fälle nur mit Aktenzeichen (Namen → 400)',
    errors: { 404: 'Besprechungsreihe unbekannt' },
    body: meetingInput,
    idempotent: true,
    response: z.object({ id: z.string() }),
    handler: async ({ req, res, body, params }) => {
      const r = await createMeeting(
        deps.db,
        req.user!,
        actorOf(req),
        checkId(params.id, 'Besprechungsreihe'),
        body,
        idempotencyKeyHeader(req),
      );
      if (!r.created) res.locals.status = 200;
      return { id: r.id };
    },
  });

  api.route({
    method: 'post',
    path: '/api/meeting-todos/:id/done',
    tag: TAG,
    roles: [...MANAGERS],
    summary: 'Aufgabe aus einer Besprechung erledigt (nur die/der Verantwortliche oder die Leitung)',
    errors: { 404: 'Aufgabe unbekannt' },
    response: z.object({ id: z.string(), doneAt: z.string() }),
    handler: async ({ req, params }) => todoDone(deps.db, req.user!, actorOf(req), checkId(params.id, 'Aufgabe')),
  });
}
