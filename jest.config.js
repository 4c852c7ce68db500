// eslint-disable-next-line @typescript-eslint/no-require-imports -- jest reads this file as CommonJS
const ts = require('typescript');

// Transpile only (isolatedModules): type-checking every test file in ts-jest tripled the run time
// on 2 cores (82 s instead of 27 s for test/foundation). Types are checked by `npm run typecheck`.
const { compilerOptions } = ts.readConfigFile(`${__dirname}/tsconfig.json`, ts.sys.readFile).config;

/**
 * Jest runs every test against real servers: test/support/global-setup.ts starts PostgreSQL +
 * FerretDB, Mailpit and the Temporal dev server once per run (see docs/README-foundation.md).
 * @type {import('jest').Config}
 */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testPathIgnorePatterns: ['/node_modules/', '/test/fixtures/', '/test/support/'],
  maxWorkers: 2, // 2 cores; the servers need some of them too
  testTimeout: 30_000,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: { ...compilerOptions, isolatedModules: true } }],
  },
};
