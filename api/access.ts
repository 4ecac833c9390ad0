// Who may do what: the role sets the page routes declare (pages/page-route.ts), the per-role visibility
// rules the pages and services ask by name, and the case-level rules. Caseworkers: their own cases and
// their team's (department); supervisors: read all; admins: no case content; department members: only
// through tasks. One place for the rules, so that an organisation level later is a change here.
import type { Prisma, Role } from '../core/db/generated/client';
import { forbidden } from './errors';
import type { AuthUser } from './auth';

/** Role sets of the page routes and the rules below. */
export const ROLES = {
  /** read case files: the case list, case pages, process pages, person names */
  caseFiles: ['caseworker', 'supervisor'],
  /** work on cases: persons, cases, follow-ups, status, consents, chains, handoffs, step outcomes */
  caseWork: ['caseworker'],
  /** act on a handoff for the department: accept, decline, complete, forward */
  departmentWork: ['department_member'],
  /** a task inbox: department members (their department's), caseworkers (their cases'), supervisors (all) */
  taskInbox: ['department_member', 'caseworker', 'supervisor'],
  /** the dashboard (/leitung): supervisors all, caseworkers their own scope */
  dashboard: ['supervisor', 'caseworker'],
  /** hold, resume and reassign a chain */
  chainSteering: ['caseworker', 'supervisor'],
  /** reassign all chains of one caseworker at once; the audit log of a case */
  supervision: ['supervisor'],
  /** deadline rules */
  administration: ['admin'],
  /** the Art. 15 export of a person */
  personExport: ['caseworker', 'supervisor'],
} as const satisfies Record<string, readonly Role[]>;

export type RoleSet = readonly Role[];
interface HasRole {
  role: string;
}
const within = (set: RoleSet) => (user: HasRole) => (set as readonly string[]).includes(user.role);

/** sees the case list and person names (and may search by name) */
export const seesCaseFiles = within(ROLES.caseFiles);
/** creates persons and cases and records everything on a case */
export const worksOnCases = within(ROLES.caseWork);
export const hasTaskInbox = within(ROLES.taskInbox);
export const seesDashboard = within(ROLES.dashboard);
export const steersChains = within(ROLES.chainSteering);
/** only the case's caseworker side ends a chain for good */
export const cancelsChains = within(ROLES.caseWork);
export const recordsStepOutcomes = within(ROLES.caseWork);
/** the supervisor's console (/leitung in the navigation) */
export const supervises = within(ROLES.supervision);
export const reassignsInBulk = within(ROLES.supervision);
export const readsCaseAudit = within(ROLES.supervision);
export const exportsPersonData = within(ROLES.personExport);
export const administersDeadlines = within(ROLES.administration);
/** the Temporal Web UI link is for the technical side (supervisors, admins), not for caseworkers */
export const seesTemporalLink = (user: HasRole) => user.role !== 'caseworker';

/** a department member acts on the tasks of their own department; the case's caseworker may cancel */
export function taskActionsFor(user: Pick<AuthUser, 'role' | 'departmentId'>, t: { departmentId: string; status: string }): string[] {
  if (!['notified', 'accepted', 'created', 'forwarded'].includes(t.status)) return [];
  if (user.role === 'department_member' && user.departmentId === t.departmentId) {
    return t.status === 'accepted' ? ['complete', 'decline', 'forward'] : ['accept', 'complete', 'decline', 'forward'];
  }
  return worksOnCases(user) ? ['cancel'] : [];
}

export interface CaseScope {
  caseworkerId: string;
  departmentId: string | null;
}

export function canReadCase(user: AuthUser, c: CaseScope): boolean {
  if (user.role === 'supervisor') return true;
  if (user.role === 'caseworker') return c.caseworkerId === user.id || (!!user.departmentId && c.departmentId === user.departmentId);
  return false;
}

export function canChangeCase(user: AuthUser, c: CaseScope): boolean {
  return worksOnCases(user) && canReadCase(user, c);
}

/** Prisma filter for the cases a user may list. */
export function caseListFilter(user: AuthUser) {
  if (user.role === 'supervisor') return {};
  if (user.role === 'caseworker') {
    return { OR: [{ caseworkerId: user.id }, ...(user.departmentId ? [{ departmentId: user.departmentId }] : [])] };
  }
  return { id: '__none__' };
}

/** Which tasks a user may list: department members their department's, caseworkers their cases', supervisors all. */
export function taskFilter(user: AuthUser, department?: string): Prisma.TaskWhereInput {
  if (user.role === 'department_member') {
    if (department && department !== user.departmentId) throw forbidden('Nur Aufgaben der eigenen Stelle.');
    return { departmentId: user.departmentId ?? '__none__' };
  }
  if (user.role === 'supervisor') return department ? { departmentId: department } : {};
  if (user.role === 'caseworker') {
    return {
      case: { OR: [{ caseworkerId: user.id }, ...(user.departmentId ? [{ departmentId: user.departmentId }] : [])] },
      ...(department ? { departmentId: department } : {}),
    };
  }
  throw forbidden();
}

export function canSeeTask(user: AuthUser, t: { departmentId: string; case: { caseworkerId: string; departmentId: string | null } }) {
  if (user.role === 'department_member') return t.departmentId === user.departmentId;
  return canReadCase(user, t.case);
}
