// The Art. 15 export's part for education and group offers (issue 15): the person's group enrolments
// with attendance, the course seats proposed to their chains, their chains' education needs, their
// household's barrier-free need, and the working meetings that referred to their cases (date, series,
// the to-dos agreed for the case — the minutes name cases by reference only).
import type { Db } from '../../core/db/client';
import { courseKindLabel, groupOfferKindLabel } from '../../core/format/labels';
import { isoDay } from '../../core/format/dates';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export async function educationExport(db: Db, personId: string, caseIds: string[]) {
  const [enrolments, proposals, needs, housingNeed, meetings, todos] = await Promise.all([
    db.groupEnrolment.findMany({
      where: { personId },
      orderBy: { createdAt: 'asc' },
      include: { groupOffer: true, attendance: { include: { session: true }, orderBy: { recordedAt: 'asc' } } },
    }),
    db.seatProposal.findMany({ where: { caseId: { in: caseIds } }, orderBy: { createdAt: 'asc' }, include: { course: true } }),
    db.educationNeed.findMany({ where: { caseId: { in: caseIds } } }),
    db.housingNeed.findUnique({ where: { personId } }),
    db.meeting.findMany({
      where: { caseIds: { hasSome: caseIds.length ? caseIds : ['-'] } },
      orderBy: { at: 'asc' },
      include: { series: true },
    }),
    db.meetingTodo.findMany({ where: { caseId: { in: caseIds } }, orderBy: { dueAt: 'asc' } }),
  ]);
  return {
    groupEnrolments: enrolments.map((e) => ({
      offer: e.groupOffer.title,
      kind: e.groupOffer.kind,
      kindLabel: groupOfferKindLabel(e.groupOffer.kind),
      enrolledAt: iso(e.createdAt),
      completedAt: iso(e.completedAt),
      note: e.note,
      attendance: e.attendance.map((a) => ({ session: iso(a.session.at), present: a.present })),
    })),
    seatProposals: proposals.map((p) => ({
      caseId: p.caseId,
      processId: p.processId,
      step: p.stepKey,
      course: p.course.reference,
      title: p.course.title,
      kind: p.course.kind,
      kindLabel: courseKindLabel(p.course.kind),
      level: p.course.level,
      start: isoDay(p.course.startDate),
      end: p.course.endDate ? isoDay(p.course.endDate) : null,
      proposedAt: iso(p.createdAt),
    })),
    educationNeeds: needs.map((n) => ({
      processId: n.processId,
      kind: n.kind,
      kindLabel: courseKindLabel(n.kind),
      level: n.level,
      district: n.district,
    })),
    housingNeed: housingNeed ? { barrierFree: housingNeed.barrierFree, updatedAt: iso(housingNeed.updatedAt) } : null,
    meetings: meetings.map((m) => ({ at: iso(m.at), series: m.series.title })),
    meetingTodos: todos.map((t) => ({ caseId: t.caseId, text: t.text, dueAt: iso(t.dueAt), doneAt: iso(t.doneAt) })),
  };
}
