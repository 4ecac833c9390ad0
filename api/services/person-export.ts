// Art. 15 DSGVO: everything KIM Flow holds about one person, as one JSON document (the PDF is rendered
// from the same document, person-export-pdf.ts). Who may export: the caseworker of the person's case
// and their team (canReadCase), and supervisors; a caseworker's export holds only the cases they may
// read and says how many it leaves out. Household members other than the person appear as a count,
// staff in the access summary by role and department (not by name): their data is not the subject's.
import { householdSizeOf } from '../../core/domain/household';
import { personFileExport } from './person-export-file';
import { educationExport } from './education-export';
import { caseCycleExport } from './case-cycle-export';
import { audit, auditRefused, type Actor } from '../../core/audit';
import type { Db } from '../../core/db/client';
import type { Prisma } from '../../core/db/generated/client';
import { chainDefinitionFor } from '../../core/domain/chains';
import { HANDOFF_STEPS, type TaskStatus } from '../../core/domain/handoff';
import { isoDay } from '../../core/format/dates';
import {
  actorRoleLabel,
  auditActionLabel,
  BENEFIT_LABELS,
  CASE_STATUS_LABELS,
  chainTitle,
  closureCodeLabel,
  handoffStepTitle,
  mailStatusLabel,
  processStatusLabel,
  stepStatusLabel,
  TASK_STATUS_LABELS,
  taskEventLabel,
  TOPIC_LABELS,
} from '../../core/format/labels';
import { canReadCase } from '../access';
import type { AuthUser } from '../auth';
import { notFound } from '../errors';

/** Access events listed one by one in the export (newest first); the counts per action cover all. */
export const EXPORT_ACCESS_EVENTS = 1000;

