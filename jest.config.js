/** One jest run starts one stack of services (test/stack/globalSetup.ts) shared by every test file. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/gateway', '<rootDir>/subgraphs', '<rootDir>/scripts', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
  globalSetup: '<rootDir>/test/stack/globalSetup.ts',
  globalTeardown: '<rootDir>/test/stack/globalTeardown.ts',
  testTimeout: 60000,
};
