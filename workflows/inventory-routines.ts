// Routines of the inventory started by Temporal Schedules (core/inventory-schedules.ts): reminding
// responsible caseworkers of due partner contacts, and the monthly situation snapshot. No input but
// the time; the work and every name stay in the activities and PostgreSQL.
import { proxyActivities } from '@temporalio/workflow';
import type { InventoryActivities } from '../activities/inventory';

const acts = proxyActivities<InventoryActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes' },
});

export async function partnerContactRemindersWorkflow(): Promise<number> {
  return acts.remindDuePartnerContacts();
}

export async function situationSnapshotWorkflow(): Promise<{ month: string; created: boolean }> {
  return acts.takeSituationSnapshot();
}
