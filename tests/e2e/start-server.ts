// Builds the app, seeds the demo and serves it on a fresh embedded database,
// as `npm start` does on a new machine, but in a throwaway data folder. Run
// by Playwright (playwright.config.ts, webServer) through tsx.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { buildApp, launchApp, ROOT, seedDemoInto } from "../../scripts/lib/app-process";

const dataDir = path.join(ROOT, ".e2e-data");
fs.rmSync(dataDir, { recursive: true, force: true });
buildApp();

const env = {
  NODE_ENV: "production" as const,
  DATA_DIR: dataDir,
  DATABASE_URL: "",
  SESSION_SECRET: "e2e-session-secret",
  // Every e2e test signs in from one IP; the limits themselves are covered by integration tests.
  DISABLE_RATE_LIMIT: "true",
  // Sign-up and password resets need the SMS code: the log provider also writes each message
  // here, where the tests read it (tests/e2e/sms-outbox.ts). Never set with a real provider.
  SMS_PROVIDER: "log",
  SMS_TEST_OUTBOX: path.join(dataDir, "sms-outbox"),
  LOG_LEVEL: "warn",
  // Plain HTTP on localhost, as a deployment without TLS is: no Secure cookies, so no
  // `upgrade-insecure-requests` either, which would send the redirects the seller app's queue
  // follows to https://localhost, where nothing listens.
  COOKIE_SECURE: "false",
};
process.stdout.write(await seedDemoInto(env));
// Then the rows with very long values that page-width.spec.ts walks every page with, into the same folder.
const longValues = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "tests/e2e/seed-long-values.ts")], {
  cwd: ROOT,
  env: { ...process.env, ...env },
  stdio: "inherit",
});
if (longValues.status !== 0)
  throw new Error(`seeding the long values failed (exit ${longValues.status ?? longValues.signal})`);
const server = await launchApp({ env, port: Number(process.env.E2E_PORT ?? 3100) });

const stop = () => void server.stop();
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
await server.exited;
process.exit(server.child.exitCode ?? 0);
