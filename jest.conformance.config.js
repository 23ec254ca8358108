/**
 * `npm run test:conformance`: the scenarios of tests/conformance on each engine named in
 * CONFORMANCE_ENGINES (default `local`), outside `npm test` since each engine runs the whole app.
 * Same transform, module mapping and emulators (global set-up) as the other tiers.
 */
const base = require('./jest.config.js');

const { projects: _tiers, ...shared } = base;

/** @type {import('jest').Config} */
module.exports = {
  ...shared,
  rootDir: __dirname,
  displayName: 'conformance',
  testMatch: ['<rootDir>/tests/conformance/**/*.test.ts'],
  // Scenarios wait for durable timers of about a second, on two engines one after the other.
  testTimeout: 120_000,
};
