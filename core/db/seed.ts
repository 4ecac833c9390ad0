// Demo data (API.md): departments and one user per role. Only with the embedded defaults or --seed.
// Idempotent: existing rows are left as they are.
import { hashPassword } from '../passwords';
import type { Db } from './client';

export const DEMO_DEPARTMENTS = [
  { id: '5-50', name: 'Soziale Förderung (5-50)', email: 'soziale-foerderung@kim.example', leadEmail: 'leitung-5-50@kim.example' },
  { id: '5-53', name: 'Soziale Stadtentwicklung – KIM (5-53)', email: 'kim-5-53@kim.example', leadEmail: 'leitung@kim.example' },
  { id: 'jobcenter', name: 'Jobcenter', email: 'jobcenter@kim.example', leadEmail: 'leitung-jobcenter@kim.example' },
  { id: 'wohnungsamt', name: 'Wohnungsamt', email: 'wohnungsamt@kim.example', leadEmail: 'leitung-wohnungsamt@kim.example' },
  { id: 'auslaenderbehoerde', name: 'Ausländerbehörde', email: 'auslaenderbehoerde@kim.example', leadEmail: 'leitung-abh@kim.example' },
  { id: 'agentur-fuer-arbeit', name: 'Agentur für Arbeit', email: 'agentur@kim.example', leadEmail: null },
  { id: 'schulamt', name: 'Schulamt / Kommunales Integrationszentrum', email: 'schulamt@kim.example', leadEmail: null },
  { id: 'bildungstraeger', name: 'Bildungsträger (Partner)', email: 'bildungstraeger@kim.example', leadEmail: null },
  { id: 'anerkennungsberatung', name: 'Anerkennungsberatung (Partner)', email: 'anerkennung@kim.example', leadEmail: null },
  // chains v2 content (issue 14): change of address, integration course, health
  { id: 'familienkasse', name: 'Familienkasse', email: 'familienkasse@kim.example', leadEmail: null },
  { id: 'bamf', name: 'Bundesamt für Migration und Flüchtlinge (BAMF)', email: 'bamf@kim.example', leadEmail: null },
  { id: 'psz', name: 'Psychosoziales Zentrum (Partner)', email: 'psz@kim.example', leadEmail: null },
] as const;

export const DEMO_USERS = [
  { email: 'fallmanagement@kim.example', name: 'Fallmanagement KIM', role: 'caseworker', departmentId: '5-53' },
  { email: 'soziale-foerderung@kim.example', name: 'Soziale Förderung', role: 'department_member', departmentId: '5-50' },
  { email: 'jobcenter@kim.example', name: 'Jobcenter Team', role: 'department_member', departmentId: 'jobcenter' },
  { email: 'leitung@kim.example', name: 'Leitung KIM', role: 'supervisor', departmentId: '5-53' },
  { email: 'admin@kim.example', name: 'Administration', role: 'admin', departmentId: null },
] as const;

export async function seedDemo(db: Db, password: string): Promise<{ created: number }> {
  let created = 0;
  for (const d of DEMO_DEPARTMENTS) {
    await db.department.upsert({ where: { id: d.id }, update: {}, create: d });
  }
  const hash = await hashPassword(password);
  for (const u of DEMO_USERS) {
    const existing = await db.user.findUnique({ where: { email: u.email } });
    if (existing) continue;
    await db.user.create({ data: { ...u, passwordHash: hash } });
    created++;
  }
  return { created };
}
