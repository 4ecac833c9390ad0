// The layer rule (README.md, "Layers"), checked by `npm run layers` (part of `npm run lint`).
// Type-only imports (`import type`) vanish at compile time and are allowed across layers where noted.
const NPM = ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-bundled', 'npm-no-pkg', 'npm-unknown'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-no-node',
      comment: 'core/domain runs inside the workflow sandbox too: no Node built-ins.',
      severity: 'error',
      from: { path: '^core/domain/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'domain-packages',
      comment: 'core/domain uses no npm package but zod and @temporalio/common (search-attribute keys; deterministic, workflow-safe).',
      severity: 'error',
      from: { path: '^core/domain/' },
      to: { dependencyTypes: NPM, pathNot: '^node_modules/(zod|@temporalio/common)/' },
    },
    {
      name: 'domain-inward',
      comment: 'core/domain depends on nothing else of ours.',
      severity: 'error',
      from: { path: '^core/domain/' },
      to: { path: '^(app|api|activities|core|worker|workflows)/', pathNot: '^core/domain/' },
    },
    {
      name: 'workflows-sandbox',
      comment:
        'Workflows are bundled into the deterministic sandbox: only core/domain, @temporalio/workflow and other workflows (type-only imports, e.g. of activities, are fine).',
      severity: 'error',
      from: { path: '^workflows/' },
      to: {
        dependencyTypesNot: ['type-only'],
        pathNot: ['^workflows/', '^core/domain/', '^node_modules/@temporalio/workflow/'],
      },
    },
    {
      name: 'core-not-outer',
      comment: 'core/ is shared by all sides: it imports neither api/ nor worker/ nor app/.',
      severity: 'error',
      from: { path: '^core/' },
      to: { path: '^(api|worker|app)/' },
    },
    {
      name: 'activities-not-api',
      comment: 'Activities run in the worker: no imports of api/.',
      severity: 'error',
      from: { path: '^activities/' },
      to: { path: '^api/' },
    },
    {
      name: 'app-is-the-root',
      comment: 'app/ is the composition root: only app/ imports it (tests may).',
      severity: 'error',
      from: { path: '^(api|activities|core|worker|workflows)/' },
      to: { path: '^app/' },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that does not resolve is a typo or a missing dependency.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules', '^core/db/generated/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.js', '.json'],
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