export interface ExportOptions {
  /** the configured storage period (retention), shown in the header; default „gemäß Aufbewahrungsfrist“ */
  storagePeriod?: string;
  now?: Date;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const day = (d: Date | null | undefined) => (d ? d.toISOString().slice(0, 10) : null);

/** Loads the person if the user may export it (else 404, as GET /api/persons/{id}). */
async function personInScope(db: Db, user: AuthUser, actor: Actor, personId: string) {
  const person = /^[0-9a-f-]{36}$/i.test(personId)
    ? await db.person.findUnique({
        where: { id: personId },
        include: {
          household: {
            include: {
              persons: { select: { householdSize: true, householdMembers: { where: { removedAt: null }, select: { removedAt: true } } } },
              cases: { select: { id: true } },
            },
          },
        },
      })
    : null;
  if (!person) throw notFound('Person');
  const cases = await db.case.findMany({
    where: { personId },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: { id: true, caseworkerId: true, departmentId: true },
  });
  const readable = cases.filter((c) => canReadCase(user, c));
  const creator = user.role === 'caseworker' && person.createdById === user.id;
  if (!readable.length && !creator && user.role !== 'supervisor') {
    await auditRefused(db, actor, { type: 'Person', id: personId }, 'person.export');
    throw notFound('Person');
  }
  return { person, caseIds: readable.map((c) => c.id), omitted: cases.length - readable.length };
}

export type PersonExport = Awaited<ReturnType<typeof buildPersonExport>>;

/** The export document; `format` is written to the audit log (`person.export`). */
export async function buildPersonExport(
  db: Db,
  user: AuthUser,
  actor: Actor,
  personId: string,
  format: 'json' | 'pdf',
  opts: ExportOptions = {},
) {
  const { person, caseIds, omitted } = await personInScope(db, user, actor, personId);
  const now = opts.now ?? new Date();
  const auditWhere: Prisma.AuditEventWhereInput = { OR: [{ caseId: { in: caseIds } }, { entityType: 'Person', entityId: personId }] };
  const [cases, departments] = await Promise.all([
    db.case.findMany({
      where: { id: { in: caseIds } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      include: {
        caseworker: { select: { name: true, departmentId: true } },
        consents: { orderBy: { givenAt: 'asc' } },
        followUps: { orderBy: { dueAt: 'asc' } },
        statusChanges: { orderBy: [{ changedAt: 'asc' }, { id: 'asc' }] },
        processes: { orderBy: { startedAt: 'asc' }, include: { steps: { orderBy: { seq: 'asc' } } } },
        tasks: { orderBy: { createdAt: 'asc' }, include: { events: { orderBy: [{ at: 'asc' }, { seq: 'asc' }] } } },
      },
    }),
    db.department.findMany({ select: { id: true, name: true } }),
  ]);
  const deptName = (id: string | null | undefined) => (id ? (departments.find((d) => d.id === id)?.name ?? id) : null);
  const statusLinks = await db.statusLink.findMany({ where: { personId }, orderBy: { createdAt: 'asc' } });
  // the caseworker's messages to departments (issue 14: handoffs with context)
  const handoffMessages = caseIds.length
    ? await db.handoffMessage.findMany({ where: { caseId: { in: caseIds } }, orderBy: { createdAt: 'asc' } })
    : [];
  const mails = caseIds.length
    ? await db.mail.findMany({
        where: { caseId: { in: caseIds } },
        orderBy: { createdAt: 'asc' },
        select: { caseId: true, to: true, subject: true, createdAt: true, sentAt: true, status: true },
      })
    : [];

  const cycle = await caseCycleExport(db, caseIds); // assessments, plans, journal, documents (issue 13)

  // the export itself is the newest access: audited before the access summary is read
  await audit(db, actor, 'person.export', { type: 'Person', id: personId }, { format, cases: caseIds.length, omittedCases: omitted });

  const [byAction, total, events] = await Promise.all([
    db.auditEvent.groupBy({ by: ['action'], where: auditWhere, _count: { _all: true }, orderBy: { action: 'asc' } }),
    db.auditEvent.count({ where: auditWhere }),
    db.auditEvent.findMany({
      where: auditWhere,
      orderBy: [{ at: 'desc' }, { id: 'desc' }],
      take: EXPORT_ACCESS_EVENTS,
      select: { at: true, actorId: true, actorRole: true, action: true },
    }),
  ]);
  const actorIds = [...new Set(events.map((e) => e.actorId).filter((x): x is string => !!x))];
  const actors = new Map(
    (actorIds.length
      ? await db.user.findMany({ where: { id: { in: actorIds } }, select: { id: true, role: true, departmentId: true } })
      : []
    ).map((u) => [u.id, u]),
  );

  // Art. 15(1)(c): which departments received data, when, for which step
  const recipients = new Map<string, { department: string; name: string; firstAt: Date; handoffs: number }>();
  for (const t of cases.flatMap((c) => c.tasks)) {
    const r = recipients.get(t.departmentId) ?? {
      department: t.departmentId,
      name: deptName(t.departmentId)!,
      firstAt: t.createdAt,
      handoffs: 0,
    };
    r.handoffs += 1;
    if (t.createdAt < r.firstAt) r.firstAt = t.createdAt;
    recipients.set(t.departmentId, r);
  }

  return {
    format: 'kim-flow/art15-export' as const,
    version: 1,
    generatedAt: now.toISOString(),
    explanation: {
      title: 'Auskunft nach Art. 15 DSGVO',
      purpose:
        'Kommunales Integrationsmanagement (KIM): Fallmanagement, Beratung und Begleitung sowie die Übergabe einzelner Schritte an beteiligte Stellen (Integrationsketten), auf Grundlage Ihrer Einwilligungen und der gesetzlichen Aufgaben der Kommune.',
      recipients: recipients.size
        ? `Daten wurden an folgende Stellen übergeben: ${[...recipients.values()].map((r) => r.name).join(', ')}. Einzelheiten stehen bei den Übergaben der Fälle.`
        : 'Bisher wurden keine Daten an andere Stellen übergeben.',
      storagePeriod: opts.storagePeriod ?? 'gemäß Aufbewahrungsfrist',
      rights:
        'Sie haben das Recht auf Berichtigung (Art. 16), Löschung (Art. 17), Einschränkung der Verarbeitung (Art. 18) und Widerspruch (Art. 21) sowie das Recht, eine Einwilligung jederzeit zu widerrufen und sich bei der Aufsichtsbehörde (LDI NRW) zu beschweren.',
      ...(omitted
        ? {
            note: `${omitted} weitere${omitted === 1 ? 'r Fall liegt' : ' Fälle liegen'} in der Zuständigkeit eines anderen Teams und ${omitted === 1 ? 'ist' : 'sind'} hier nicht enthalten; die vollständige Auskunft erstellt die Leitung.`,
          }
        : {}),
    },
    person: {
      id: person.id,
      firstName: person.firstName,
      lastName: person.lastName,
      birthDate: day(person.birthDate),
      householdSize: person.householdSize,
      shelterId: person.shelterId,
      benefitType: person.benefitType,
      benefitTypeLabel: BENEFIT_LABELS[person.benefitType],
      householdId: person.householdId,
      createdAt: iso(person.createdAt),
    },
    /** the person's own status page links (chains v2): when made, valid until, revoked */
    statusLinks: statusLinks.map((l) => ({ createdAt: iso(l.createdAt), expiresAt: iso(l.expiresAt), revokedAt: iso(l.revokedAt) })),
    personFile: await personFileExport(db, personId),
    /** group offers, course seats, education and housing needs, working meetings (issue 15) */
    education: await educationExport(db, personId, caseIds),
    household: person.household
      ? {
          id: person.household.id,
          /** derived: this person, the members recorded on the file, other persons of the household with a file */
          size: householdSizeOf(person.household.persons),
          createdAt: iso(person.household.createdAt),
          otherMembers: person.household.persons.length - 1,
          /** the cases that belong to this household (the other persons' cases by reference only) */
          caseIds: person.household.cases.map((c) => c.id).filter((id) => caseIds.includes(id)),
        }
      : null,
    recipients: [...recipients.values()].map((r) => ({
      department: r.department,
      name: r.name,
      firstAt: r.firstAt.toISOString(),
      handoffs: r.handoffs,
    })),
    omittedCases: omitted,
    cases: cases.map((c) => ({
      id: c.id,
      reference: c.reference,
      topic: c.topic,
      topicLabel: TOPIC_LABELS[c.topic],
      status: c.status,
      statusLabel: CASE_STATUS_LABELS[c.status],
      caseworker: c.caseworker.name,
      team: deptName(c.departmentId),
      createdAt: iso(c.createdAt),
      updatedAt: iso(c.updatedAt),
      closedAt: iso(c.closedAt),
      consents: c.consents.map((k) => ({
        id: k.id,
        departments: k.departments.map((d) => ({ id: d, name: deptName(d) })),
        purpose: k.purpose,
        givenAt: iso(k.givenAt),
        withdrawnAt: iso(k.withdrawnAt),
        recordedAt: iso(k.createdAt),
      })),
      statusHistory: c.statusChanges.map((ch) => ({
        at: iso(ch.changedAt),
        from: ch.fromStatus,
        fromLabel: CASE_STATUS_LABELS[ch.fromStatus],
        to: ch.toStatus,
        toLabel: CASE_STATUS_LABELS[ch.toStatus],
        reason: ch.reason,
        closureCode: ch.closureCode,
        closureLabel: ch.closureCode ? closureCodeLabel(ch.closureCode) : null,
      })),
      ...cycle(c.id),
      followUps: c.followUps.map((f) => ({
        id: f.id,
        dueAt: iso(f.dueAt),
        note: f.note,
        createdAt: iso(f.createdAt),
        remindedAt: iso(f.remindedAt),
        cancelledAt: iso(f.cancelledAt),
      })),
      processes: c.processes.map((p) => ({
        id: p.id,
        type: p.type,
        title: chainTitle(p.type),
        version: p.version,
        status: p.status,
        statusLabel: processStatusLabel(p.status),
        reason: p.reason,
        currentStep: p.currentTitle ?? p.currentStep,
        startedAt: iso(p.startedAt),
        completedAt: iso(p.completedAt),
        steps: p.steps.map((s) => {
          const def = chainDefinitionFor(p.type, p.version)?.steps[s.key];
          return {
            seq: s.seq,
            key: s.key,
            title: s.title,
            status: s.status,
            statusLabel: stepStatusLabel(s.status),
            department: s.department,
            departmentName: deptName(s.department),
            startedAt: iso(s.startedAt),
            dueAt: iso(s.dueAt),
            completedAt: iso(s.completedAt),
            outcome: s.outcome,
            outcomeLabel: s.outcome ? (def?.outcomes[s.outcome]?.label ?? s.outcome) : null,
            data: s.data ?? null,
            dataLabels: Object.fromEntries([...(def?.fields ?? []), ...(def?.results ?? [])].map((f) => [f.key, f.label])),
          };
        }),
      })),
      /** messages of the caseworker to departments with a handoff (shown to the department behind the link) */
      handoffMessages: handoffMessages
        .filter((m) => m.caseId === c.id)
        .map((m) => ({ step: m.stepKey, taskId: m.taskId, text: m.text, createdAt: iso(m.createdAt) })),
      handoffs: c.tasks.map((t) => ({
        id: t.id,
        step: t.stepKey,
        title: handoffStepTitle(t.stepKey, t.title),
        department: t.departmentId,
        departmentName: deptName(t.departmentId),
        status: t.status,
        statusLabel: TASK_STATUS_LABELS[t.status as TaskStatus],
        createdAt: iso(t.createdAt),
        ackDueAt: iso(t.ackDueAt),
        dueAt: iso(t.dueAt),
        acceptedAt: iso(t.acceptedAt),
        completedAt: iso(t.completedAt),
        outcome: t.outcome,
        outcomeLabel: t.outcome ? (HANDOFF_STEPS[t.stepKey]?.outcomes[t.outcome] ?? t.outcome) : null,
        data: t.data ?? null,
        reason: t.reason,
        events: t.events.map((e) => ({
          at: e.at.toISOString(),
          event: e.event,
          label: taskEventLabel(e.event),
          by: e.actor.startsWith('link:') ? 'Stelle (E-Mail-Link)' : e.actor.startsWith('user:') ? 'Mitarbeiter/in' : 'System',
          details: e.details ?? null,
        })),
      })),
      mails: mails
        .filter((m) => m.caseId === c.id)
        .map((m) => ({
          to: m.to,
          subject: m.subject,
          createdAt: iso(m.createdAt),
          sentAt: iso(m.sentAt),
          status: m.status,
          statusLabel: mailStatusLabel(m.status),
        })),
    })),
    accessLog: {
      total,
      byAction: byAction.map((a) => ({ action: a.action, label: auditActionLabel(a.action), count: a._count._all })),
      events: events.map((e) => {
        const u = e.actorId ? actors.get(e.actorId) : undefined;
        const role = e.actorRole === 'user' && u ? u.role : (e.actorRole ?? 'system');
        return {
          at: e.at.toISOString(),
          role,
          roleLabel: actorRoleLabel(role),
          department: deptName(u?.departmentId),
          action: e.action,
          label: auditActionLabel(e.action),
        };
      }),
      truncated: total > EXPORT_ACCESS_EVENTS,
    },
  };
}

/** `auskunft-<person id>-<yyyy-mm-dd>.<ext>`: ids and the date only, never a name. */
export function exportFileName(personId: string, ext: 'json' | 'pdf', now = new Date()) {
  return `auskunft-${personId}-${isoDay(now)}.${ext}`;
}
