// Every workflow the worker registers.
export { caseWorkflow } from './case';
