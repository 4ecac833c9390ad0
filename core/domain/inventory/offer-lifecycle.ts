// The lifecycle of a housing offer (pure; the workflow workflows/housing-offer.ts runs it):
// open → proposed → viewing → let; declined (proposed/viewing) → open; withdrawn from any open state;
// expired when the landlord does not confirm in time.
export const OFFER_STATUSES = ['open', 'proposed', 'viewing', 'let', 'withdrawn', 'expired'] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];
export const OFFER_ACTIONS = ['propose', 'viewing', 'let', 'declined', 'withdrawn', 'confirm', 'expire'] as const;
export type OfferAction = (typeof OFFER_ACTIONS)[number];

const TRANSITIONS: Record<OfferAction, Partial<Record<OfferStatus, OfferStatus>>> = {
  propose: { open: 'proposed' },
  viewing: { proposed: 'viewing' },
  let: { proposed: 'let', viewing: 'let' },
  declined: { proposed: 'open', viewing: 'open' },
  withdrawn: { open: 'withdrawn', proposed: 'withdrawn', viewing: 'withdrawn' },
  confirm: { open: 'open' },
  expire: { open: 'expired' },
};

export const OFFER_STATUS_LABELS: Record<OfferStatus, string> = {
  open: 'frei',
  proposed: 'vorgeschlagen',
  viewing: 'Besichtigung',
  let: 'vermietet',
  withdrawn: 'zurückgezogen',
  expired: 'abgelaufen',
};

/** The next status, or undefined when the action is not possible now. */
export function nextOfferStatus(status: OfferStatus, action: OfferAction): OfferStatus | undefined {
  return TRANSITIONS[action][status];
}

export const isFinalOfferStatus = (s: OfferStatus) => s === 'let' || s === 'withdrawn' || s === 'expired';

export const housingOfferWorkflowId = (offerId: string) => `housing-offer-${offerId}`;

export interface HousingOfferInput {
  offerId: string;
  /** the landlord is asked whether the flat is still available after this many seconds open */
  askAfterSeconds: number;
  /** … and it expires this many seconds after the question without a confirmation */
  expireAfterSeconds: number;
}
