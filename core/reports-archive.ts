// The report archive (issue 16), shared by the on-demand route (api/services/reports.ts) and the
// scheduled run (activities/reports.ts, core/report-schedule.ts). A report's id is a UUID derived from
// definition and period; the scheduled run writes the report row and one link mail per recipient (the
// outbox's idempotency key `report:{id}:to:{address}`) in ONE transaction, so a retried activity or a
// worker killed mid-run makes no second report and no second mail.
import crypto from 'node:crypto';
import type { Db } from './db/client';
import type { Prisma } from './db/generated/client';
import { lastCompletePeriod, type Period } from './domain/report-figures';
import { isoDay } from './format/dates';
import { reportReadyMail } from './mail/report-templates';
import { computeFigures } from './report-figures-data';

/** a stable UUID (v5 layout) from definition and period */
export function reportId(definition: string, from: string, to: string): string {
  const h = crypto.createHash('sha256').update(`report:${definition}:${from}:${to}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const reportMailKey = (id: string, address: string) => `report:${id}:to:${address.toLowerCase()}`;

interface Def {
  id: string;
  title: string;
  period: string;
  sections: string[];
  recipients: string[];
}

/**
 * Computes (unless archived) and writes the report; with `mailTo`, also the link mails — report row and
 * mails in one transaction, each insert a no-op when its key exists.
 */
export async function archiveReport(
  db: Db,
  def: Def,
  p: { from: string; to: string },
  opts: { trigger: 'schedule' | 'demand'; createdById?: string | null; mailTo?: string[]; publicUrl?: string },
): Promise<{ id: string; created: boolean; mails: number }> {
  const id = reportId(def.id, p.from, p.to);
  const archived = await db.report.findUnique({ where: { id }, select: { id: true } });
  const figures = archived ? null : await computeFigures(db, def.sections, p);
  return db.$transaction(
    async (tx) => {
      const r = figures
        ? await tx.report.createMany({
            data: [
              {
                id,
                definitionId: def.id,
                from: p.from,
                to: p.to,
                trigger: opts.trigger,
                createdById: opts.createdById ?? null,
                figures: figures as unknown as Prisma.InputJsonValue,
              },
            ],
            skipDuplicates: true,
          })
        : { count: 0 };
      const to = [...new Set((opts.mailTo ?? []).map((a) => a.toLowerCase()))];
      const mail = reportReadyMail({ title: def.title, from: p.from, to: p.to, link: `${opts.publicUrl ?? ''}/berichte/${id}` });
      const m = to.length
        ? await tx.mail.createMany({
            data: to.map((address) => ({ idempotencyKey: reportMailKey(id, address), to: [address], ...mail })),
            skipDuplicates: true,
          })
        : { count: 0 };
      return { id, created: r.count === 1, mails: m.count };
    },
    { timeout: 60_000, maxWait: 20_000 },
  );
}

/**
 * The scheduled run: for every definition the period of its kind that ended last before the Berlin day
 * of `at`, archived (if not yet) and linked to each recipient (if not yet). Definitions in id order.
 */
export async function runScheduledReports(db: Db, publicUrl: string, at: Date) {
  const today = isoDay(at);
  const defs = await db.reportDefinition.findMany({ orderBy: { id: 'asc' } });
  const out: Array<{ definition: string; id: string; from: string; to: string; created: boolean; mails: number }> = [];
  for (const def of defs) {
    const p = lastCompletePeriod(def.period as Period, today);
    const r = await archiveReport(db, def, p, { trigger: 'schedule', mailTo: def.recipients, publicUrl });
    out.push({ definition: def.id, ...p, ...r });
  }
  return out;
}
