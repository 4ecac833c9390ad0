// Situation analysis (Bestandsaufnahme, issue 15): needs (waiting households by size, their cap and
// time waiting) against offers (open flats by rooms and rent), the gaps in German text. Pure; figures
// only, never a person. The page, the CSV and the monthly snapshot all use this one function.
import { fitsQuick, roomRange, type MatchHousehold, type MatchOffer } from './matching';

export interface SituationRow {
  householdSize: string; // "1" … "5", "6+"
  waiting: number;
  medianWaitingDays: number | null;
  rentCap: number | null;
  openFlats: number; // open flats whose rooms suit this size
  fittingFlats: number; // of those, how many fit at least one waiting household of this size
  medianGrossRent: number | null;
  gap: number; // waiting − fittingFlats (≥ 0)
}
export interface Situation {
  district: string | null;
  waitingTotal: number;
  openTotal: number;
  rows: SituationRow[];
  gaps: string[];
}

const median = (xs: number[]) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return Math.round((s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2) * 10) / 10;
};
const bucket = (size: number) => (size >= 6 ? '6+' : String(Math.max(1, size)));
const BUCKETS = ['1', '2', '3', '4', '5', '6+'];
const persons = (b: string) => (b === '1' ? '1 Person' : b === '6+' ? '6 und mehr Personen' : `${b} Personen`);

/**
 * The households of a group reduced to their distinct matching profiles (the fields fitsQuick reads,
 * wish districts normalised and sorted): "fits at least one of them" is the same over the profiles,
 * and at district size (5,000 × 5,000) there are a few hundred profiles instead of thousands of
 * households (the situation analysis was O(flats × households), issue 15 / education15).
 */
function distinctProfiles(group: MatchHousehold[]): MatchHousehold[] {
  const seen = new Map<string, MatchHousehold>();
  for (const h of group) {
    const districts = [...new Set(h.wishDistricts.map(normDistrict))].sort();
    const key = `${h.size}|${h.rentCap}|${h.hasWbs}|${h.needsBarrierFree}|${districts.join('\u0000')}`;
    if (!seen.has(key)) seen.set(key, h);
  }
  return [...seen.values()];
}
const normDistrict = (s: string) => s.trim().toLocaleLowerCase('de-DE');

export function situation(households: MatchHousehold[], offers: MatchOffer[], opts: { now: Date; district?: string }): Situation {
  const d = opts.district?.trim().toLocaleLowerCase('de-DE');
  const hs = d
    ? households.filter((h) => !h.wishDistricts.length || h.wishDistricts.some((w) => w.toLocaleLowerCase('de-DE') === d))
    : households;
  const os = d ? offers.filter((o) => o.district.toLocaleLowerCase('de-DE') === d) : offers;
  const rows: SituationRow[] = BUCKETS.map((b) => {
    const group = hs.filter((h) => bucket(h.size) === b);
    const size = b === '6+' ? 6 : Number(b);
    const range = roomRange(size);
    const suitable = os.filter((o) => o.rooms >= range.min && o.rooms <= range.max);
    const profiles = distinctProfiles(group);
    const fitting = suitable.filter((o) => profiles.some((h) => fitsQuick(o, h)));
    const caps = group.map((h) => h.rentCap).filter((c): c is number => c !== null);
    const fittingFlats = fitting.length;
    return {
      householdSize: b,
      waiting: group.length,
      medianWaitingDays: median(group.map((h) => (opts.now.getTime() - Date.parse(h.waitingSince)) / 86_400_000)),
      rentCap: caps.length ? Math.max(...caps) : null,
      openFlats: suitable.length,
      fittingFlats,
      medianGrossRent: median(suitable.map((o) => o.coldRent + o.serviceCharges)),
      gap: Math.max(0, group.length - fittingFlats),
    };
  });
  const gaps = rows
    .filter((r) => r.gap > 0)
    .sort((a, b) => b.gap - a.gap)
    .map(
      (r) =>
        `Für Haushalte mit ${persons(r.householdSize)} fehlen ${r.gap} passende Wohnung${r.gap === 1 ? '' : 'en'} ` +
        `(${r.waiting} wartend, ${r.fittingFlats} passend frei${r.medianWaitingDays !== null ? `, Wartezeit im Median ${r.medianWaitingDays.toLocaleString('de-DE')} Tage` : ''}).`,
    );
  return { district: opts.district?.trim() || null, waitingTotal: hs.length, openTotal: os.length, rows, gaps };
}

export const SITUATION_CSV_HEADER = [
  'Haushaltsgröße',
  'Wartende Haushalte',
  'Wartezeit Median (Tage)',
  'Mietobergrenze (EUR)',
  'Freie Wohnungen (Zimmerzahl passend)',
  'Davon passend',
  'Bruttokaltmiete Median (EUR)',
  'Lücke',
];
export const situationCsvCells = (r: SituationRow) => [
  r.householdSize,
  r.waiting,
  r.medianWaitingDays?.toLocaleString('de-DE') ?? '',
  r.rentCap?.toLocaleString('de-DE') ?? '',
  r.openFlats,
  r.fittingFlats,
  r.medianGrossRent?.toLocaleString('de-DE') ?? '',
  r.gap,
];
