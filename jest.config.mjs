// Jest runs the TypeScript sources as ES modules (Node 20 needs --experimental-vm-modules,
// which the npm scripts pass). SWC keeps decorator metadata, which NestJS DI relies on.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  },
];

const common = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    '^@custodia/tlog$': '<rootDir>/libs/tlog/src/index.ts',
  },
  testEnvironment: 'node',
};

export default {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/apps/*/src/**/*.spec.ts', '<rootDir>/libs/*/src/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      // *.pg.e2e-spec.ts need a PostgreSQL server (several sessions, several processes): they run
      // only when DATABASE_URL is set, as in .ci/run's second pass.
      testMatch: process.env.DATABASE_URL
        ? ['<rootDir>/test/**/*.e2e-spec.ts']
        : ['<rootDir>/test/**/!(*.pg).e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.mjs',
      globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
    },
    {
      ...common,
      displayName: 'browser',
      // The portal in Debian's headless Chromium (`npm run test:browser`; .ci/run installs it).
      testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.mjs',
      globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
    },
  ],
  // Per-test timeout: the process-level suites start the service on a new embedded database.
  testTimeout: 60000,
  forceExit: true,
};
