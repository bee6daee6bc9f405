import { defineConfig } from "vitest/config"

/** `npm run test:faults`: the long fault-injection suites (cluster failover, sustained load). */
export default defineConfig({
  test: {
    include: ["tests/faults/**/*.fault.ts"],
    testTimeout: 180_000,
    hookTimeout: 90_000,
    fileParallelism: false,
  },
})
