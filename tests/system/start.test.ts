/**
 * Starting the production server: what the person at the terminal sees
 * when it cannot start.
 */
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, launchApp } from "../../scripts/lib/app-process";

let dataDir: string;
beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ghs-system-"));
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe("a server that cannot start", () => {
  it("says in one sentence that the port is taken, without a stack trace, and exits 1", async () => {
    const port = await freePort();
    const taken = net.createServer().listen(port, "0.0.0.0");
    await new Promise((resolve) => taken.once("listening", resolve));
    try {
      const failed = launchApp({
        env: { NODE_ENV: "production", DATA_DIR: dataDir, DATABASE_URL: "", JOBS: "off", LOG_LEVEL: "warn" },
        port,
        capture: true,
        healthTimeoutMs: 60_000,
      });
      const error = await failed.then(
        () => null,
        (e: Error) => e,
      );
      expect(error?.message).toMatch(/exited \(1\)/);
      expect(error?.message).toContain(`Gian Hàng Số cannot start: port ${port} is already in use by another program`);
      expect(error?.message).not.toMatch(/\n\s+at /);
    } finally {
      taken.close();
    }
  });
});
