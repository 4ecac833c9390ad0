// Working meetings (issue 15): the KI's working meetings and the 5-50/5-53 exchange as meeting series
// with dates, participants, agenda, minutes and agreed to-dos. A to-do is a follow-up of its owner: it
// stands on the owner's start page (due list) until done. Cases are named by reference only: references
// in the minutes and to-dos are resolved and linked; a person's name in them is refused.
import { z } from 'zod';
import { audit, type Actor } from '../../core/audit';
import type { Db } from '../../core/db/client';
import type { DueItem } from '../../core/domain/due-list';
import { calendarDay, optionalText, requiredText } from '../../core/domain/fields';
import type { AuthUser } from '../auth';
import { badRequest, forbidden, notFound, type ErrorDetail } from '../errors';

export const MEETING_KINDS = ['ki_working_meeting', 'exchange_5_50_5_53', 'other'] as const;
export const meetingSeriesInput = z.strictObject({
  kind: z.enum(MEETING_KINDS, { error: `Art muss ${MEETING_KINDS.join(', ')} sein` }),
  title: requiredText('Titel', 200),
});
export const meetingInput = z.strictObject({
  at: z.iso.datetime({ offset: true, error: 'Termin: Zeitpunkt im ISO-Format erwartet' }),
  participants: z.array(requiredText('Teilnehmende', 200), { error: 'Teilnehmende müssen eine Liste sein' }).max(100).default([]),
  agenda: z.array(requiredText('Tagesordnungspunkt', 500), { error: 'Tagesordnung muss eine Liste sein' }).max(50).default([]),
  minutes: optionalText('Protokoll', 20_000),
  todos: z
    .array(
      z.strictObject({
        text: requiredText('Aufgabe', 1000),
        ownerId: z.uuid({ error: 'Verantwortliche/r ungültig' }),
        due: calendarDay('Fällig am'),
        caseReference: optionalText('Aktenzeichen', 40),
      }),
      { error: 'Aufgaben müssen eine Liste sein' },
    )
    .max(50, 'höchstens 50 Aufgaben')
    .default([]),
});
export type MeetingInput = z.infer<typeof meetingInput>;

const REFERENCE = /\bKIM-\d{4}-\d{4,}\b/g;
const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === 'P2002';

export async function createSeries(db: Db, user: AuthUser, actor: Actor, input: z.infer<typeof meetingSeriesInput>, key?: string) {
  if (key) {
    const first = await db.meetingSeries.findUnique({
      where: { createdById_idempotencyKey: { createdById: user.id, idempotencyKey: key } },
    });
    if (first) return { id: first.id, created: false };
  }
  try {
    return await db.$transaction(async (tx) => {
      const s = await tx.meetingSeries.create({ data: { ...input, createdById: user.id, idempotencyKey: key } });
      await audit(tx, actor, 'meeting-series.create', { type: 'MeetingSeries', id: s.id }, { kind: input.kind });
      return { id: s.id, created: true };
    });
  } catch (err) {
    if (key && isUniqueViolation(err)) return createSeries(db, user, actor, input, key);
    throw err;
  }
}

export async function listSeries(db: Db) {
  const rows = await db.meetingSeries.findMany({ orderBy: { title: 'asc' }, include: { _count: { select: { meetings: true } } } });
  return rows.map((s) => ({ id: s.id, kind: s.kind, title: s.title, meetings: s._count.meetings }));
}

