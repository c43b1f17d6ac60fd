import { defineConfig } from "vitest/config";
import path from "node:path";

/** Browser and HTTP tests against the production build (`npm run build` first); `npm run test:e2e`. */
export default defineConfig({
  resolve: {
    alias: { "~": path.resolve(__dirname, "app"), "#db": path.resolve(__dirname, "db") },
  },
  test: {
    include: ["tests/e2e/**/*.test.ts"],
    environment: "node",
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: "forks",
    fileParallelism: false,
  },
});
