/** @type {import('jest').Config} */
const swc = [
  '@swc/jest',
  { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
];

// The @azure/functions package looks for the worker's virtual module '@azure/functions-core';
// mapping it to our shim lets tests capture real registrations, exactly as the local host does.
const shared = {
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: { '^@azure/functions-core$': '<rootDir>/host/functionsCore.ts' },
  testEnvironment: 'node',
};

module.exports = {
  ...shared,
  globalSetup: '<rootDir>/tests/setup/globalSetup.ts',
  globalTeardown: '<rootDir>/tests/setup/globalTeardown.ts',
  testTimeout: 30000,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/tests/unit/**/*.test.ts'] },
    { ...shared, displayName: 'integration', testMatch: ['<rootDir>/tests/integration/**/*.test.ts'] },
    { ...shared, displayName: 'e2e', testMatch: ['<rootDir>/tests/e2e/**/*.test.ts'] },
    // Headless Chromium (Debian's `chromium`, /usr/bin/chromium) driving the web app's flow.
    { ...shared, displayName: 'browser', testMatch: ['<rootDir>/tests/browser/**/*.test.ts'] },
  ],
};
