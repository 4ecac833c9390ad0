// German labels of audit actions (core/audit.ts writes the machine names) and of audit roles, for the
// per-case audit viewer, its CSV and the Art. 15 export. An unknown action shows its machine name.
const ACTIONS: Record<string, string> = {
  'case.read': 'Fall gelesen',
  'case.create': 'Fall angelegt',
  'case.status': 'Status geändert',
  'case.followup.set': 'Wiedervorlage gesetzt',
  'case.consent.add': 'Einwilligung erfasst',
  'case.audit.read': 'Protokoll angesehen',
  'case.audit.export': 'Protokoll exportiert',
  'followup.reminded': 'Wiedervorlage erinnert',
  'person.create': 'Person angelegt',
  'person.read': 'Person gelesen',
  'person.export': 'Auskunft (Art. 15) erstellt',
  'task.create': 'Übergabe angelegt',
  'task.read': 'Übergabe gelesen',
  'task.created': 'Übergabe erstellt',
  'task.notified': 'Stelle benachrichtigt',
  'task.accepted': 'Übergabe angenommen',
  'task.declined': 'Übergabe abgelehnt',
  'task.completed': 'Übergabe erledigt',
  'task.forwarded': 'Übergabe weitergeleitet',
  'task.cancelled': 'Übergabe zurückgezogen',
  'task.reminder': 'Erinnerung an die Stelle',
  'task.escalation': 'Eskalation (Übergabe)',
  'process.start': 'Kette gestartet',
  'process.read': 'Prozess gelesen',
  'process.reconcile': 'Lesemodell abgeglichen',
  'process.chain.started': 'Kette begonnen',
  'process.chain.completed': 'Kette abgeschlossen',
  'process.chain.cancelled': 'Kette abgebrochen',
  'process.chain.held': 'Kette angehalten',
  'process.chain.resumed': 'Kette fortgesetzt',
  'process.chain.reassigned': 'Kette übertragen',
  'process.step.waiting': 'Schritt wartet',
  'process.step.started': 'Schritt begonnen',
  'process.step.handoff': 'Schritt an Stelle übergeben',
  'process.step.returned': 'Schritt zurückgegeben',
  'process.step.retry': 'Übergabe erneut versucht',
  'process.step.completed': 'Schritt erledigt',
  'process.step.skipped': 'Schritt übersprungen',
  'process.step.reminder': 'Erinnerung (Schritt)',
  'process.step.escalation': 'Eskalation (Schritt)',
  'process.step.review': 'Vorlage bei der Leitung',
};

const ROLES: Record<string, string> = {
  caseworker: 'Fallmanagement', department_member: 'Fachstelle', supervisor: 'Leitung', admin: 'Administration',
  system: 'System', link: 'E-Mail-Link', user: 'Benutzer/in', anonymous: 'nicht angemeldet',
};

const ENTITIES: Record<string, string> = {
  Case: 'Fall', Person: 'Person', Task: 'Übergabe', Process: 'Prozess', FollowUp: 'Wiedervorlage', Consent: 'Einwilligung',
};

export const auditActionLabel = (action: string) => ACTIONS[action] ?? action;
export const auditRoleLabel = (role: string | null | undefined) => (role ? ROLES[role] ?? role : '');
export const auditEntityLabel = (type: string) => ENTITIES[type] ?? type;
