import { availableParallelism } from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";

/**
 * Two projects over the same tests:
 *  - pglite: every test; the database is a fresh in-memory PGlite per test file.
 *  - postgres: the tests that touch the database (`*.db.test.ts`), each file on a
 *    fresh PostgreSQL database cloned from a migrated template.
 * and the system tests (tests/system): the production build run as its own
 * processes (`node server.js`, the CLI scripts), started, killed and
 * restarted; each test says which database it gives them.
 */
const root = import.meta.dirname;
const alias = {
  "~": path.resolve(root, "app"),
  "#db": path.resolve(root, "db"),
  "#tests": path.resolve(root, "tests"),
};
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
    // Vitest's default is one worker fewer than the cores: on the 2-core CI
    // machine, one test file at a time, while the main process sat idle after
    // transforming. Test files share nothing (a database, a data folder and
    // ports of their own), so they run one per core.
    maxWorkers: availableParallelism(),
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
          globalSetup: ["./tests/setup/pglite-template.ts"],
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
      {
        resolve: { alias },
        test: {
          environment: "node",
          name: "system",
          include: ["tests/system/**/*.test.ts"],
          setupFiles: ["./tests/setup/fail-on-console-error.ts"],
          globalSetup: ["./tests/system/build.ts"],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          // Each test runs servers of its own; two at once would measure each other.
          fileParallelism: false,
        },
      },
    ],
  },
});
