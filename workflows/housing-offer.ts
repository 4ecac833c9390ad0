// A housing offer as a durable process (issue 15): runs the pure lifecycle of
// core/domain/inventory/offer-lifecycle.ts. Ids only in input and history. While the flat is open, a
// timer asks the landlord after a while whether it is still available; without a confirmation it expires.
import { ApplicationFailure, condition, defineQuery, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';
import type { InventoryActivities } from '../activities/inventory';
import {
  isFinalOfferStatus,
  nextOfferStatus,
  type HousingOfferInput,
  type OfferAction,
  type OfferStatus,
} from '../core/domain/inventory/offer-lifecycle';

const { askLandlordStillAvailable, expireOffer } = proxyActivities<InventoryActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute' },
});

export const offerActionUpdate = defineUpdate<OfferStatus, [{ action: OfferAction }]>('offerAction');
export const offerStatusQuery = defineQuery<OfferStatus>('offerStatus');

export async function housingOfferWorkflow(input: HousingOfferInput): Promise<OfferStatus> {
  let status: OfferStatus = 'open';
  let changes = 0;
  let asked = 0;
  setHandler(
    offerActionUpdate,
    ({ action }) => {
      status = nextOfferStatus(status, action)!;
      changes++;
      return status;
    },
    {
      validator: ({ action }) => {
        if (!nextOfferStatus(status, action))
          throw ApplicationFailure.nonRetryable(`Aktion ${action} im Zustand ${status} nicht möglich`, 'WrongState');
      },
    },
  );
  setHandler(offerStatusQuery, () => status);

  while (!isFinalOfferStatus(status)) {
    const seen = changes;
    if (status !== 'open') {
      await condition(() => changes !== seen);
      continue;
    }
    if (await condition(() => changes !== seen, input.askAfterSeconds * 1000)) continue;
    asked++;
    await askLandlordStillAvailable({ offerId: input.offerId, n: asked });
    if (await condition(() => changes !== seen, input.expireAfterSeconds * 1000)) continue;
    // the record decides: a proposal claimed in PostgreSQL a moment ago wins over the timer
    if (await expireOffer({ offerId: input.offerId })) {
      status = 'expired';
      changes++;
    } else await condition(() => changes !== seen);
  }
  return status;
}
