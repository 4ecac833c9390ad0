// German labels of the person's file (issue 13): gender, residence title, prospect of staying, relationship.
export const GENDER_LABELS: Record<string, string> = {
  female: 'weiblich',
  male: 'männlich',
  diverse: 'divers',
  unspecified: 'keine Angabe',
};
export const RESIDENCE_TITLE_LABELS: Record<string, string> = {
  german: 'deutsche Staatsangehörigkeit',
  eu: 'EU-Freizügigkeit',
  settlement_permit: 'Niederlassungserlaubnis',
  residence_permit: 'Aufenthaltserlaubnis',
  residence_permit_protection: 'Aufenthaltserlaubnis (Schutzstatus)',
  asylum_pending: 'Aufenthaltsgestattung (Asylverfahren)',
  toleration: 'Duldung',
  other: 'sonstiger',
};
export const PROSPECT_LABELS: Record<string, string> = { good: 'gut', unclear: 'unklar', low: 'gering' };
export const RELATIONSHIP_LABELS: Record<string, string> = {
  partner: 'Partner/in',
  child: 'Kind',
  parent: 'Elternteil',
  sibling: 'Geschwister',
  other: 'andere',
};
