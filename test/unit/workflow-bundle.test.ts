// The workflow bundle as the worker builds it (worker/workflow-bundle.ts; the test run builds it in
// test/global-setup.ts with the same options) holds no zod and no Prisma — with reuseV8Context each
// cached workflow would evaluate them again (issue 17, P4) — and preloads the pure domain modules once for all
// workflows (KIM_WORKER_PRELOAD=0 turns that off).
// `npm run layers` (rule workflow-bundle-no-zod) checks the same on the import graph.
import fs from 'node:fs';
import { testEnv } from '../support/stack';
import { PRELOADABLE_MODULES } from '../../worker/workflow-bundle';

test('the workflow bundle holds no zod and no Prisma, and preloads the pure domain modules by default', () => {
  const code = fs.readFileSync(testEnv().workflowBundle, 'utf8');
  const modules = [...code.matchAll(/\/\*\*\*\/ "([^"]+)"/g)].map((m) => m[1]);
  expect(modules).toContain('./workflows/index.ts');
  expect(modules).toContain('./core/domain/chains/engine.ts');
  expect(modules.filter((m) => /node_modules\/(zod|@prisma|prisma)\//.test(m))).toEqual([]);
  expect(modules.filter((m) => /core\/db\/|core\/domain\/(handoff|chains\/schema|chains\/validation|fields|records)\.ts$/.test(m))).toEqual(
    [],
  );
  const preload = code.slice(code.indexOf('exports.preloadModules = function preloadModules()'), code.indexOf('exports.importWorkflows'));
  expect(PRELOADABLE_MODULES.length).toBeGreaterThan(0);
  for (const m of PRELOADABLE_MODULES) expect(preload).toContain(m.slice(m.lastIndexOf('/core/') + 1));
});
