import { Writable } from "node:stream";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { InProcessJobRunner } from "./in-process-runner.server";
import { cronFor, delayUntilNext } from "./runner.server";
import { db } from "~/utils/db.server";

const MINUTE = 60_000;

/** A pino logger whose lines the test can read. */
function recordingLogger() {
  const lines: { level: number; msg: string; job?: string }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { logger: pino({ level: "info" }, stream), lines };
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe("the in-process scheduler", () => {
  let runners: InProcessJobRunner[] = [];
  beforeEach(() => {
    vi.useFakeTimers();
    // 09:25 in Hà Nội: the next ten-minute mark is 09:30.
    vi.setSystemTime(new Date("2026-11-27T09:25:00+07:00"));
  });
  afterEach(async () => {
    await Promise.all(runners.map((r) => r.stop()));
    runners = [];
    vi.useRealTimers();
  });

  function runner() {
    const { logger, lines } = recordingLogger();
    const r = new InProcessJobRunner({ db, logger });
    runners.push(r);
    return { runner: r, lines };
  }

  it("runs a job on the clock's marks with the app's database", async () => {
    const { runner: r } = runner();
    const seen: unknown[] = [];
    r.register({
      name: "test.tick",
      schedule: { everyMinutes: 10 },
      handler: async (database) => seen.push(database),
    });
    await r.start();
    await vi.advanceTimersByTimeAsync(5 * MINUTE - 1);
    expect(seen).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1); // 09:30
    expect(seen).toEqual([db]);
    await vi.advanceTimersByTimeAsync(20 * MINUTE); // 09:40, 09:50
    expect(seen).toHaveLength(3);
  });

  it("never starts a run while the previous run of the same job is still going", async () => {
    const { runner: r, lines } = runner();
    const gates = [deferred(), deferred()];
    let calls = 0;
    let running = 0;
    let mostAtOnce = 0;
    r.register({
      name: "test.slow",
      schedule: { everyMinutes: 10 },
      handler: async () => {
        const gate = gates[calls++];
        running++;
        mostAtOnce = Math.max(mostAtOnce, running);
        await gate.promise;
        running--;
      },
    });
    await r.start();

    await vi.advanceTimersByTimeAsync(5 * MINUTE); // 09:30: the first run starts and hangs
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(20 * MINUTE); // 09:40 and 09:50 are due while it runs
    expect(calls).toBe(1);
    expect(lines.filter((l) => l.msg === "job skipped: its previous run is still going")).toHaveLength(2);

    gates[0].resolve();
    await vi.advanceTimersByTimeAsync(10 * MINUTE); // 10:00: free again
    expect(calls).toBe(2);
    expect(mostAtOnce).toBe(1);
    gates[1].resolve();
  });

  it("logs a failing run and keeps the job on its schedule", async () => {
    const { runner: r, lines } = runner();
    let calls = 0;
    r.register({
      name: "test.flaky",
      schedule: { everyMinutes: 10 },
      handler: async () => {
        calls++;
        if (calls === 1) throw new Error("database went away");
        return { ok: true };
      },
    });
    await r.start();
    await vi.advanceTimersByTimeAsync(5 * MINUTE);
    const failed = lines.find((l) => l.msg === "job failed");
    expect(failed).toMatchObject({ job: "test.flaky", level: 50, err: { message: "database went away" } });
    await vi.advanceTimersByTimeAsync(10 * MINUTE);
    expect(calls).toBe(2);
    expect(lines.at(-1)).toMatchObject({ msg: "job done", job: "test.flaky", result: { ok: true } });
  });

  it("runNow waits for the run in progress, then runs once more and returns its result", async () => {
    const { runner: r } = runner();
    const gate = deferred();
    const order: string[] = [];
    let calls = 0;
    r.register({
      name: "test.now",
      schedule: { everyMinutes: 10 },
      handler: async () => {
        const n = ++calls;
        order.push(`start ${n}`);
        if (n === 1) await gate.promise;
        order.push(`end ${n}`);
        return n;
      },
    });
    await r.start();
    await vi.advanceTimersByTimeAsync(5 * MINUTE); // run 1 is going
    const now = r.runNow("test.now");
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual(["start 1"]);
    gate.resolve();
    await expect(now).resolves.toBe(2);
    expect(order).toEqual(["start 1", "end 1", "start 2", "end 2"]);
    await expect(r.runNow("test.none")).rejects.toThrow(/no job named "test.none"/);
  });

  it("stop() waits for the running handler, clears its timers and refuses more runs", async () => {
    const { runner: r } = runner();
    const gate = deferred();
    let finished = false;
    r.register({
      name: "test.stop",
      schedule: { everyMinutes: 10 },
      handler: async () => {
        await gate.promise;
        finished = true;
      },
    });
    await r.start();
    await vi.advanceTimersByTimeAsync(5 * MINUTE);
    let stopped = false;
    const stopping = r.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    gate.resolve();
    await stopping;
    expect(finished).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    await expect(r.runNow("test.stop")).rejects.toThrow(/stopped/);
  });

  it("refuses a job registered twice or after start", async () => {
    const { runner: r } = runner();
    const job = { name: "test.once", schedule: { everyMinutes: 10 }, handler: async () => null };
    r.register(job);
    expect(() => r.register(job)).toThrow(/registered twice/);
    await r.start();
    expect(() => r.register({ ...job, name: "test.late" })).toThrow(/before start/);
  });
});

