/** Unit and bundle tests run by default; suites that need the real stack live in test/integration
 *  and test/feature and are selected by the test script once the stack is installed. The fleet
 *  tests (test/fleet: a dozen real processes, minutes each) run only with MESHKIT_FLEET_TESTS=1,
 *  which scripts/test-fleet.sh sets. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', ...(process.env.MESHKIT_FLEET_TESTS === '1' ? [] : ['<rootDir>/test/fleet/'])],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }] },
  moduleNameMapper: { '^@meshkit/rebalance-observability$': '<rootDir>/src/index.ts' },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 60000,
  // Most files wait on real servers (rules evaluating, alerts firing, scrapes) rather than compute:
  // more workers than this machine's 2 cores keep the suite under 10 minutes. MESHKIT_TEST_WORKERS overrides.
  maxWorkers: Number(process.env.MESHKIT_TEST_WORKERS) || 4,
};
