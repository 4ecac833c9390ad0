// n move-out chains started through the API (person, case, consent, chain), 8 at a time: the waiting
// chains of the worker-memory benchmarks (bench:worker-memory, worker-heap-snapshot.ts).
import type { Stack } from '../support/stack';
import { giveConsent } from '../support/consent';

const CONCURRENCY = 8;

export async function startWaitingChains(stack: Stack, cw: string, n: number, progressEvery = 0) {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < n) {
        const p = await stack.api('POST', '/api/persons', { token: cw, body: { firstName: 'W', lastName: 'Ait', benefitType: 'sgb2' } });
        const c = await stack.api('POST', '/api/cases', { token: cw, body: { personId: p.body.id, topic: 'housing' } });
        await giveConsent(stack, cw, c.body.id);
        const r = await stack.api('POST', `/api/cases/${c.body.id}/chains`, { token: cw, body: { type: 'move-out' } });
        if (r.status !== 201) throw new Error(`start: ${r.status} ${JSON.stringify(r.body)}`);
        if (progressEvery && next % progressEvery === 0)
          console.log(`    ${next} chains started (${new Date().toISOString().slice(11, 19)})`);
      }
    }),
  );
}
