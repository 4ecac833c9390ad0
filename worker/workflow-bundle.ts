// How the workflow code is bundled — one place for the worker, the test run and the bundle CLI.
//
// Memory (issue 17, P4): webpack's bundling leaves ≈150 MB in a process's heap that it never gives
// back, so the worker bundles in a short-lived child process (worker/bundle-cli.ts) and loads the code.
// What a cached workflow costs is a different matter: with reuseV8Context (the SDK default) every
// workflow gets its own module cache, so every module the workflow code imports is evaluated again per
// cached workflow. zod alone was ≈2.5 MB of it, and the SDK's `preloadModules` cannot share zod (it
// deep-freezes shared modules; zod defines properties lazily: "Cannot define property safeParse,
// object is not extensible"). So the workflow bundle holds no zod (core/domain/chains/step-data.ts,
// core/domain/handoff-core.ts; rule in .dependency-cruiser-workflows.cjs) and preloads the pure domain
// modules below. See the README's "Worker memory".
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { BundleOptions } from '@temporalio/worker';

/**
 * The pure domain modules of the workflow bundle, preloaded once and shared by every workflow (the
 * SDK's `preloadModules`; it deep-freezes their exports): no per-workflow state, no zod, no I/O,
 * nothing mutated after load (working-days.ts memoizes holidays per year — the same answer for
 * every workflow). Not @temporalio/* (per-workflow state) and not search-attributes.ts (it loads
 * @temporalio/common). Saves ≈120 KB per cached chain (`npm run bench:worker-memory`, variant preload).
 */
export const PRELOADABLE_MODULES = [
  '../core/domain/chains/engine',
  '../core/domain/handoff-engine',
  '../core/domain/plan-timers',
  '../core/domain/inventory/offer-lifecycle',
].map((m) => require.resolve(m));

/**
 * Preloaded unless KIM_WORKER_PRELOAD=0. (It was off for a while: a cluster fault run left a chain's
 * workflow task failed with the modules preloaded — the cause turned out to be two pieces of engine work
 * interleaving, not preloading; workflows/chain.ts now runs them one at a time, test/chains/serial-work.test.ts.)
 */
export const workflowBundleOptions: Pick<BundleOptions, 'workflowsPath' | 'preloadModules'> = {
  workflowsPath: require.resolve('../workflows'),
  preloadModules: process.env.KIM_WORKER_PRELOAD === '0' ? [] : PRELOADABLE_MODULES,
};

/** The workflow bundle, built by worker/bundle-cli.ts in a child process (webpack's memory goes with it). */
export async function bundleInChildProcess(): Promise<{ code: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kim-bundle-'));
  const out = path.join(dir, 'workflows.js');
  try {
    await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(__dirname, 'bundle-cli.ts'), out], {
      cwd: path.join(__dirname, '..'),
      maxBuffer: 10 * 1024 * 1024,
    });
    return { code: fs.readFileSync(out, 'utf8') };
  } catch (err) {
    const stderr = String((err as { stderr?: string }).stderr ?? '').trim();
    throw new Error(stderr || (err as Error).message, { cause: err });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
