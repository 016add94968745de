// One Jest run covers every workspace. Specs (`*.spec.ts`) sit next to the code they
// describe; integration and end-to-end tests (`*.test.ts`) live in each package's `test/`.
const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2023' },
    module: { type: 'es6' },
  },
];

/** @type {import('jest').Config} */
const shared = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testPathIgnorePatterns: ['/node_modules/', '/generated/'],
};

/** @type {import('jest').Config} */
export default {
  // PGlite takes seconds to open; integration tests start real servers.
  testTimeout: 60_000,
  reporters: ['default', '<rootDir>/tools/jest/summary-reporter.cjs'],
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/**/src/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/**/test/**/*.test.ts', '<rootDir>/tests/**/*.test.ts'],
    },
  ],
};
