// Recording a consent through the API, as the caseworker does before a department may get case data.
import type { Stack } from './stack';

/** Consent of the case for these departments (default: every department); returns its id. */
export async function giveConsent(stack: Stack, token: string, caseId: string, departments?: string[]): Promise<string> {
  const all = departments ?? (await stack.db.department.findMany({ select: { id: true } })).map((d) => d.id);
  const r = await stack.api('POST', `/api/cases/${caseId}/consents`, {
    token,
    body: { departments: all, purpose: 'Test: Übergaben an Stellen', givenAt: new Date().toISOString() },
  });
  if (r.status !== 201) throw new Error(`consent: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.id as string;
}
