// Driving chains in tests: the caseworker through the API, departments through the e-mail links
// the SMTP capture received (the way a department member acts).
import { giveConsent } from './consent';
import { eventually, type Stack } from './stack';

export function chainDriver(stack: Stack, caseworker: string) {
  const api = stack.api.bind(stack);

  /** A person and a case; with a consent covering every department unless `consent: false`. */
  async function newCase(person: Record<string, unknown> = {}, opts: { consent?: boolean } = {}) {
    const p = await api('POST', '/api/persons', {
      token: caseworker,
      body: { firstName: 'Kette', lastName: 'Test', benefitType: 'sgb2', ...person },
    });
    const c = await api('POST', '/api/cases', { token: caseworker, body: { personId: p.body.id, topic: 'housing' } });
    if (opts.consent !== false) await giveConsent(stack, caseworker, c.body.id);
    return c.body as { id: string; reference: string };
  }

  async function process(id: string) {
    const r = await api('GET', `/api/processes/${id}`, { token: caseworker });
    if (r.status !== 200) throw new Error(`GET process ${r.status}`);
    return r.body;
  }

  /**
   * Wait until `key` is a current step of the chain (one of its open steps) in one of the phases, and the
   * workflow has recorded entering it: the first step is in the read model from the start's own row
   * (api/services/chains.ts) before the workflow's first records land.
   */
  async function at(id: string, key: string, status: string | string[] = ['active', 'handoff', 'returned']) {
    const want = Array.isArray(status) ? status : [status];
    return eventually(
      async () => {
        const p = await process(id);
        // parallel branches: any open step (currentSteps), not only the first
        const open: Array<{ key: string; status: string }> = p.currentSteps ?? (p.currentStep ? [p.currentStep] : []);
        const recorded = (p.history as Array<{ step: string | null }>).some((h) => h.step === key);
        return recorded && open.some((s) => s.key === key && want.includes(s.status)) ? p : undefined;
      },
      30_000,
      50,
    );
  }

  async function complete(id: string, key: string, outcome: string, data?: Record<string, unknown>) {
    await at(id, key, ['active', 'returned', 'handoff']);
    const r = await api('POST', `/api/processes/${id}/steps/${key}/complete`, {
      token: caseworker,
      body: { outcome, ...(data ? { data } : {}) },
    });
    if (r.status !== 200) throw new Error(`complete ${key}/${outcome}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  /** The department acts through the link of the notification mail for this step's task. */
  async function departmentActs(id: string, key: string, action: 'accept' | 'complete' | 'decline', form: Record<string, string> = {}) {
    const p = await at(id, key, 'handoff');
    const step = [...p.steps].reverse().find((s: { key: string }) => s.key === key);
    const taskId = step.taskId as string;
    const tokens = await eventually(async () => {
      const rows = await stack.db.actionToken.findMany({ where: { taskId, action } });
      return rows.length ? rows : undefined;
    });
    const link = await eventually(() =>
      stack.capture
        .list()
        .flatMap((m) => m.links)
        .find((l) => tokens.some((t) => l.includes(`.${t.id}.`))),
    );
    const res = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    if (res.status !== 200) throw new Error(`${action} via link for ${key}: ${res.status} ${(await res.text()).slice(0, 500)}`);
    return taskId;
  }

  return { newCase, process, at, complete, departmentActs };
}
