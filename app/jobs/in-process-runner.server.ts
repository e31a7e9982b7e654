/**
 * The scheduler for the embedded database: timers in this process. PGlite
 * lets one process open its data folder, so there is no other instance to
 * share the work with, and pg-boss cannot connect to it.
 *
 * - A run that is due while the previous run of the same job is still going
 *   is skipped (logged), never started beside it.
 * - A failing run is logged; the job keeps its schedule (the next run is the retry).
 * - Timers are unref()ed: jobs never keep the process alive on their own.
 *
 * One-off jobs (`enqueue`) wait in a queue in memory, one run at a time per
 * job; a failed run is tried again after its delay. Memory does not survive a
 * restart, so a one-off job keeps its own durable record (bulk exports: the
 * `export_runs` rows) and says through `recover` what a stopped server left
 * unfinished; start() queues those runs again. `stop()` aborts the signal of
 * the run in progress, which stops at its next safe point and is left for
 * `recover` (ADR 011).
 */
import { randomUUID } from "node:crypto";
import {
  asJsonPayload,
  checkJob,
  checkOneOffJob,
  DEFAULT_RETRY,
  DEFAULT_TIMEOUT_SECONDS,
  delayUntilNext,
  retryDelayMs,
  type JobDefinition,
  type JobRunner,
  type OneOffJobDefinition,
} from "./runner.server";
import type { Database } from "~/utils/db.server";
import { logger as appLogger, type Logger } from "~/utils/logger.server";

interface Entry {
  job: JobDefinition;
  timer?: NodeJS.Timeout;
  running?: Promise<unknown>;
}

interface QueuedRun {
  id: string;
  payload: unknown;
  attempt: number;
}

interface OneOffEntry {
  job: OneOffJobDefinition;
  queue: QueuedRun[];
  running?: { controller: AbortController; done: Promise<void> };
  /** Retries waiting for their delay. */
  retries: Set<NodeJS.Timeout>;
}

export class InProcessJobRunner implements JobRunner {
  readonly kind = "in-process" as const;
  readonly #db: Database;
  readonly #logger: Logger;
  readonly #jobs = new Map<string, Entry>();
  readonly #oneOffs = new Map<string, OneOffEntry>();
  #started = false;
  #stopped = false;

  constructor({ db, logger = appLogger }: { db: Database; logger?: Logger }) {
    this.#db = db;
    this.#logger = logger;
  }

  register(job: JobDefinition): void {
    this.#checkNew(job.name);
    checkJob(job);
    this.#jobs.set(job.name, { job });
  }

  registerOneOff<Payload>(job: OneOffJobDefinition<Payload>): void {
    this.#checkNew(job.name);
    checkOneOffJob(job as OneOffJobDefinition);
    this.#oneOffs.set(job.name, { job: job as OneOffJobDefinition, queue: [], retries: new Set() });
  }

