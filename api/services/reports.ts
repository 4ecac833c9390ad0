// Committee reports (issue: reports): built from the report figures (report-figures.ts) for a definition
// and period, archived in PostgreSQL with the published figures, listed, and rendered as CSV (German
// Excel) and PDF from the same stored figures. The id is a UUID derived from definition and period, so a
// second request (or a retried scheduled run) for the same report finds the archived one. Supervisors
// and admins only; aggregates only, never a reference number or a name.
import { z } from 'zod';
import { audit, type Actor } from '../../core/audit';
import type { Db } from '../../core/db/client';
import type { FigureTable } from '../../core/domain/report-figures';
import { isoDay } from '../../core/format/dates';
import type { AuthUser } from '../auth';
import { badRequest, forbidden, notFound } from '../errors';
import { csvLine } from './dashboard';
import { archiveReport, reportId } from '../../core/reports-archive';

export const REPORT_ROLES = ['supervisor', 'admin'] as const;
const seesReports = (u: AuthUser) => (REPORT_ROLES as readonly string[]).includes(u.role);

const day = (field: string) =>
  z
    .string({ error: `${field}: Datum JJJJ-MM-TT erwartet` })
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${field}: Datum JJJJ-MM-TT erwartet`)
    .refine(
      (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
      `${field}: kein gültiges Datum`,
    );

export const reportInput = z
  .strictObject({
    definition: z.string({ error: 'definition fehlt' }).regex(/^[a-z0-9-]{1,40}$/, 'definition: unbekannter Bericht'),
    from: day('from'),
    to: day('to'),
  })
  .refine((b) => b.from <= b.to, { message: 'from: muss vor oder gleich to liegen', path: ['from'] });

export { reportId };

/** Builds and archives the report (or finds the archived one). `today` bounds the period: only past periods. */
export async function produceReport(
  db: Db,
  input: { definition: string; from: string; to: string; trigger: 'schedule' | 'demand'; createdById?: string | null },
  today = isoDay(),
): Promise<{ id: string; created: boolean }> {
  const def = await db.reportDefinition.findUnique({ where: { id: input.definition } });
  if (!def)
    throw badRequest('Unbekannter Bericht.', [{ field: 'definition', message: 'unbekannt (aswdg, jha, ki oder ein angelegter Bericht)' }]);
  if (input.to >= today) throw badRequest('Nur abgeschlossene Zeiträume.', [{ field: 'to', message: 'muss vor dem heutigen Tag liegen' }]);
  const r = await archiveReport(db, def, input, { trigger: input.trigger, createdById: input.createdById });
  return { id: r.id, created: r.created };
}

export async function requestReport(db: Db, user: AuthUser, actor: Actor, body: z.infer<typeof reportInput>) {
  if (user.role !== 'supervisor') throw forbidden('Berichte erstellt die Leitung.');
  const r = await produceReport(db, { ...body, trigger: 'demand', createdById: user.id });
  await audit(
    db,
    actor,
    'report.create',
    { type: 'Report', id: r.id },
    { definition: body.definition, from: body.from, to: body.to, created: r.created },
  );
  return { id: r.id };
}

export async function listReports(db: Db, user: AuthUser) {
  if (!seesReports(user)) throw forbidden('Berichte nur für Leitung und Administration.');
  const rows = await db.report.findMany({
    orderBy: [{ to: 'desc' }, { definitionId: 'asc' }],
    take: 500,
    select: { id: true, definitionId: true, from: true, to: true, trigger: true, createdAt: true, definition: { select: { title: true } } },
  });
  return rows.map((r) => ({
    id: r.id,
    definition: r.definitionId,
    title: r.definition.title,
    from: r.from,
    to: r.to,
    trigger: r.trigger,
    createdAt: r.createdAt.toISOString(),
    pdf: `/api/reports/${r.id}.pdf`,
    csv: `/api/reports/${r.id}.csv`,
  }));
}

export async function getReport(db: Db, user: AuthUser, id: string) {
  if (!seesReports(user)) throw forbidden('Berichte nur für Leitung und Administration.');
  const r = /^[0-9a-f-]{36}$/.test(id) ? await db.report.findUnique({ where: { id }, include: { definition: true } }) : null;
  if (!r) throw notFound('Bericht nicht gefunden.');
  return { ...r, figures: r.figures as unknown as FigureTable[] };
}
export type StoredReport = Awaited<ReturnType<typeof getReport>>;

const cellText = (v: number | string | null) =>
  v === null ? '–' : typeof v === 'number' ? v.toLocaleString('de-DE', { maximumFractionDigits: 1 }) : v;
export { cellText };

/** CSV for German Excel: `;`, UTF-8 BOM, CRLF, decimal comma; one block per figure. */
export function reportCsv(r: StoredReport): string {
  let out = `\uFEFF${csvLine([r.definition.title])}${csvLine(['Zeitraum', `${r.from} bis ${r.to}`])}`;
  for (const f of r.figures) {
    out += `\r\n${csvLine([f.title])}${csvLine([f.explanation])}${csvLine(['', ...f.columns])}`;
    for (const row of f.rows) out += csvLine([row.label, ...row.cells.map(cellText)]);
  }
  return out;
}
