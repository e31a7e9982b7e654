/**
 * One-off jobs (enqueue with a payload) on the real runner of each database:
 * pg-boss on PostgreSQL (this file's own database, schema pgboss), the
 * in-process queue on PGlite. The same assertions hold on both: the payload
 * arrives as JSON, a failed run is tried again up to its limit with its
 * attempt number, one run of a job at a time in the order asked, stop()
 * aborts the running one, and what `recover` reports is queued on start.
 */
import { Writable } from "node:stream";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { InProcessJobRunner } from "./in-process-runner.server";
import { PgBossJobRunner } from "./pg-boss-runner.server";
import type { JobRunner, OneOffJobDefinition } from "./runner.server";
import { db, dbDriver } from "~/utils/db.server";
import { env } from "~/utils/env.server";

type Line = { level: number; msg: string; job?: string; attempt?: number; willRetry?: boolean };

function recordingLogger() {
  const lines: Line[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Line);
      done();
    },
  });
  return { logger: pino({ level: "info" }, stream), lines };
}

const runners: JobRunner[] = [];
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop()));
});

function newRunner(jobs: OneOffJobDefinition[]) {
  const { logger, lines } = recordingLogger();
  const runner: JobRunner =
    dbDriver === "postgres"
      ? new PgBossJobRunner({
          db,
          connectionString: env().DATABASE_URL!,
          logger,
          pollingIntervalSeconds: 0.5,
          stopTimeoutMs: 1000,
        })
      : new InProcessJobRunner({ db, logger });
  for (const job of jobs) runner.registerOneOff(job);
  runners.push(runner);
  return { runner, lines };
}

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Waits until `check` holds (polling every 20 ms), or fails after `ms`. */
async function until(check: () => boolean, ms = 15_000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe(`one-off jobs on ${dbDriver === "postgres" ? "pg-boss" : "the in-process queue"}`, () => {
  it("hands the handler its payload as JSON, with the job id enqueue answered and attempt 1", async () => {
    const got = deferred<{ payload: unknown; jobId: string; attempt: number }>();
    const { runner } = newRunner([
      {
        name: "test.echo",
        handler: async (_db, payload, run) => got.resolve({ payload, jobId: run.jobId, attempt: run.attempt }),
      },
    ]);
    await runner.start();
    const at = new Date("2026-12-10T03:04:05.000Z");
    const id = await runner.enqueue("test.echo", { runId: "r-1", at, words: ["Vải", "thiều"], nested: { n: 2 } });
    expect(await got.promise).toEqual({
      // A Date crosses as its JSON text on both runners.
      payload: { runId: "r-1", at: at.toISOString(), words: ["Vải", "thiều"], nested: { n: 2 } },
      jobId: id,
      attempt: 1,
    });
    await expect(runner.enqueue("test.none", {})).rejects.toThrow(/no one-off job named "test.none"/);
    await expect(runner.runNow("test.echo")).rejects.toThrow(/one-off job: enqueue it/);
  });

  it("tries a failed run again with its attempt number, up to its limit, then gives up", async () => {
    const attempts: Record<string, number[]> = { flaky: [], broken: [] };
    const { runner, lines } = newRunner([
      {
        name: "test.retry",
        retry: { limit: 2, delaySeconds: 0 },
        handler: async (_db, payload, run) => {
          const { kind } = payload as { kind: "flaky" | "broken" };
          attempts[kind].push(run.attempt);
          if (kind === "broken" || run.attempt < 3) throw new Error(`${kind} attempt ${run.attempt}`);
          return { ok: true };
        },
      },
    ]);
    await runner.start();
    await runner.enqueue("test.retry", { kind: "flaky" });
    await until(() => lines.some((l) => l.msg === "job done" && l.job === "test.retry"));
    expect(attempts.flaky).toEqual([1, 2, 3]);

    await runner.enqueue("test.retry", { kind: "broken" });
    await until(() => lines.some((l) => l.msg === "job failed" && l.willRetry === false));
    expect(attempts.broken).toEqual([1, 2, 3]);
    const failed = lines.filter((l) => l.msg === "job failed");
    expect(failed.map((l) => [l.attempt, l.willRetry])).toEqual([
      [1, true],
      [2, true],
      [1, true],
      [2, true],
      [3, false],
    ]);
  });

  it("runs one run of a job at a time, in the order they were asked for", async () => {
    const gate = deferred();
    const firstStarted = deferred();
    const order: string[] = [];
    let running = 0;
    let mostAtOnce = 0;
    const { runner } = newRunner([
      {
        name: "test.serial",
        handler: async (_db, payload) => {
          const { n } = payload as { n: number };
          running++;
          mostAtOnce = Math.max(mostAtOnce, running);
          order.push(`start ${n}`);
          if (n === 1) {
            firstStarted.resolve();
            await gate.promise;
          }
          order.push(`end ${n}`);
          running--;
        },
      },
    ]);
    await runner.start();
    await runner.enqueue("test.serial", { n: 1 });
    await firstStarted.promise;
    await runner.enqueue("test.serial", { n: 2 });
    await runner.enqueue("test.serial", { n: 3 });
    // Longer than pg-boss's polling interval: the others wait while the first runs.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(order).toEqual(["start 1"]);
    gate.resolve();
    await until(() => order.length === 6);
    expect(order).toEqual(["start 1", "end 1", "start 2", "end 2", "start 3", "end 3"]);
    expect(mostAtOnce).toBe(1);
  });

  it("stop() aborts the running run's signal and waits for its handler; nothing more is taken", async () => {
    const started = deferred();
    let sawAbort = false;
    const { runner } = newRunner([
      {
        name: "test.long",
        retry: { limit: 0, delaySeconds: 0 },
        handler: async (_db, _payload, run) => {
          started.resolve();
          await new Promise<void>((resolve) => run.signal.addEventListener("abort", () => resolve(), { once: true }));
          sawAbort = true;
          throw new Error("stopped half-way");
        },
      },
    ]);
    await runner.start();
    await runner.enqueue("test.long", {});
    await started.promise;
    await runner.stop();
    expect(sawAbort).toBe(true);
    await expect(runner.enqueue("test.long", {})).rejects.toThrow(/stopped|not running/);
  });

  it("queues on start what `recover` says a stopped server left unfinished", async () => {
    const seen: unknown[] = [];
    const { runner } = newRunner([
      {
        name: "test.recover",
        recover: async () => [{ runId: "left-1" }, { runId: "left-2" }],
        handler: async (_db, payload) => void seen.push(payload),
      },
    ]);
    await runner.start();
    await until(() => seen.length === 2);
    expect(seen).toEqual([{ runId: "left-1" }, { runId: "left-2" }]);
  });

  it("refuses a one-off job whose name is taken, or whose settings no runner could honour", () => {
    const { runner } = newRunner([]);
    runner.register({ name: "test.taken", schedule: { everyMinutes: 60 }, handler: async () => null });
    const handler = async () => null;
    expect(() => runner.registerOneOff({ name: "test.taken", handler })).toThrow(/registered twice/);
    expect(() => runner.registerOneOff({ name: "Test Job", handler })).toThrow(/lower-case/);
    expect(() => runner.registerOneOff({ name: "test.t", handler, timeoutSeconds: 0 })).toThrow(/timeoutSeconds/);
    expect(() => runner.registerOneOff({ name: "test.r", handler, retry: { limit: -1, delaySeconds: 0 } })).toThrow(
      /retry/,
    );
  });
});
