// The household's size, derived (core/domain/household.ts): persons with a file + their current members;
// a lone person without members keeps the size typed at creation.
import { householdSizeOf } from '../../core/domain/household';

const m = (removed = false) => ({ removedAt: removed ? new Date('2026-01-01') : null });

it.each([
  [[{ householdSize: 4, householdMembers: [] }], 4],
  [[{ householdSize: null, householdMembers: [] }], 1],
  [[{ householdSize: 2, householdMembers: [m(), m(), m(true)] }], 3],
  [
    [
      { householdSize: 5, householdMembers: [m()] },
      { householdSize: null, householdMembers: [m(), m(true)] },
    ],
    4,
  ],
])('%j → %i', (persons, size) => {
  expect(householdSizeOf(persons)).toBe(size);
});
