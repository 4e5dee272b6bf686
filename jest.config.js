/**
 * Jest 30 in native ESM mode (run through `node --experimental-vm-modules`). ts-jest only transpiles
 * (isolatedModules); `npm run typecheck` type-checks everything, tests included.
 */
const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^@app/(domain|auth|audit|kernel|access)$': '<rootDir>/libs/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
};

export default {
  // Global, not per project: Jest reads testTimeout only here (a project's own was ignored, so hooks
  // such as an app's start had 5 s, too little on a loaded 2-core machine).
  testTimeout: 30000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'db',
      testMatch: ['<rootDir>/test/**/*.spec.ts'],
      // Starts PostgreSQL (embedded, or DATABASE_URL), builds one migrated and seeded template
      // database; each test file works in its own copy of it.
      globalSetup: '<rootDir>/test/setup/global-setup.mjs',
      globalTeardown: '<rootDir>/test/setup/global-teardown.mjs',
    },
  ],
};
