import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // End-to-end tests start an API server and run the Pulumi CLI.
    testTimeout: 300_000,
    hookTimeout: 180_000,
    pool: "forks",
    reporters: ["default"],
  },
});
