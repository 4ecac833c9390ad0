// The case-management cycle's records in the Art. 15 export (person-export.ts): per case the
// assessments, help plans with goals, actions and ratings, journal entries with their earlier
// versions, and the documents (name, type, size, date — the files themselves on request).
import type { Db } from '../../core/db/client';
import { JOURNAL_KIND_LABELS, LIFE_AREA_LABELS, NEED_LABELS, RATING_LABELS } from '../../core/format/case-cycle-labels';

const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;
const ymd = (d: Date) => d.toISOString().slice(0, 10);

interface AreaRow {
  area: string;
  situation?: string;
  need: string;
  resources?: string;
}

export async function caseCycleExport(db: Db, caseIds: string[]) {
  const where = { caseId: { in: caseIds } };
  const [assessments, plans, journal, documents] = await Promise.all([
    db.assessment.findMany({ where, orderBy: { version: 'asc' } }),
    db.plan.findMany({
      where,
      orderBy: { version: 'asc' },
      include: { goals: { orderBy: { seq: 'asc' } }, actions: { orderBy: { seq: 'asc' } } },
    }),
    db.journalEntry.findMany({ where, orderBy: [{ at: 'asc' }, { id: 'asc' }], include: { revisions: { orderBy: { editedAt: 'asc' } } } }),
    db.caseDocument.findMany({ where, orderBy: { createdAt: 'asc' } }),
  ]);
  return (caseId: string) => ({
    assessments: assessments
      .filter((a) => a.caseId === caseId)
      .map((a) => ({
        version: a.version,
        createdAt: iso(a.createdAt),
        areas: ((a.areas ?? []) as unknown as AreaRow[]).map((x) => ({
          area: x.area,
          areaLabel: LIFE_AREA_LABELS[x.area] ?? x.area,
          situation: x.situation ?? null,
          need: x.need,
          needLabel: NEED_LABELS[x.need] ?? x.need,
          resources: x.resources ?? null,
        })),
      })),
    plans: plans
      .filter((p) => p.caseId === caseId)
      .map((p) => ({
        version: p.version,
        createdAt: iso(p.createdAt),
        reviewDate: ymd(p.reviewDate),
        reviewedAt: iso(p.reviewedAt),
        goals: p.goals.map((g) => ({
          area: g.area,
          areaLabel: LIFE_AREA_LABELS[g.area] ?? g.area,
          text: g.text,
          targetDate: ymd(g.targetDate),
          rating: g.rating,
          ratingLabel: g.rating ? (RATING_LABELS[g.rating] ?? g.rating) : null,
          ratingNote: g.ratingNote,
        })),
        actions: p.actions.map((a) => ({ text: a.text, owner: a.owner, dueDate: ymd(a.dueDate) })),
      })),
    journal: journal
      .filter((e) => e.caseId === caseId)
      .map((e) => ({
        at: iso(e.at),
        kind: e.kind,
        kindLabel: JOURNAL_KIND_LABELS[e.kind] ?? e.kind,
        text: e.text,
        earlierVersions: e.revisions.map((r) => ({ text: r.text, kind: r.kind, at: iso(r.at), replacedAt: iso(r.editedAt) })),
      })),
    documents: documents
      .filter((d) => d.caseId === caseId)
      .map((d) => ({ id: d.id, fileName: d.fileName, mediaType: d.mediaType, size: d.size, uploadedAt: iso(d.createdAt) })),
  });
}
