// All activities the worker registers, built from their dependencies.
import { createCaseActivities, type ActivityDeps } from './case';

export function createActivities(deps: ActivityDeps) {
  return { ...createCaseActivities(deps) };
}
export type { ActivityDeps };
