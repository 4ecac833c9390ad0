// Report definitions (issue 16): per recipient (ASWDG, JHA, KI seeded; more added by an admin) the
// period, the sections (figures of core/domain/report-figures.ts) and the recipients' e-mail addresses,
// to whom the scheduled run (core/reports-archive.ts) mails a link. Admins only; every change audited.
import { z } from 'zod';
import { audit, type Actor } from '../../core/audit';
import type { Db } from '../../core/db/client';
import { FIGURES, PERIOD_LABELS, type FigureId, type Period } from '../../core/domain/report-figures';
import { conflict, notFound } from '../errors';

const FIGURE_IDS = Object.keys(FIGURES) as [FigureId, ...FigureId[]];
const PERIODS = Object.keys(PERIOD_LABELS) as [Period, ...Period[]];
const EMAIL = /^[^\s@<>,;"]{1,64}@[a-z0-9-]+(\.[a-z0-9-]+)+$/i;

const fields = {
  title: z
    .string({ error: 'title: Name des Berichts bzw. Empfängers fehlt' })
    .trim()
    .min(3, 'title: mindestens 3 Zeichen')
    .max(200, 'title: höchstens 200 Zeichen'),
  period: z.enum(PERIODS, { error: 'period: Quartal, Halbjahr oder Jahr (quarter, half_year, year) wählen' }),
  sections: z
    .array(z.enum(FIGURE_IDS, { error: 'sections: unbekannte Kennzahl' }), { error: 'sections: Liste von Kennzahlen erwartet' })
    .min(1, 'sections: mindestens eine Kennzahl wählen')
    .refine((s) => new Set(s).size === s.length, 'sections: jede Kennzahl nur einmal'),
  recipients: z
    .array(
      z
        .string({ error: 'recipients: E-Mail-Adresse erwartet' })
        .trim()
        .max(254, 'recipients: Adresse zu lang')
        .regex(EMAIL, 'recipients: keine gültige E-Mail-Adresse'),
      { error: 'recipients: Liste von E-Mail-Adressen erwartet' },
    )
    .max(50, 'recipients: höchstens 50 Empfänger'),
};

export const reportDefinitionUpdate = z.strictObject(fields);
export const reportDefinitionInput = z.strictObject({
  id: z
    .string({ error: 'id: Kürzel fehlt' })
    .regex(/^[a-z0-9-]{2,40}$/, 'id: 2–40 Kleinbuchstaben, Ziffern oder Bindestriche (z. B. „integrationsrat“)'),
  ...fields,
});
export type ReportDefinitionInput = z.infer<typeof reportDefinitionInput>;

export const reportDefinitionItem = z.object({
  id: z.string(),
  title: z.string(),
  period: z.string(),
  sections: z.array(z.string()),
  recipients: z.array(z.string()),
});

const clean = (d: { id: string; title: string; period: string; sections: string[]; recipients: string[] }) => ({
  id: d.id,
  title: d.title,
  period: d.period,
  sections: d.sections,
  recipients: d.recipients,
});
const normal = (recipients: string[]) => [...new Set(recipients.map((r) => r.toLowerCase()))];

export async function listReportDefinitions(db: Db) {
  return (await db.reportDefinition.findMany({ orderBy: { id: 'asc' } })).map(clean);
}

export async function getReportDefinition(db: Db, id: string) {
  const d = /^[a-z0-9-]{1,40}$/.test(id) ? await db.reportDefinition.findUnique({ where: { id } }) : null;
  if (!d) throw notFound('Berichtsart nicht gefunden.');
  return clean(d);
}

/** A new definition; the same submission again (identical values) answers as the first, another one with a taken id 409. */
export async function createReportDefinition(db: Db, actor: Actor, input: ReportDefinitionInput) {
  const data = { ...input, recipients: normal(input.recipients) };
  const r = await db.reportDefinition.createMany({ data: [data], skipDuplicates: true });
  if (r.count === 0) {
    const existing = clean(await db.reportDefinition.findUniqueOrThrow({ where: { id: input.id } }));
    if (JSON.stringify(existing) === JSON.stringify(clean({ ...data }))) return { id: input.id };
    throw conflict(`id: Das Kürzel „${input.id}“ ist schon vergeben.`);
  }
  await audit(db, actor, 'report-definition.create', { type: 'ReportDefinition', id: input.id }, { period: input.period });
  return { id: input.id };
}

export async function updateReportDefinition(db: Db, actor: Actor, id: string, input: z.infer<typeof reportDefinitionUpdate>) {
  await getReportDefinition(db, id);
  await db.reportDefinition.update({ where: { id }, data: { ...input, recipients: normal(input.recipients) } });
  await audit(db, actor, 'report-definition.update', { type: 'ReportDefinition', id }, { period: input.period });
  return { id };
}
