// Baseline for the benchmarks: the smallest workflow with an update, on the same server.
import { condition, defineUpdate, setHandler } from '@temporalio/workflow';

export const bumpUpdate = defineUpdate<number, [number]>('bump');

export async function trivialWorkflow(): Promise<number> {
  let value = 0;
  let done = false;
  setHandler(bumpUpdate, (n) => {
    value += n;
    if (n < 0) done = true;
    return value;
  });
  await condition(() => done);
  return value;
}
