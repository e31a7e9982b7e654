// Builds the app and serves it on a fresh embedded database (seeded demo), as
// `npm start` does on a new machine, but in a throwaway data folder.
import { execSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const dataDir = path.resolve(".e2e-data");
fs.rmSync(dataDir, { recursive: true, force: true });
execSync("npx remix build", { stdio: "inherit" });

const server = spawn(process.execPath, ["server.js"], {
  stdio: "inherit",
  env: {
    ...process.env,
    NODE_ENV: "production",
    PORT: process.env.E2E_PORT ?? "3100",
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
  },
});
const stop = () => server.kill("SIGTERM");
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
server.on("exit", (code) => process.exit(code ?? 0));