export async function seriesDetail(db: Db, actor: Actor, id: string) {
  const s = await db.meetingSeries.findUnique({
    where: { id },
    include: { meetings: { orderBy: { at: 'desc' }, take: 100, include: { todos: { orderBy: { dueAt: 'asc' } } } } },
  });
  if (!s) throw notFound('Besprechungsreihe');
  const refs = new Map(
    (
      await db.case.findMany({
        where: {
          id: { in: [...new Set(s.meetings.flatMap((m) => [...m.caseIds, ...m.todos.flatMap((t) => (t.caseId ? [t.caseId] : []))]))] },
        },
        select: { id: true, reference: true },
      })
    ).map((c) => [c.id, c.reference]),
  );
  await audit(db, actor, 'meeting-series.read', { type: 'MeetingSeries', id }, { meetings: s.meetings.length });
  return {
    id: s.id,
    kind: s.kind,
    title: s.title,
    meetings: s.meetings.map((m) => ({
      id: m.id,
      at: m.at.toISOString(),
      participants: m.participants,
      agenda: m.agenda,
      minutes: m.minutes,
      caseReferences: m.caseIds.map((c) => refs.get(c) ?? c),
      todos: m.todos.map((t) => ({
        id: t.id,
        text: t.text,
        ownerId: t.ownerId,
        dueAt: t.dueAt.toISOString(),
        caseReference: t.caseId ? (refs.get(t.caseId) ?? null) : null,
        doneAt: t.doneAt?.toISOString() ?? null,
      })),
    })),
  };
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The person's name in a text (a word of at least 3 letters, case-insensitive)? */
function namesIn(text: string, persons: { firstName: string; lastName: string }[]) {
  return persons.some((p) =>
    [p.lastName, `${p.firstName} ${p.lastName}`].some(
      (n) => n.trim().length >= 3 && new RegExp(`(^|[^\\p{L}])${escapeRe(n.trim())}($|[^\\p{L}])`, 'iu').test(text),
    ),
  );
}

export async function createMeeting(db: Db, user: AuthUser, actor: Actor, seriesId: string, input: MeetingInput, key?: string) {
  if (!(await db.meetingSeries.findUnique({ where: { id: seriesId }, select: { id: true } }))) throw notFound('Besprechungsreihe');
  if (key) {
    const first = await db.meeting.findUnique({ where: { createdById_idempotencyKey: { createdById: user.id, idempotencyKey: key } } });
    if (first) return { id: first.id, created: false };
  }
  const details: ErrorDetail[] = [];
  // every case reference named in the minutes, the agenda and the to-dos must exist
  const texts: Array<[string, string]> = [
    ['minutes', input.minutes ?? ''],
    ...input.agenda.map((a, i) => [`agenda.${i}`, a] as [string, string]),
    ...input.todos.map((t, i) => [`todos.${i}.text`, t.text] as [string, string]),
  ];
  const named = new Set<string>([
    ...texts.flatMap(([, t]) => t.match(REFERENCE) ?? []),
    ...input.todos.flatMap((t) => (t.caseReference ? [t.caseReference] : [])),
  ]);
  const cases = named.size
    ? await db.case.findMany({
        where: { reference: { in: [...named] } },
        select: { id: true, reference: true, person: { select: { firstName: true, lastName: true } } },
      })
    : [];
  const byRef = new Map(cases.map((c) => [c.reference, c]));
  for (const [field, t] of texts)
    for (const r of t.match(REFERENCE) ?? []) if (!byRef.has(r)) details.push({ field, message: `Aktenzeichen ${r} unbekannt` });
  input.todos.forEach((t, i) => {
    if (t.caseReference && !byRef.has(t.caseReference))
      details.push({ field: `todos.${i}.caseReference`, message: 'Aktenzeichen unbekannt' });
  });
  // no person by name: the persons of the named cases, and any person's full name
  const persons = cases.map((c) => c.person);
  for (const [field, t] of texts) {
    if (!t) continue;
    const full = await db.$queryRaw<Array<{ n: number }>>`
      SELECT 1 AS n FROM "Person" WHERE "anonymizedAt" IS NULL AND length("lastName") >= 3
        AND position(lower("firstName" || ' ' || "lastName") in lower(${t})) > 0 LIMIT 1`;
    if (full.length || namesIn(t, persons))
      details.push({ field, message: 'nennt eine Person beim Namen – Fälle bitte nur mit Aktenzeichen (KIM-JJJJ-NNNN) nennen' });
  }
  const owners = new Set(
    (await db.user.findMany({ where: { id: { in: input.todos.map((t) => t.ownerId) }, active: true }, select: { id: true } })).map(
      (u) => u.id,
    ),
  );
  input.todos.forEach((t, i) => {
    if (!owners.has(t.ownerId)) details.push({ field: `todos.${i}.ownerId`, message: 'Verantwortliche/r unbekannt' });
  });
  if (details.length) throw badRequest(`Besprechung nicht gespeichert: ${details[0].field} – ${details[0].message}.`, details);
  try {
    return await db.$transaction(async (tx) => {
      const m = await tx.meeting.create({
        data: {
          seriesId,
          at: new Date(input.at),
          participants: input.participants,
          agenda: input.agenda,
          minutes: input.minutes ?? null,
          caseIds: cases.map((c) => c.id),
          createdById: user.id,
          idempotencyKey: key,
          todos: {
            create: input.todos.map((t) => ({
              text: t.text,
              ownerId: t.ownerId,
              dueAt: new Date(t.due + 'T12:00:00Z'),
              caseId: t.caseReference ? byRef.get(t.caseReference)!.id : null,
            })),
          },
        },
      });
      await audit(
        tx,
        actor,
        'meeting.create',
        { type: 'MeetingSeries', id: seriesId },
        { meetingId: m.id, todos: input.todos.length, cases: cases.length },
      );
      for (const c of cases)
        await audit(tx, actor, 'meeting.case-reference', { type: 'Case', id: c.id, caseId: c.id }, { meetingId: m.id });
      return { id: m.id, created: true };
    });
  } catch (err) {
    if (key && isUniqueViolation(err)) return createMeeting(db, user, actor, seriesId, input, key);
    throw err;
  }
}

export async function todoDone(db: Db, user: AuthUser, actor: Actor, todoId: string) {
  const t = await db.meetingTodo.findUnique({ where: { id: todoId } });
  if (!t) throw notFound('Aufgabe');
  if (t.ownerId !== user.id && user.role !== 'supervisor') throw forbidden('Nur die/der Verantwortliche erledigt die Aufgabe.');
  const at = t.doneAt ?? new Date();
  if (!t.doneAt) {
    await db.meetingTodo.update({ where: { id: todoId }, data: { doneAt: at } });
    await audit(db, actor, 'meeting.todo-done', { type: 'MeetingTodo', id: todoId, caseId: t.caseId ?? undefined });
  }
  return { id: t.id, doneAt: at.toISOString() };
}

/** The start page's due list: my open to-dos from working meetings. */
export async function meetingTodosDue(db: Db, user: AuthUser): Promise<DueItem[]> {
  const rows = await db.meetingTodo.findMany({
    where: { ownerId: user.id, doneAt: null },
    include: { meeting: { select: { seriesId: true, series: { select: { title: true } } } } },
    orderBy: { dueAt: 'asc' },
    take: 200,
  });
  const refs = new Map(
    (
      await db.case.findMany({
        where: { id: { in: rows.flatMap((r) => (r.caseId ? [r.caseId] : [])) } },
        select: { id: true, reference: true },
      })
    ).map((c) => [c.id, c.reference]),
  );
  return rows.map((r) => ({
    caseId: r.caseId,
    caseReference: r.caseId ? (refs.get(r.caseId) ?? '') : r.meeting.series.title,
    kind: 'meeting-todo',
    title: `Aufgabe aus Besprechung: ${r.text.length > 80 ? `${r.text.slice(0, 79)}…` : r.text}`,
    dueAt: r.dueAt,
    href: `/bestand/treffen/${r.meeting.seriesId}`, // the series page, where the owner marks it done
  }));
}
