// The matching rules, table-tested: for each case whether the flat fits the household and the German
// reason of every rule; ranking longest waiting first; wish districts; rent caps by size.
import {
  fitsQuick,
  matchesForHousehold,
  matchesForOffer,
  matchOne,
  rentCapFor,
  wishDistrictsOf,
  type MatchHousehold,
  type MatchOffer,
} from '../../core/domain/inventory/matching';
import { nextOfferStatus } from '../../core/domain/inventory/offer-lifecycle';

const offer: MatchOffer = {
  id: 'o1',
  district: 'Bensberg',
  rooms: 3,
  livingSpace: 75,
  coldRent: 550,
  serviceCharges: 150,
  wbsRequired: false,
  barrierFree: false,
  availableFrom: '2027-01-01',
};
const household: MatchHousehold = {
  processId: 'p1',
  caseReference: 'BG-2026-0001',
  size: 4,
  rentCap: 750,
  hasWbs: false,
  needsBarrierFree: false,
  wishDistricts: [],
  waitingSince: '2026-06-01T00:00:00.000Z',
};

const CASES: Array<[string, Partial<MatchOffer>, Partial<MatchHousehold>, boolean, string]> = [
  ['fits: 3 rooms, 75 m², 700 € for 4 persons', {}, {}, true, 'Miete angemessen: 700,00 € ≤ 750,00 €'],
  ['too few rooms', { rooms: 1 }, {}, false, 'zu wenige Zimmer: 1 für 4 Personen (mindestens 2)'],
  ['too many rooms', { rooms: 4 }, { size: 2 }, false, 'zu viele Zimmer: 4 für 2 Personen (höchstens 3)'],
  ['living space too large', { livingSpace: 70, rooms: 2 }, { size: 1 }, false, 'Wohnfläche zu groß: 70 m² (höchstens 50 m² für 1 Person)'],
  ['rent above cap', { coldRent: 650 }, {}, false, 'Miete über der Angemessenheitsgrenze: 800,00 € > 750,00 €'],
  ['rent exactly at cap', { coldRent: 600 }, {}, true, 'Miete angemessen: 750,00 € ≤ 750,00 €'],
  [
    'no cap without benefits',
    { coldRent: 900 },
    { rentCap: null },
    true,
    'keine Mietobergrenze (kein Leistungsbezug): Bruttokaltmiete 1.050,00 €',
  ],
  ['WBS required, missing', { wbsRequired: true }, {}, false, 'Wohnberechtigungsschein erforderlich, liegt nicht vor'],
  ['WBS required, present', { wbsRequired: true }, { hasWbs: true }, true, 'Wohnberechtigungsschein liegt vor'],
  ['barrier-free needed, not given', {}, { needsBarrierFree: true }, false, 'barrierefreie Wohnung nötig, diese ist nicht barrierefrei'],
  ['barrier-free needed and given', { barrierFree: true }, { needsBarrierFree: true }, true, 'barrierefrei wie benötigt'],
  ['wish district matches (case-insensitive)', {}, { wishDistricts: ['bensberg', 'Refrath'] }, true, 'Wunschstadtteil: Bensberg'],
  ['not in wish district', {}, { wishDistricts: ['Refrath'] }, false, 'nicht im Wunschstadtteil (Bensberg; gewünscht: Refrath)'],
];

describe('matchOne', () => {
  it.each(CASES)('%s', (_name, o, h, fits, reason) => {
    const r = matchOne({ ...offer, ...o }, { ...household, ...h });
    expect(r.fits).toBe(fits);
    expect(fitsQuick({ ...offer, ...o }, { ...household, ...h })).toBe(fits); // the counting path agrees
    expect(r.reasons).toContain(reason);
  });

  it('names every failing rule at once', () => {
    const r = matchOne({ ...offer, rooms: 1, coldRent: 900, wbsRequired: true }, household);
    expect(r.fits).toBe(false);
    expect(r.reasons.filter((x) => /zu wenige|über der|erforderlich/.test(x))).toHaveLength(3);
  });

  it('takes a configurable size rule', () => {
    const strict = { spaceFirst: 45, spacePerExtra: 10, minRoomsPerPerson: 1, extraRooms: 0 };
    expect(matchOne(offer, household, strict).fits).toBe(false); // 4 persons need 4 rooms, at most 75 m²
    expect(matchOne({ ...offer, rooms: 4 }, household, strict).fits).toBe(true);
  });
});

it('ranks fitting households first, longest waiting first', () => {
  const hs: MatchHousehold[] = [
    { ...household, processId: 'new', waitingSince: '2026-10-01T00:00:00Z' },
    { ...household, processId: 'old', waitingSince: '2026-01-01T00:00:00Z' },
    { ...household, processId: 'nofit-oldest', waitingSince: '2025-01-01T00:00:00Z', rentCap: 500 },
  ];
  expect(matchesForOffer(offer, hs).map((m) => [m.household.processId, m.fits])).toEqual([
    ['old', true],
    ['new', true],
    ['nofit-oldest', false],
  ]);
  const os = [
    { ...offer, id: 'late', availableFrom: '2027-03-01' },
    { ...offer, id: 'dear', coldRent: 900 },
    { ...offer, id: 'early', availableFrom: '2026-12-01' },
  ];
  expect(matchesForHousehold(household, os).map((m) => m.offer.id)).toEqual(['early', 'late', 'dear']);
});

it('reads wish districts from the search profile text and caps from the KdU table', () => {
  expect(wishDistrictsOf('Bensberg, Refrath und Stadtmitte; Moitzfeld')).toEqual(['Bensberg', 'Refrath', 'Stadtmitte', 'Moitzfeld']);
  expect(wishDistrictsOf(undefined)).toEqual([]);
  const caps = [
    { householdSize: 1, amount: 480 },
    { householdSize: 2, amount: 580 },
    { householdSize: 4, amount: 760 },
  ];
  expect(rentCapFor(2, caps)).toBe(580);
  expect(rentCapFor(6, caps)).toBe(760); // larger than the table: its largest entry
  expect(rentCapFor(3, caps)).toBeNull(); // a gap in the table: no cap from it
  expect(rentCapFor(1, [])).toBeNull();
});

it('offer lifecycle: declined returns to open, final states stay', () => {
  expect(nextOfferStatus('open', 'propose')).toBe('proposed');
  expect(nextOfferStatus('proposed', 'propose')).toBeUndefined();
  expect(nextOfferStatus('viewing', 'declined')).toBe('open');
  expect(nextOfferStatus('viewing', 'let')).toBe('let');
  expect(nextOfferStatus('let', 'withdrawn')).toBeUndefined();
  expect(nextOfferStatus('open', 'expire')).toBe('expired');
  expect(nextOfferStatus('proposed', 'expire')).toBeUndefined();
});
