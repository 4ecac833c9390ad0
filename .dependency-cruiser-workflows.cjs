// The workflow bundle (issue 17, P4), checked by `npm run layers`: what webpack really puts into it —
// imports as they are after compilation, so type-only imports (which vanish) do not count. With
// reuseV8Context every cached workflow evaluates the bundle's modules again: zod alone costs ≈2.5 MB
// per workflow, so it stays out (the workflows use the zod-free checks of core/domain/chains/step-data.ts
// and core/domain/handoff-core.ts; the API keeps zod). Prisma and Node built-ins never belong there.
const { builtinModules } = require('node:module');

const builtins = builtinModules.filter((m) => !m.startsWith('_')).map((m) => m.replace(/[/]/g, '\\/'));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'workflow-bundle-no-zod',
      comment:
        'Nothing the workflow bundle loads (from workflows/index.ts) may load zod, Prisma or a Node built-in: use the zod-free checks (core/domain/chains/step-data.ts, core/domain/handoff-core.ts) and `import type` for types.',
      severity: 'error',
      from: { path: '^workflows/index\\.ts$' },
      to: {
        reachable: true,
        path: ['(^|/)node_modules/(zod|@prisma|prisma|\\.prisma)/', '^core/db/', `^(node:)?(${builtins.join('|')})$`],
      },
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules', '^core/db/generated/'] },
    tsPreCompilationDeps: false,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.js', '.json'],
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};
