import path from "node:path";
import { defineConfig } from "vitest/config";

/**
 * Two projects over the same tests:
 *  - pglite: every test; the database is a fresh in-memory PGlite per test file.
 *  - postgres: the tests that touch the database (`*.db.test.ts`), each file on a
 *    fresh PostgreSQL database cloned from a migrated template.
 */
const alias = { "~": path.resolve(import.meta.dirname, "app") };
const shared = {
  environment: "node" as const,
  setupFiles: ["./tests/setup/fail-on-console-error.ts", "./tests/setup/database.ts"],
  testTimeout: 30_000,
  hookTimeout: 60_000,
  exclude: ["**/node_modules/**", "tests/e2e/**", "build/**", ".scratch/**"],
};

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          ...shared,
          name: "pglite",
          include: [
            "app/**/*.test.{ts,tsx}",
            "db/**/*.test.ts",
            "scripts/**/*.test.ts",
            "tests/integration/**/*.test.ts",
          ],
          env: { TEST_DB: "pglite" },
        },
      },
      {
        resolve: { alias },
        test: {
          ...shared,
          name: "postgres",
          include: [
            "app/**/*.db.test.{ts,tsx}",
            "db/**/*.db.test.ts",
            "scripts/**/*.db.test.ts",
            "tests/integration/**/*.db.test.ts",
          ],
          globalSetup: ["./tests/setup/postgres-template.ts"],
          env: { TEST_DB: "postgres" },
        },
      },
    ],
  },
});
