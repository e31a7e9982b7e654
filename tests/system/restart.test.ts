/**
 * A crash: the server on the embedded database is killed (kill -9, as the
 * OOM killer or a pulled plug would) and started again at once, as a
 * supervisor does. The dead server's lock on the data folder must not keep
 * the new one out, and what was written before the kill is still there.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchApp, runCli, type AppProcess } from "../../scripts/lib/app-process";
import { printedPassword, signIn } from "./sign-in";

const ADMIN_PHONE = "0973000499";
let dataDir: string;
let password: string;
const running: AppProcess[] = [];

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ghs-system-"));
  // Data to find again: an admin, made with the app stopped (PGlite: one process at a time).
  const created = await runCli("admin-create.ts", ["--phone", ADMIN_PHONE], { DATABASE_URL: "", DATA_DIR: dataDir });
  expect(created.code, created.output).toBe(0);
  password = printedPassword(created.output);
});
afterAll(async () => {
  await Promise.all(running.map((app) => app.stop()));
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const env = () => ({ NODE_ENV: "production", DATABASE_URL: "", DATA_DIR: dataDir, JOBS: "off", LOG_LEVEL: "warn" });

async function start(onOutput?: (output: string) => void) {
  const app = await launchApp({ env: env(), capture: true, onOutput, healthTimeoutMs: 60_000 });
  running.push(app);
  return app;
}

/** The session signed in before the crash still opens the admin's page: the rows written before it are there. */
async function stillSignedIn(app: AppProcess, cookie: string) {
  const page = await fetch(`${app.origin}/admin/payouts`, { headers: { cookie }, redirect: "manual" });
  expect(page.status).toBe(200);
}

describe("kill -9 on the embedded database, then start again at once", () => {
  it("comes up healthy with its data", async () => {
    const first = await start();
    const cookie = await signIn(first.origin, ADMIN_PHONE, password);

    first.child.kill("SIGKILL");
    // Not waiting for it to be gone: the new server starts while the old one may still be dying.
    const second = await start();
    await first.exited;
    expect(first.child.signalCode).toBe("SIGKILL");

    expect((await fetch(`${second.origin}/healthz`)).status).toBe(200);
    await stillSignedIn(second, cookie);
    await signIn(second.origin, ADMIN_PHONE, password);
  });

  it("waits for a killed server that still holds the data folder, instead of refusing to start", async () => {
    const old = running.at(-1)!;
    const cookie = await signIn(old.origin, ADMIN_PHONE, password);
    // Started while the old server still runs; once the new one says it waits, the old one is killed.
    let saidItWaits!: () => void;
    const waiting = new Promise<void>((resolve) => (saidItWaits = resolve));
    const next = start((output) => output.includes(`still open in process ${old.child.pid}`) && saidItWaits());
    await Promise.race([waiting, next]);
    old.child.kill("SIGKILL");

    const app = await next;
    expect(app.output()).toContain("waiting up to 5 s for it to close");
    await stillSignedIn(app, cookie);
  });
});
