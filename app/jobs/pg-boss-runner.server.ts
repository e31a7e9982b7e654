/**
 * Jobs on PostgreSQL through pg-boss, in its own schema (`pgboss`) of the
 * app's database. Every app instance runs this; pg-boss makes it one job:
 * - the schedule (`boss.schedule`, a cron) is kept in the database, and each
 *   minute only one instance turns it into a job;
 * - each job's queue has the "singleton" policy: at most one run of a job is
 *   active at a time, across instances;
 * - a run that throws is logged here and failed, and pg-boss tries it again
 *   (JobDefinition.retry) with growing delays.
 * One-off jobs (`enqueue`) are pg-boss jobs with the payload as their data, in
 * a queue of the same policy (one active run at a time, across instances).
 * pg-boss keeps them, so they survive a restart. A run whose instance stops
 * gracefully is aborted (its signal) and failed, then retried; a run whose
 * instance was killed stays "active" until its expiry (`timeoutSeconds`),
 * when pg-boss's maintenance fails it and another instance retries it.
 */
import { sql } from "drizzle-orm";
import PgBoss from "pg-boss";
import {
  checkJob,
  checkOneOffJob,
  cronFor,
  DEFAULT_RETRY,
  DEFAULT_TIMEOUT_SECONDS,
  type JobDefinition,
  type JobQueue,
  type JobRunner,
  type OneOffJobDefinition,
} from "./runner.server";
import type { Database } from "~/utils/db.server";
import { TIME_ZONE } from "~/utils/format";
import { logger as appLogger, type Logger } from "~/utils/logger.server";

export const PGBOSS_SCHEMA = "pgboss";
/** Advisory lock of the jobs' set-up (the migrations hold 7263514). */
const JOBS_SETUP_LOCK = 7263515;
/** Shows who holds a connection in pg_stat_activity. */
export const PGBOSS_APPLICATION_NAME = "gian-hang-so-jobs";

export interface PgBossRunnerOptions {
  db: Database;
  /** The app's DATABASE_URL (postgres://…). */
  connectionString: string;
  logger?: Logger;
  /** How often an idle worker asks for work. The schedule itself is minute-grained. */
  pollingIntervalSeconds?: number;
  /** How long stop() waits for running jobs before failing them (pg-boss retries them later). */
  stopTimeoutMs?: number;
  /** How often pg-boss's maintenance fails expired runs (those of a killed instance). Default 120. */
  maintenanceIntervalSeconds?: number;
}

const FINAL_STATES = new Set(["completed", "failed", "cancelled"]);

export class PgBossJobRunner implements JobRunner {
  readonly kind = "pg-boss" as const;
  readonly #db: Database;
  readonly #logger: Logger;
  readonly #boss: PgBoss;
  readonly #jobs = new Map<string, JobDefinition>();
  readonly #oneOffs = new Map<string, OneOffJobDefinition>();
  /** Signals of the one-off runs going in this instance, aborted by stop(). */
  readonly #running = new Set<AbortController>();
  readonly #workers = new Map<string, string>();
  readonly #pollingIntervalSeconds: number;
  readonly #stopTimeoutMs: number;
  #started = false;
  #stopped = false;

