import swc from 'unplugin-swc';
import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

// Nest's dependency injection reads decorator metadata, which esbuild does not emit; SWC does.
const decorators = () =>
  swc.vite({
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2023',
    },
  });

// The `cairn-source` export condition makes workspace packages resolve to their TypeScript sources: tests run
// the code as it is, never a stale build.
const shared = {
  plugins: [decorators()],
  resolve: { conditions: ['cairn-source', ...defaultClientConditions] },
  ssr: {
    resolve: {
      conditions: ['cairn-source', ...defaultServerConditions],
      externalConditions: ['cairn-source'],
    },
  },
};

const project = (
  name: string,
  include: string[],
  extra: Omit<NonNullable<TestProjectInlineConfiguration['test']>, 'name' | 'include'> = {},
): TestProjectInlineConfiguration => ({
  ...shared,
  test: { name, include, environment: 'node', ...extra },
});

export default defineConfig({
  test: {
    reporters: ['default', './infra/ci/summary-reporter.mjs'],
    projects: [
      project('unit', ['{backend,workflows,infra,infra/sandbox}/{src,test}/**/*.test.ts'], {
        exclude: ['**/*.{int,temporal,e2e}.test.ts', '**/node_modules/**'],
      }),
      project('integration', ['backend/test/**/*.int.test.ts'], {
        globalSetup: ['backend/test/support/postgres.global-setup.ts'],
        benchmark: { include: ['backend/bench/**/*.bench.ts'] },
        testTimeout: 30_000,
        hookTimeout: 60_000,
      }),
      project('temporal', ['{backend,workflows}/test/**/*.temporal.test.ts'], {
        globalSetup: [
          'backend/test/support/postgres.global-setup.ts',
          'backend/test/support/temporal.global-setup.ts',
        ],
        testTimeout: 60_000,
        hookTimeout: 120_000,
      }),
      project('e2e', ['frontend/e2e/**/*.e2e.test.ts'], {
        globalSetup: ['backend/test/support/stack.global-setup.ts'],
        testTimeout: 60_000,
        hookTimeout: 180_000,
        fileParallelism: false,
      }),
    ],
  },
});
