/**
 * Opening the database when something is in the way: another process holding
 * the embedded data folder (alive, dying, or long dead), or a PostgreSQL that
 * does not answer. Each ends in a wait or in one readable sentence.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DatabaseInUseError, DatabaseUnavailableError, openDatabase } from "./client";

let dataDir: string;
const holders: ChildProcess[] = [];
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ghs-client-"));
});
afterEach(() => {
  for (const holder of holders.splice(0)) holder.kill("SIGKILL");
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A process that stands for the server holding the folder (its pid in the lock file) until it exits. */
async function holder(lifetimeMs: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["-e", `setTimeout(() => {}, ${lifetimeMs})`], { stdio: "ignore" });
  holders.push(child);
  await new Promise((resolve) => child.once("spawn", resolve));
  fs.writeFileSync(path.join(dataDir, "pglite.lock"), `${child.pid}\n`);
  return child;
}

describe("the embedded data folder's lock", () => {
  it("waits for a holder that is on its way out, then opens", async () => {
    const dying = await holder(700);
    const waits: number[] = [];
    const handle = await openDatabase({ dataDir, onLockWait: (pid) => waits.push(pid) });
    try {
      expect(dying.exitCode ?? dying.signalCode).not.toBeNull();
      expect(waits).toEqual([dying.pid]);
      expect(fs.readFileSync(path.join(dataDir, "pglite.lock"), "utf8")).toBe(`${process.pid}\n`);
    } finally {
      await handle.close();
    }
  });

  it("refuses, in one sentence naming the holder, when it is still there after the wait", async () => {
    const alive = await holder(60_000);
    const error = await openDatabase({ dataDir, lockWaitMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseInUseError);
    expect((error as Error).message).toMatch(
      new RegExp(`^the embedded database in .* is already open in another process \\(pid ${alive.pid}\\)[^\\n]*\\.$`),
    );
    expect((error as Error).message.match(/\. /g)).toBeNull();
    expect(fs.readFileSync(path.join(dataDir, "pglite.lock"), "utf8")).toBe(`${alive.pid}\n`);
  });

  it("takes over at once from a holder that is gone", async () => {
    const gone = await holder(0);
    await new Promise((resolve) => gone.once("exit", resolve));
    const waits: number[] = [];
    const handle = await openDatabase({ dataDir, onLockWait: (pid) => waits.push(pid) });
    await handle.close();
    expect(waits).toEqual([]);
  });
});

describe("a PostgreSQL that does not answer", () => {
  it("is one sentence naming the server, not the password", async () => {
    const probe = net.createServer().listen(0, "127.0.0.1");
    await new Promise((resolve) => probe.once("listening", resolve));
    const { port } = probe.address() as net.AddressInfo;
    await new Promise((resolve) => probe.close(resolve));

    const error = await openDatabase({ url: `postgres://ghs:hunter2@127.0.0.1:${port}/shop` }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect((error as Error).message).toBe(
      `PostgreSQL 127.0.0.1:${port}/shop does not answer (connect ECONNREFUSED 127.0.0.1:${port}): ` +
        "start it, or point DATABASE_URL at a running server.",
    );
  });
});
