import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 600_000,
    reporters: ['default', './test/summary-reporter.ts'],
    // `include` lives in each project: with `extends: true` vitest concatenates
    // the root's arrays with the project's, so a root include would pull every
    // test into the integration project as well.
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['test/integration/**', '**/node_modules/**'],
        },
      },
      {
        // Each integration file starts its own control plane (kine + kube-apiserver +
        // kube-controller-manager): one file at a time on 2 cores, and after the unit
        // tests so that they do not compete for CPU. The globalSetup builds the
        // binaries once when they are not cached (see docs/control-plane.md).
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
          globalSetup: ['./test/control-plane/global-setup.ts'],
          testTimeout: 120_000,
        },
      },
    ],
  },
});
