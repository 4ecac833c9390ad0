// Runs a benchmark script's main(): Ctrl-C stops the services it started (no orphaned postgres or
// temporal), and the process exits once stdout is flushed (the SDK's native runtime would keep it alive).
import globalTeardown from '../global-teardown';

export function runBenchmark(main: () => Promise<void>) {
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      void globalTeardown().finally(() => process.exit(130));
    });
  main().then(
    () => process.stdout.write('', () => process.exit(0)),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
