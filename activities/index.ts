// All activities the worker registers, built from their dependencies.
import { createCaseActivities } from './case';
import { createChainActivities } from './chain';
import { createHandoffActivities, type HandoffActivityDeps } from './handoff';
import { createInventoryActivities } from './inventory';
import { createReportActivities } from './reports';
import { createRetentionActivities } from './retention';

export type ActivityDeps = HandoffActivityDeps;

export function createActivities(deps: ActivityDeps) {
  return {
    ...createCaseActivities(deps),
    ...createHandoffActivities(deps),
    ...createChainActivities(deps),
    ...createRetentionActivities(deps),
    ...createInventoryActivities(deps),
    ...createReportActivities(deps),
  };
}
