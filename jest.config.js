// Tests run against real services (PostgreSQL, Temporal dev server, SMTP over sockets), started once
// per run by test/global-setup.ts on free ports in a temporary directory.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] }, // types are checked by `npm run typecheck`
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  // the cluster fault run (minutes) runs in its own CI phase: `npm run test:cluster`
  testPathIgnorePatterns: process.env.KIM_TEST_CLUSTER ? ['/node_modules/'] : ['/node_modules/', '<rootDir>/test/cluster/'],
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 60_000,
  maxWorkers: 2,
  verbose: true,
  // the Temporal SDK's native runtime keeps the process alive after the last test in in-band runs
  forceExit: true,
};
