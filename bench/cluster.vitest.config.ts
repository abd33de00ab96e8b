import { defineConfig } from 'vitest/config';

// The cluster benchmark is a program, not a test: it runs only when asked for (docs/cluster-audit.md):
//   npm run bench -- cluster   (or: npm run build && npx vitest run --config bench/cluster.vitest.config.ts)
export default defineConfig({
  test: {
    include: ['bench/cluster-audit.bench.ts'],
    testTimeout: 1_800_000,
    hookTimeout: 1_800_000,
    globalSetup: ['./test/control-plane/global-setup.ts'],
  },
});
