// Every workflow the worker registers.
export { caseWorkflow } from './case';
export { handoffWorkflow } from './handoff';
export { chainWorkflow } from './chain';
export { retentionWorkflow } from './retention';
export { housingOfferWorkflow } from './housing-offer';
export { partnerContactRemindersWorkflow, situationSnapshotWorkflow } from './inventory-routines';
export { scheduledReportsWorkflow } from './report-routines';
