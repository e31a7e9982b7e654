/**
 * Jobs on PostgreSQL through pg-boss, in its own schema (`pgboss`) of the
 * app's database. Every app instance runs this; pg-boss makes it one job:
 * - the schedule (`boss.schedule`, a cron) is kept in the database, and each
 *   minute only one instance turns it into a job;
 * - each job's queue has the "singleton" policy: at most one run of a job is
 *   active at a time, across instances;
 * - a run that throws is logged here and failed, and pg-boss tries it again
 *   (JobDefinition.retry) with growing delays.
 */
import { sql } from "drizzle-orm";
import PgBoss from "pg-boss";
import { checkJob, cronFor, DEFAULT_RETRY, type JobDefinition, type JobRunner } from "./runner.server";
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
}

const FINAL_STATES = new Set(["completed", "failed", "cancelled"]);

export class PgBossJobRunner implements JobRunner {
  readonly kind = "pg-boss" as const;
  readonly #db: Database;
  readonly #logger: Logger;
  readonly #boss: PgBoss;
  readonly #jobs = new Map<string, JobDefinition>();
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
    });
    // pg-boss reports its own trouble (a lost connection, a failed poll) here; unheard, it would crash the process.
    this.#boss.on("error", (error) => this.#logger.error({ err: error }, "pg-boss error"));
  }

  register(job: JobDefinition): void {
    if (this.#started) throw new Error(`register "${job.name}" before start()`);
    if (this.#jobs.has(job.name)) throw new Error(`job "${job.name}" is registered twice`);
    checkJob(job);
    this.#jobs.set(job.name, job);
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
    });
    for (const job of this.#jobs.values()) {
      const workerId = await this.#boss.work(
        job.name,
        { includeMetadata: true, batchSize: 1, pollingIntervalSeconds: this.#pollingIntervalSeconds },
        ([run]) => this.#handle(job, run),
      );
      this.#workers.set(job.name, workerId);
    }
    this.#logger.info({ jobs: [...this.#jobs.keys()], runner: this.kind }, "background jobs started");
  }

  async runNow(name: string): Promise<unknown> {
    if (!this.#jobs.has(name)) throw new Error(`no job named "${name}"`);
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
    // Graceful: stop fetching, wait for running handlers, then close pg-boss's pool.
    await this.#boss.stop({ graceful: true, wait: true, timeout: this.#stopTimeoutMs });
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

/** pg-boss keeps a result that is not a plain object as { value }. */
function unwrap(output: unknown): unknown {
  if (output && typeof output === "object" && Object.keys(output).length === 1 && "value" in output)
    return (output as { value: unknown }).value;
  return output;
}
