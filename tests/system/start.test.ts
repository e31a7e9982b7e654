/**
 * Starting the production server: what the person at the terminal sees
 * when it cannot start. Always one plain sentence, no stack trace, exit 1.
 */
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, launchApp, type LaunchOptions } from "../../scripts/lib/app-process";

let dataDir: string;
beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ghs-system-"));
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const embedded = () => ({
  NODE_ENV: "production",
  DATA_DIR: dataDir,
  DATABASE_URL: "",
  JOBS: "off",
  LOG_LEVEL: "warn",
});

/** Starts a server that must fail; returns the one line it printed after "Gian Hàng Số cannot start: ". */
async function cannotStart(options: Partial<LaunchOptions>): Promise<string> {
  const error = await launchApp({ env: embedded(), capture: true, healthTimeoutMs: 60_000, ...options }).then(
    () => null,
    (e: Error) => e,
  );
  expect(error?.message).toMatch(/exited \(1\)/);
  expect(error?.message).not.toMatch(/\n\s+at /);
  // Log lines may come first (JSON); the last thing printed is the sentence, on one line.
  const output = error!.message.trimEnd();
  const match = /\nGian Hàng Số cannot start: ([^\n]+)$/.exec(output);
  expect(match, output).not.toBeNull();
  return match![1];
}

describe("a server that cannot start", () => {
  it("says in one sentence that the port is taken", async () => {
    const port = await freePort();
    const taken = net.createServer().listen(port, "0.0.0.0");
    await new Promise((resolve) => taken.once("listening", resolve));
    try {
      expect(await cannotStart({ port })).toMatch(`port ${port} is already in use by another program`);
    } finally {
      taken.close();
    }
  });

  it("says in one sentence that PostgreSQL does not answer", async () => {
    const closed = await freePort();
    const sentence = await cannotStart({
      env: {
        ...embedded(),
        DATABASE_URL: `postgres://postgres:secret-password@127.0.0.1:${closed}/ghs`,
        SESSION_SECRET: "system-test-session-secret",
      },
    });
    expect(sentence).toBe(
      `PostgreSQL 127.0.0.1:${closed}/ghs does not answer (connect ECONNREFUSED 127.0.0.1:${closed}): ` +
        "start it, or point DATABASE_URL at a running server.",
    );
    expect(sentence).not.toContain("secret-password");
  });

  it("names every bad environment variable in one sentence", async () => {
    const sentence = await cannotStart({
      env: { ...embedded(), DATABASE_URL: "mysql://db/ghs", ORDER_CONFIRM_HOURS: "500" },
    });
    expect(sentence).toMatch(
      /^Invalid environment configuration: DATABASE_URL: must start with postgres:\/\/[^;]*; ORDER_CONFIRM_HOURS: /,
    );
  });

  it("says in one sentence that another process has the embedded database, after waiting for it", async () => {
    const holder = await launchApp({ env: embedded(), capture: true, healthTimeoutMs: 60_000 });
    try {
      const started = performance.now();
      const sentence = await cannotStart({});
      expect(performance.now() - started).toBeGreaterThan(5_000);
      expect(sentence).toMatch(
        `the embedded database in ${path.join(dataDir, "pglite")} is already open in another process (pid ${holder.child.pid})`,
      );
      // The holder is untouched.
      expect((await fetch(`${holder.origin}/healthz`)).status).toBe(200);
    } finally {
      await holder.stop();
    }
  });
});