  constructor({
    db,
    connectionString,
    logger = appLogger,
    pollingIntervalSeconds = 10,
    stopTimeoutMs = 20_000,
    maintenanceIntervalSeconds,
  }: PgBossRunnerOptions) {
    this.#db = db;
    this.#logger = logger;
    this.#pollingIntervalSeconds = pollingIntervalSeconds;
    this.#stopTimeoutMs = stopTimeoutMs;
    this.#boss = new PgBoss({
      connectionString,
      schema: PGBOSS_SCHEMA,
      application_name: PGBOSS_APPLICATION_NAME,
      // Few, short jobs: a small pool beside the app's own.
      max: 3,
      ...(maintenanceIntervalSeconds ? { maintenanceIntervalSeconds } : {}),
    });
    // pg-boss reports its own trouble (a lost connection, a failed poll) here; unheard, it would crash the process.
    this.#boss.on("error", (error) => this.#logger.error({ err: error }, "pg-boss error"));
  }

  register(job: JobDefinition): void {
    this.#checkNew(job.name);
    checkJob(job);
    this.#jobs.set(job.name, job);
  }

  registerOneOff<Payload>(job: OneOffJobDefinition<Payload>): void {
    this.#checkNew(job.name);
    checkOneOffJob(job as OneOffJobDefinition);
    this.#oneOffs.set(job.name, job as OneOffJobDefinition);
  }

  #checkNew(name: string) {
    if (this.#started) throw new Error(`register "${name}" before start()`);
    if (this.#jobs.has(name) || this.#oneOffs.has(name)) throw new Error(`job "${name}" is registered twice`);
  }

  async start(): Promise<void> {
    if (this.#stopped) throw new Error("this job runner was stopped");
    if (this.#started) return;
    this.#started = true;
    // Instances starting together on a new database deadlocked inside pg-boss (its schema, then
    // createQueue/updateQueue/schedule of the same queues): one instance sets up at a time, under
    // an advisory lock held by a transaction of the app's own pool while pg-boss works on its own.
    await this.#db.transaction(async (tx) => {
      await tx.execute(sql`SELECT pg_advisory_xact_lock(${JOBS_SETUP_LOCK})`);
      await this.#boss.start();
      for (const job of this.#jobs.values()) {
        const { limit, delaySeconds } = job.retry ?? DEFAULT_RETRY;
        const queue = {
          name: job.name,
          policy: "singleton" as const,
          retryLimit: limit,
          retryDelay: delaySeconds,
          retryBackoff: delaySeconds > 0,
        };
        await this.#boss.createQueue(job.name, queue);
        // createQueue leaves an existing queue as it was: bring its settings up to date.
        await this.#boss.updateQueue(job.name, queue);
        await this.#boss.schedule(job.name, cronFor(job.schedule), {}, { tz: TIME_ZONE });
      }
      for (const job of this.#oneOffs.values()) {
        const queue = oneOffQueue(job);
        await this.#boss.createQueue(job.name, queue);
        await this.#boss.updateQueue(job.name, queue);
      }
    });
    const work = { includeMetadata: true, batchSize: 1, pollingIntervalSeconds: this.#pollingIntervalSeconds } as const;
    for (const job of this.#jobs.values()) {
      const workerId = await this.#boss.work(job.name, work, ([run]) => this.#handle(job, run));
      this.#workers.set(job.name, workerId);
    }
    for (const job of this.#oneOffs.values()) {
      const workerId = await this.#boss.work(job.name, work, ([run]) => this.#handleOneOff(job, run));
      this.#workers.set(job.name, workerId);
    }
    // Runs the job's own record says are unfinished but pg-boss may not hold (a send that never
    // happened): queued again. A duplicate of a run pg-boss does hold waits behind it (one active
    // run per queue) and then finds it finished: handlers are idempotent.
    const recovered: Record<string, number> = {};
    for (const job of this.#oneOffs.values()) {
      if (!job.recover) continue;
      const payloads = await job.recover(this.#db);
      for (const payload of payloads) await this.enqueue(job.name, payload);
      if (payloads.length > 0) recovered[job.name] = payloads.length;
    }
    this.#logger.info(
      { jobs: [...this.#jobs.keys(), ...this.#oneOffs.keys()], runner: this.kind, recovered },
      "background jobs started",
    );
  }

  async enqueue(name: string, payload: unknown): Promise<string> {
    if (!this.#oneOffs.has(name)) throw new Error(`no one-off job named "${name}"`);
    if (!this.#started || this.#stopped) throw new Error("the job runner is not running");
    const id = await this.#boss.send(name, (payload ?? null) as object);
    if (!id) throw new Error(`pg-boss did not accept a run of "${name}"`);
    // This instance's worker looks now rather than at its next poll.
    const worker = this.#workers.get(name);
    if (worker) this.#boss.notifyWorker(worker);
    return id;
  }

  async runNow(name: string): Promise<unknown> {
    if (!this.#jobs.has(name)) {
      throw new Error(this.#oneOffs.has(name) ? `"${name}" is a one-off job: enqueue it` : `no job named "${name}"`);
    }
    if (!this.#started || this.#stopped) throw new Error("the job runner is not running");
    const id = await this.#boss.send(name, { trigger: "now" });
    if (!id) throw new Error(`pg-boss did not accept a run of "${name}"`);
    const worker = this.#workers.get(name);
    if (worker) this.#boss.notifyWorker(worker);
    // Follow the job in the queue (behind a run in progress, through its retries) until it is over.
    for (;;) {
      const run = await this.#boss.getJobById<unknown>(name, id, { includeArchive: true });
      if (run && FINAL_STATES.has(run.state)) {
        if (run.state === "completed") return unwrap(run.output);
        const output = run.output as { message?: string } | null;
        throw new Error(`job "${name}" ${run.state}: ${output?.message ?? "no message"}`);
      }
      if (this.#stopped) throw new Error("the job runner was stopped before the run finished");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    if (!this.#started) return;
    // One-off runs stop at their next safe point; pg-boss then retries them (here after a restart, or elsewhere).
    for (const controller of this.#running) controller.abort(new Error("the job runner is stopping"));
    // Graceful: stop fetching, wait for running handlers, then close pg-boss's pool.
    await this.#boss.stop({ graceful: true, wait: true, timeout: this.#stopTimeoutMs });
  }

  async #handleOneOff(job: OneOffJobDefinition, run: PgBoss.JobWithMetadata<unknown>): Promise<unknown> {
    const attempt = run.retryCount + 1;
    const log = { job: job.name, jobId: run.id, attempt };
    const controller = new AbortController();
    if (this.#stopped) controller.abort(new Error("the job runner is stopping"));
    // pg-boss gives up on the run at its expiry (and retries it): the handler is told to stop then too.
    const timeout = setTimeout(
      () => controller.abort(new Error(`the run took longer than ${job.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS} s`)),
      (job.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
    );
    timeout.unref();
    this.#running.add(controller);
    const started = performance.now();
    try {
      const result = await job.handler(this.#db, run.data, { jobId: run.id, attempt, signal: controller.signal });
      this.#logger.info({ ...log, ms: Math.round(performance.now() - started), result }, "job done");
      return result;
    } catch (error) {
      const willRetry = run.retryCount < run.retryLimit;
      this.#logger.error(
        { err: error, ...log, attempts: run.retryLimit + 1, willRetry, ms: Math.round(performance.now() - started) },
        "job failed",
      );
      throw error;
    } finally {
      clearTimeout(timeout);
      this.#running.delete(controller);
    }
  }

  async #handle(job: JobDefinition, run: PgBoss.JobWithMetadata<unknown>): Promise<unknown> {
    const trigger = (run.data as { trigger?: string } | null)?.trigger === "now" ? "now" : "schedule";
    const attempt = run.retryCount + 1;
    const started = performance.now();
    try {
      const result = await job.handler(this.#db);
      const ms = Math.round(performance.now() - started);
      this.#logger.info({ job: job.name, trigger, attempt, ms, result }, "job done");
      return result;
    } catch (error) {
      const ms = Math.round(performance.now() - started);
      const willRetry = run.retryCount < run.retryLimit;
      this.#logger.error(
        { err: error, job: job.name, trigger, attempt, attempts: run.retryLimit + 1, willRetry, ms },
        "job failed",
      );
      throw error;
    }
  }
}

/** The queue of a one-off job: one active run at a time, its retries, its expiry. */
function oneOffQueue(job: OneOffJobDefinition) {
  const { limit, delaySeconds } = job.retry ?? DEFAULT_RETRY;
  return {
    name: job.name,
    policy: "singleton" as const,
    retryLimit: limit,
    retryDelay: delaySeconds,
    retryBackoff: delaySeconds > 0,
    expireInSeconds: job.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
  };
}

/**
 * Sends one-off runs to pg-boss without working on any: an instance with
 * JOBS=off (web only) still queues what its requests ask for, and the
 * instances that run jobs take it. It never creates pg-boss's schema or
 * queues: those are the working instances' business.
 */
export class PgBossSender implements JobQueue {
  readonly #connectionString: string;
  readonly #logger: Logger;
  #ready: Promise<PgBoss> | undefined;

  constructor({ connectionString, logger = appLogger }: { connectionString: string; logger?: Logger }) {
    this.#connectionString = connectionString;
    this.#logger = logger;
  }

  async enqueue(name: string, payload: unknown): Promise<string> {
    this.#ready ??= this.#open().catch((error: unknown) => {
      this.#ready = undefined; // the next request tries again
      throw error;
    });
    const id = await (await this.#ready).send(name, (payload ?? null) as object);
    if (!id) throw new Error(`pg-boss did not accept a run of "${name}"`);
    return id;
  }

  async stop(): Promise<void> {
    const boss = await this.#ready?.catch(() => undefined);
    await boss?.stop({ graceful: false });
  }

  async #open(): Promise<PgBoss> {
    const boss = new PgBoss({
      connectionString: this.#connectionString,
      schema: PGBOSS_SCHEMA,
      application_name: PGBOSS_APPLICATION_NAME,
      max: 1,
      supervise: false,
      schedule: false,
      migrate: false,
    });
    boss.on("error", (error) => this.#logger.error({ err: error }, "pg-boss error"));
    try {
      await boss.start();
      return boss;
    } catch (error) {
      // A PgBoss that failed to start cannot start again: this one is dropped.
      await boss.stop({ graceful: false }).catch(() => {});
      throw error;
    }
  }
}

/** pg-boss keeps a result that is not a plain object as { value }. */
function unwrap(output: unknown): unknown {
  if (output && typeof output === "object" && Object.keys(output).length === 1 && "value" in output)
    return (output as { value: unknown }).value;
  return output;
}
