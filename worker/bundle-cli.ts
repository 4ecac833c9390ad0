// `node --import tsx worker/bundle-cli.ts <file>`: bundles the workflow code (worker/workflow-bundle.ts)
// into <file> and exits. The worker runs it as a child process, so webpack's memory (≈150 MB that the
// heap never gives back) stays out of the long-running worker.
import fs from 'node:fs';
import { bundleWorkflowCode, type Logger } from '@temporalio/worker';
import { workflowBundleOptions } from './workflow-bundle';

const quiet: Logger = { log() {}, trace() {}, debug() {}, info() {}, warn: (m) => console.warn(m), error: (m) => console.error(m) };

async function main(out: string | undefined) {
  if (!out) throw new Error('Aufruf: worker/bundle-cli.ts <Zieldatei>');
  const { code } = await bundleWorkflowCode({ ...workflowBundleOptions, logger: quiet });
  fs.writeFileSync(out, code, { mode: 0o600 });
}

main(process.argv[2]).catch((err) => {
  console.error(`Workflow-Code konnte nicht gebündelt werden: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
