// Who may see and change a case. Caseworkers: their own cases and their team's (department);
// supervisors: read all; admins: no case content; department members: only through tasks (later).
import type { AuthUser } from './auth';

export interface CaseScope { caseworkerId: string; departmentId: string | null }

export function canReadCase(user: AuthUser, c: CaseScope): boolean {
  if (user.role === 'supervisor') return true;
  if (user.role === 'caseworker') return c.caseworkerId === user.id || (!!user.departmentId && c.departmentId === user.departmentId);
  return false;
}

export function canChangeCase(user: AuthUser, c: CaseScope): boolean {
  return user.role === 'caseworker' && canReadCase(user, c);
}

/** Prisma filter for the cases a user may list. */
export function caseListFilter(user: AuthUser) {
  if (user.role === 'supervisor') return {};
  if (user.role === 'caseworker') {
    return { OR: [{ caseworkerId: user.id }, ...(user.departmentId ? [{ departmentId: user.departmentId }] : [])] };
  }
  return { id: '__none__' };
}