  #checkNew(name: string) {
    if (this.#started) throw new Error(`register "${name}" before start()`);
    if (this.#jobs.has(name) || this.#oneOffs.has(name)) throw new Error(`job "${name}" is registered twice`);
  }

  async start(): Promise<void> {
    if (this.#stopped) throw new Error("this job runner was stopped");
    if (this.#started) return;
    this.#started = true;
    for (const entry of this.#jobs.values()) this.#arm(entry);
    // What a stopped server left unfinished goes first, in the order its record gives.
    const recovered: Record<string, number> = {};
    for (const entry of this.#oneOffs.values()) {
      if (!entry.job.recover) continue;
      const payloads = await entry.job.recover(this.#db);
      if (payloads.length > 0) recovered[entry.job.name] = payloads.length;
      entry.queue.unshift(
        ...payloads.map((payload) => ({ id: randomUUID(), payload: asJsonPayload(payload), attempt: 1 })),
      );
    }
    for (const entry of this.#oneOffs.values()) this.#pump(entry);
    this.#logger.info(
      { jobs: [...this.#jobs.keys(), ...this.#oneOffs.keys()], runner: this.kind, recovered },
      "background jobs started",
    );
  }

  async enqueue(name: string, payload: unknown): Promise<string> {
    const entry = this.#oneOffs.get(name);
    if (!entry) throw new Error(`no one-off job named "${name}"`);
    if (this.#stopped) throw new Error("the job runner is stopped");
    const id = randomUUID();
    entry.queue.push({ id, payload: asJsonPayload(payload), attempt: 1 });
    this.#pump(entry);
    return id;
  }

  async runNow(name: string): Promise<unknown> {
    const entry = this.#jobs.get(name);
    if (!entry) {
      throw new Error(this.#oneOffs.has(name) ? `"${name}" is a one-off job: enqueue it` : `no job named "${name}"`);
    }
    // Wait for the run in progress (whatever its outcome); loop in case another caller started one meanwhile.
    while (entry.running) {
      if (this.#stopped) break;
      await entry.running.catch(() => {});
    }
    if (this.#stopped) throw new Error("the job runner is stopped");
    return this.#run(entry, "now");
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const entry of this.#jobs.values()) clearTimeout(entry.timer);
    for (const entry of this.#oneOffs.values()) {
      for (const timer of entry.retries) clearTimeout(timer);
      entry.retries.clear();
      entry.running?.controller.abort(new Error("the job runner is stopping"));
    }
    await Promise.allSettled([
      ...[...this.#jobs.values()].map((e) => e.running),
      ...[...this.#oneOffs.values()].map((e) => e.running?.done),
    ]);
  }

  /** Starts the next queued run of a one-off job, unless one is going. */
  #pump(entry: OneOffEntry) {
    if (!this.#started || this.#stopped || entry.running) return;
    const run = entry.queue.shift();
    if (!run) return;
    const { job } = entry;
    const { limit, delaySeconds } = job.retry ?? DEFAULT_RETRY;
    const controller = new AbortController();
    const timeout = setTimeout(
      () => controller.abort(new Error(`the run took longer than ${job.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS} s`)),
      (job.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
    );
    timeout.unref();
    const log = { job: job.name, jobId: run.id, attempt: run.attempt };
    const started = performance.now();
    const done = (async () => {
      try {
        const context = { jobId: run.id, attempt: run.attempt, signal: controller.signal };
        const result = await Promise.resolve().then(() => job.handler(this.#db, run.payload, context));
        this.#logger.info({ ...log, ms: Math.round(performance.now() - started), result }, "job done");
      } catch (error) {
        const willRetry = !this.#stopped && run.attempt <= limit;
        this.#logger.error(
          { err: error, ...log, attempts: limit + 1, willRetry, ms: Math.round(performance.now() - started) },
          "job failed",
        );
        if (willRetry) {
          const retry = setTimeout(
            () => {
              entry.retries.delete(retry);
              // Ahead of runs asked for later, as pg-boss orders a retry by when its job was made.
              entry.queue.unshift({ ...run, attempt: run.attempt + 1 });
              this.#pump(entry);
            },
            retryDelayMs(delaySeconds, run.attempt),
          );
          retry.unref();
          entry.retries.add(retry);
        }
      } finally {
        clearTimeout(timeout);
        entry.running = undefined;
        this.#pump(entry);
      }
    })();
    entry.running = { controller, done };
  }

  #arm(entry: Entry) {
    if (this.#stopped) return;
    entry.timer = setTimeout(() => this.#tick(entry), delayUntilNext(entry.job.schedule, Date.now()));
    entry.timer.unref();
  }

  #tick(entry: Entry) {
    // Arm the next run first: a slow run does not shift the schedule.
    this.#arm(entry);
    if (entry.running) {
      this.#logger.warn({ job: entry.job.name }, "job skipped: its previous run is still going");
      return;
    }
    // #run has logged a failure already; the schedule goes on.
    this.#run(entry, "schedule").catch(() => {});
  }

  #run(entry: Entry, trigger: "schedule" | "now"): Promise<unknown> {
    const { name, handler } = entry.job;
    const started = performance.now();
    const run = (async () => {
      try {
        // Through then(): a handler that throws before its first await still ends this run properly.
        const result = await Promise.resolve().then(() => handler(this.#db));
        const ms = Math.round(performance.now() - started);
        this.#logger.info({ job: name, trigger, ms, result }, "job done");
        return result;
      } catch (error) {
        const ms = Math.round(performance.now() - started);
        this.#logger.error({ err: error, job: name, trigger, ms }, "job failed");
        throw error;
      } finally {
        entry.running = undefined;
      }
    })();
    entry.running = run;
    return run;
  }
}
