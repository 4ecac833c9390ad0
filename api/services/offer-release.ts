// A viewing recorded as declined through the chain's own step route (API or process page), not through
// the offer's status route: the flat proposed to that household is open again (issue 15). The offer
// status route sets the flat open first and then completes the step, so there this finds nothing.
import { audit, type Actor } from '../../core/audit';
import type { Db } from '../../core/db/client';
import { housingOfferWorkflowId } from '../../core/domain/inventory/offer-lifecycle';
import type { Client } from '@temporalio/client';
import { offerActionUpdate } from '../../workflows/housing-offer';
import { callUpdate } from './workflow-calls';

export async function releaseOfferAfterDeclinedViewing(
  deps: { db: Db; temporal: Client },
  actor: Actor,
  processId: string,
  caseId: string,
): Promise<string[]> {
  const offers = await deps.db.housingOffer.findMany({
    where: { processId, status: { in: ['proposed', 'viewing'] } },
    select: { id: true, status: true, updatedAt: true },
  });
  const released: string[] = [];
  for (const o of offers) {
    const changed = await deps.db.housingOffer.updateMany({
      where: { id: o.id, status: o.status, updatedAt: o.updatedAt },
      data: { status: 'open', processId: null, proposedAt: null },
    });
    if (changed.count !== 1) continue;
    await callUpdate(() =>
      deps.temporal.workflow.getHandle(housingOfferWorkflowId(o.id)).executeUpdate(offerActionUpdate, { args: [{ action: 'declined' }] }),
    );
    await audit(deps.db, actor, 'offer.declined', { type: 'HousingOffer', id: o.id, caseId }, { from: o.status, to: 'open', via: 'step' });
    released.push(o.id);
  }
  return released;
}
