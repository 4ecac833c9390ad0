// Departments (Stellen) as the pages list them: id and name, by name.
import type { Db } from '../../core/db/client';

export interface DepartmentRef {
  id: string;
  name: string;
}

export function listDepartments(db: Db, opts: { except?: string } = {}): Promise<DepartmentRef[]> {
  return db.department.findMany({
    where: opts.except ? { id: { not: opts.except } } : {},
    orderBy: { name: 'asc' },
    select: { id: true, name: true },
  });
}

/** A department's name from a list, else its id (a department removed since). */
export const departmentName = (departments: DepartmentRef[], id?: string | null) =>
  id ? (departments.find((d) => d.id === id)?.name ?? id) : '';

export async function departmentExists(db: Db, id: string) {
  return Boolean(await db.department.findUnique({ where: { id }, select: { id: true } }));
}
