// Anonymised records (retention, workflows/retention.ts) are read-only: every change is refused with
// a 409 that says why. One place for the check and its German message.
import { formatDate } from '../../core/format/dates';
import { conflict } from '../errors';

export function refuseAnonymized(c: { anonymizedAt: Date | null }, what: 'Fall' | 'Person' = 'Fall') {
  if (c.anonymizedAt) {
    throw conflict(
      `${what === 'Fall' ? 'Der Fall' : 'Die Person'} wurde am ${formatDate(c.anonymizedAt)} anonymisiert (Löschfrist abgelaufen) und kann nicht mehr geändert werden.`,
    );
  }
}
