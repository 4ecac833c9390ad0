// Matching flats and waiting households (issue 15): a pure function, no I/O. For one flat and one
// household it says whether the flat fits and why (German reasons, one per rule); lists are ranked
// by fit first, then the longest-waiting household (or the earliest available flat).

export interface MatchOffer {
  id: string;
  district: string;
  rooms: number;
  livingSpace: number;
  /** Bruttokaltmiete = coldRent + serviceCharges is what the KdU cap limits */
  coldRent: number;
  serviceCharges: number;
  wbsRequired: boolean;
  barrierFree: boolean;
  availableFrom: string; // YYYY-MM-DD
}

export interface MatchHousehold {
  processId: string;
  caseReference: string;
  size: number;
  /** the appropriate rent cap (KdU) for the size and benefit type; null = no cap applies */
  rentCap: number | null;
  hasWbs: boolean;
  needsBarrierFree: boolean;
  /** empty = any district */
  wishDistricts: string[];
  /** since when the household waits for an offer (first entry into the offer step) */
  waitingSince: string; // ISO
}

/** The configurable household-size rule (defaults: NRW social housing, 50 m² for one person, +15 m² each further person). */
export interface SizeRule {
  /** most living space for one person */
  spaceFirst: number;
  /** more living space for each further person */
  spacePerExtra: number;
  /** fewest rooms: ceil(size × minRoomsPerPerson), at least 1 */
  minRoomsPerPerson: number;
  /** most rooms: size + extraRooms */
  extraRooms: number;
}
export const DEFAULT_SIZE_RULE: SizeRule = { spaceFirst: 50, spacePerExtra: 15, minRoomsPerPerson: 0.5, extraRooms: 1 };

export interface MatchResult {
  fits: boolean;
  reasons: string[];
}