describe("one-off jobs in process", () => {
  let runners: InProcessJobRunner[] = [];
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2026-11-27T09:25:00+07:00"));
  });
  afterEach(async () => {
    await Promise.all(runners.map((r) => r.stop()));
    runners = [];
    vi.useRealTimers();
  });
  function runner() {
    const { logger, lines } = recordingLogger();
    const r = new InProcessJobRunner({ db, logger });
    runners.push(r);
    return { runner: r, lines };
  }

  it("waits its delay before each retry, doubling, and queues runs asked for before start until then", async () => {
    const { runner: r } = runner();
    const tried: number[] = [];
    r.registerOneOff({
      name: "test.backoff",
      retry: { limit: 2, delaySeconds: 10 },
      handler: async () => {
        tried.push(Date.now());
        throw new Error("not yet");
      },
    });
    await r.enqueue("test.backoff", { n: 1 });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(tried).toEqual([]);
    await r.start();
    await vi.advanceTimersByTimeAsync(0);
    const t0 = tried[0];
    await vi.advanceTimersByTimeAsync(9_999);
    expect(tried).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(tried).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(tried.map((t) => (t - t0) / 1000)).toEqual([0, 10, 30]);
    await vi.advanceTimersByTimeAsync(10 * MINUTE);
    expect(tried).toHaveLength(3);
  });

  it("aborts the signal of a run that outlives its timeout, and tries it again", async () => {
    const { runner: r, lines } = runner();
    const reasons: string[] = [];
    r.registerOneOff({
      name: "test.slow-run",
      timeoutSeconds: 60,
      retry: { limit: 1, delaySeconds: 0 },
      handler: async (_db, _payload, run) => {
        if (run.attempt > 1) return "second try";
        await new Promise<void>((resolve) => run.signal.addEventListener("abort", () => resolve(), { once: true }));
        reasons.push(String((run.signal.reason as Error).message));
        throw run.signal.reason;
      },
    });
    await r.start();
    await r.enqueue("test.slow-run", {});
    await vi.advanceTimersByTimeAsync(59_999);
    expect(reasons).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(reasons).toEqual(["the run took longer than 60 s"]);
    await vi.advanceTimersByTimeAsync(10);
    expect(lines.at(-1)).toMatchObject({ msg: "job done", job: "test.slow-run", attempt: 2, result: "second try" });
  });
});

describe("schedules", () => {
  it("turn intervals into the crons pg-boss needs, and refuse those that have none", () => {
    expect(cronFor({ everyMinutes: 10 })).toBe("*/10 * * * *");
    expect(cronFor({ everyMinutes: 60 })).toBe("0 * * * *");
    expect(cronFor({ everyMinutes: 180 })).toBe("0 */3 * * *");
    expect(cronFor({ everyMinutes: 1440 })).toBe("0 0 * * *");
    expect(() => cronFor({ everyMinutes: 7 })).toThrow(/divisor of 60/);
    expect(() => cronFor({ everyMinutes: 90 })).toThrow(/divisor of 60/);
    expect(() => cronFor({ cron: "every day" })).toThrow();
  });

  it("read crons in Vietnam's time zone", () => {
    // 05:00 in Hà Nội is 22:00 UTC the day before; "0 6 * * *" is an hour away.
    const now = new Date("2026-11-27T05:00:00+07:00").getTime();
    expect(delayUntilNext({ cron: "0 6 * * *" }, now)).toBe(60 * MINUTE);
    expect(delayUntilNext({ everyMinutes: 60 }, now + 15 * MINUTE)).toBe(45 * MINUTE);
  });
});
