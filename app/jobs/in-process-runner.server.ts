/**
 * The scheduler for the embedded database: timers in this process. PGlite
 * lets one process open its data folder, so there is no other instance to
 * share the work with, and pg-boss cannot connect to it.
 *
 * - A run that is due while the previous run of the same job is still going
 *   is skipped (logged), never started beside it.
 * - A failing run is logged; the job keeps its schedule (the next run is the retry).
 * - Timers are unref()ed: jobs never keep the process alive on their own.
 */
import { checkJob, delayUntilNext, type JobDefinition, type JobRunner } from "./runner.server";
import type { Database } from "~/utils/db.server";
import { logger as appLogger, type Logger } from "~/utils/logger.server";

interface Entry {
  job: JobDefinition;
  timer?: NodeJS.Timeout;
  running?: Promise<unknown>;
}

export class InProcessJobRunner implements JobRunner {
  readonly kind = "in-process" as const;
  readonly #db: Database;
  readonly #logger: Logger;
  readonly #jobs = new Map<string, Entry>();
  #started = false;
  #stopped = false;

  constructor({ db, logger = appLogger }: { db: Database; logger?: Logger }) {
    this.#db = db;
    this.#logger = logger;
  }

  register(job: JobDefinition): void {
    if (this.#started) throw new Error(`register "${job.name}" before start()`);
    if (this.#jobs.has(job.name)) throw new Error(`job "${job.name}" is registered twice`);
    checkJob(job);
    this.#jobs.set(job.name, { job });
  }

  async start(): Promise<void> {
    if (this.#stopped) throw new Error("this job runner was stopped");
    if (this.#started) return;
    this.#started = true;
    for (const entry of this.#jobs.values()) this.#arm(entry);
    this.#logger.info({ jobs: [...this.#jobs.keys()], runner: this.kind }, "background jobs started");
  }

  async runNow(name: string): Promise<unknown> {
    const entry = this.#jobs.get(name);
    if (!entry) throw new Error(`no job named "${name}"`);
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
    await Promise.allSettled([...this.#jobs.values()].map((e) => e.running));
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
