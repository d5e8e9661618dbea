/**
 * Two projects, so a reader finds each kind of test where he expects it and runs only what he needs:
 * - unit: every *.test.ts beside the code it tests (gateway/, subgraphs/, scripts/). Plain functions
 *   and in-process servers with stand-in services: no build, no database, no stack; runs in seconds.
 * - integration: test/, driving the gateway over HTTP. Its globalSetup compiles once and starts one
 *   stack (test/stack/globalSetup.ts) shared by every file; jest runs it only when a file of this
 *   project is selected, so `npm run test:unit` never starts it.
 */
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] };

module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      roots: ['<rootDir>/gateway', '<rootDir>/subgraphs', '<rootDir>/scripts'],
      testMatch: ['**/*.test.ts'],
      transform,
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.test.ts'],
      transform,
      globalSetup: '<rootDir>/test/stack/globalSetup.ts',
      globalTeardown: '<rootDir>/test/stack/globalTeardown.ts',
    },
  ],
  // A global option (jest ignores it inside a project): integration tests drive real processes.
  testTimeout: 60000,
};
