// Runs a benchmark script's main(): Ctrl-C stops the services it started (no orphaned postgres or
// temporal; `stop`, by default the test services of global-setup), and the process exits once stdout is
// flushed (the SDK's native runtime would keep it alive).
import globalTeardown from '../global-teardown';

export function runBenchmark(main: () => Promise<void>, stop: () => Promise<void> = globalTeardown) {
  // `on`, not `once`: under `npm run` a Ctrl-C reaches tsx's parent and this process, and the parent may
  // send it once more; with no listener left, tsx's own handler would then exit before the stop is done
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      void stop().finally(() => process.exit(130));
    });
  main().then(
    () => process.stdout.write('', () => process.exit(0)),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