// formatters built once: toLocaleString builds one per call (5,000 households × 5 reasons)
const EURO = new Intl.NumberFormat('de-DE', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const NUM = new Intl.NumberFormat('de-DE', { maximumFractionDigits: 1 });
const euro = (n: number) => `${EURO.format(n)} €`;
const num = (n: number) => NUM.format(n);
const norm = (s: string) => s.trim().toLocaleLowerCase('de-DE');

export function maxSpace(size: number, rule: SizeRule = DEFAULT_SIZE_RULE) {
  return rule.spaceFirst + Math.max(0, size - 1) * rule.spacePerExtra;
}
export function roomRange(size: number, rule: SizeRule = DEFAULT_SIZE_RULE) {
  return { min: Math.max(1, Math.ceil(size * rule.minRoomsPerPerson)), max: size + rule.extraRooms };
}

/** The same rules as matchOne without the reasons: for counting (the situation analysis) at size. */
export function fitsQuick(o: MatchOffer, h: MatchHousehold, rule: SizeRule = DEFAULT_SIZE_RULE): boolean {
  const rooms = roomRange(h.size, rule);
  if (o.rooms < rooms.min || o.rooms > rooms.max || o.livingSpace > maxSpace(h.size, rule)) return false;
  if (h.rentCap !== null && Math.round((o.coldRent + o.serviceCharges) * 100) / 100 > h.rentCap) return false;
  if ((o.wbsRequired && !h.hasWbs) || (h.needsBarrierFree && !o.barrierFree)) return false;
  if (!h.wishDistricts.length) return true;
  const d = norm(o.district);
  return h.wishDistricts.some((w) => norm(w) === d);
}

/** Does the flat fit the household? Every rule gives a reason, fitting or not. */
export function matchOne(o: MatchOffer, h: MatchHousehold, rule: SizeRule = DEFAULT_SIZE_RULE): MatchResult {
  const reasons: string[] = [];
  let fits = true;
  const no = (r: string) => {
    fits = false;
    reasons.push(r);
  };
  const persons = h.size === 1 ? '1 Person' : `${h.size} Personen`;
  const rooms = roomRange(h.size, rule);
  if (o.rooms < rooms.min) no(`zu wenige Zimmer: ${num(o.rooms)} für ${persons} (mindestens ${rooms.min})`);
  else if (o.rooms > rooms.max) no(`zu viele Zimmer: ${num(o.rooms)} für ${persons} (höchstens ${rooms.max})`);
  else reasons.push(`Zimmerzahl passt: ${num(o.rooms)} für ${persons}`);
  const space = maxSpace(h.size, rule);
  if (o.livingSpace > space) no(`Wohnfläche zu groß: ${num(o.livingSpace)} m² (höchstens ${num(space)} m² für ${persons})`);
  else reasons.push(`Wohnfläche passt: ${num(o.livingSpace)} m² (höchstens ${num(space)} m²)`);
  const gross = Math.round((o.coldRent + o.serviceCharges) * 100) / 100;
  if (h.rentCap === null) reasons.push(`keine Mietobergrenze (kein Leistungsbezug): Bruttokaltmiete ${euro(gross)}`);
  else if (gross > h.rentCap) no(`Miete über der Angemessenheitsgrenze: ${euro(gross)} > ${euro(h.rentCap)}`);
  else reasons.push(`Miete angemessen: ${euro(gross)} ≤ ${euro(h.rentCap)}`);
  if (o.wbsRequired && !h.hasWbs) no('Wohnberechtigungsschein erforderlich, liegt nicht vor');
  else if (o.wbsRequired) reasons.push('Wohnberechtigungsschein liegt vor');
  if (h.needsBarrierFree && !o.barrierFree) no('barrierefreie Wohnung nötig, diese ist nicht barrierefrei');
  else if (h.needsBarrierFree) reasons.push('barrierefrei wie benötigt');
  if (h.wishDistricts.length) {
    if (h.wishDistricts.some((d) => norm(d) === norm(o.district))) reasons.push(`Wunschstadtteil: ${o.district}`);
    else no(`nicht im Wunschstadtteil (${o.district}; gewünscht: ${h.wishDistricts.join(', ')})`);
  }
  return { fits, reasons };
}

const byFitThenWaiting = <T extends MatchResult & { household: MatchHousehold }>(a: T, b: T) =>
  Number(b.fits) - Number(a.fits) ||
  a.household.waitingSince.localeCompare(b.household.waitingSince) ||
  a.household.processId.localeCompare(b.household.processId);

/** For one open flat: every waiting household with its result, fitting ones first, longest waiting first. */
export function matchesForOffer(o: MatchOffer, households: MatchHousehold[], rule: SizeRule = DEFAULT_SIZE_RULE) {
  return households.map((household) => ({ household, ...matchOne(o, household, rule) })).sort(byFitThenWaiting);
}

/** For one waiting household: every open flat with its result, fitting ones first, earliest available first. */
export function matchesForHousehold(h: MatchHousehold, offers: MatchOffer[], rule: SizeRule = DEFAULT_SIZE_RULE) {
  return offers
    .map((offer) => ({ offer, ...matchOne(offer, h, rule) }))
    .sort(
      (a, b) =>
        Number(b.fits) - Number(a.fits) ||
        a.offer.availableFrom.localeCompare(b.offer.availableFrom) ||
        a.offer.id.localeCompare(b.offer.id),
    );
}

/** Wish districts from the search profile's free "area" text: "Bensberg, Refrath und Stadtmitte". */
export function wishDistrictsOf(area: unknown): string[] {
  if (typeof area !== 'string') return [];
  return area
    .split(/[,;/]|\bund\b|\boder\b/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0 && s.length <= 100)
    .slice(0, 20);
}

export interface RentCapEntry {
  householdSize: number;
  amount: number;
}
/** The cap for a household size from one municipality's valid entries; larger households than the table: the largest entry. */
export function rentCapFor(size: number, entries: RentCapEntry[]): number | null {
  if (!entries.length) return null;
  const exact = entries.find((e) => e.householdSize === size);
  if (exact) return exact.amount;
  const largest = [...entries].sort((a, b) => b.householdSize - a.householdSize)[0];
  return size > largest.householdSize ? largest.amount : null;
}
