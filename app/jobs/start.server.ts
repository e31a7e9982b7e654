/**
 * Starting the app's jobs with the runner that fits the database. server.js
 * calls startJobs() once the build (and so the database) is ready, and stops
 * the runner before it closes the database. Tests build their own runners.
 * Requests that queue a one-off job ask `jobQueue()` for where to send it.
 */
import { InProcessJobRunner } from "./in-process-runner.server";
import { PgBossJobRunner, PgBossSender } from "./pg-boss-runner.server";
import { APP_JOBS, APP_ONE_OFF_JOBS } from "./registry.server";
import type { JobDefinition, JobQueue, JobRunner, OneOffJobDefinition } from "./runner.server";
import { db as appDb, dbDriver } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { logger } from "~/utils/logger.server";
import type { Database } from "#db/client";

export type { JobQueue, JobRunner } from "./runner.server";

/** pg-boss on PostgreSQL, timers in this process on PGlite. */
export function createJobRunner({
  db,
  driver,
  databaseUrl,
  pollingIntervalSeconds,
  stopTimeoutMs,
  maintenanceIntervalSeconds,
}: {
  db: Database;
  driver: "pglite" | "postgres";
  databaseUrl?: string;
  /** pg-boss only (tests): how often an idle worker polls, how long stop() waits, how often expired runs are failed. */
  pollingIntervalSeconds?: number;
  stopTimeoutMs?: number;
  maintenanceIntervalSeconds?: number;
}): JobRunner {
  if (driver === "postgres") {
    if (!databaseUrl) throw new Error("pg-boss needs the database URL");
    return new PgBossJobRunner({
      db,
      connectionString: databaseUrl,
      pollingIntervalSeconds,
      stopTimeoutMs,
      maintenanceIntervalSeconds,
    });
  }
  return new InProcessJobRunner({ db });
}

declare global {
  // One runner per process, also across `remix dev` rebuilds.
  var __ghsJobs: Promise<JobRunner | null> | undefined;
  // Where an instance with JOBS=off on PostgreSQL sends one-off runs.
  var __ghsJobSender: PgBossSender | undefined;
}

/**
 * Where a request queues a one-off run: this process's runner when it runs
 * jobs; on PostgreSQL without one (JOBS=off), pg-boss itself, for the
 * instances that do; on the embedded database without one, nowhere (null):
 * the job's own record keeps the run, and the next start with jobs recovers it.
 */
export async function jobQueue(): Promise<JobQueue | null> {
  const runner = await globalThis.__ghsJobs;
  if (runner) return runner;
  const url = env().DATABASE_URL;
  if (dbDriver === "postgres" && url)
    return (globalThis.__ghsJobSender ??= new PgBossSender({ connectionString: url }));
  return null;
}

/**
 * Starts the app's jobs, unless JOBS=off; resolves to the runner (null when off).
 * Called again (a dev rebuild), it returns the runner already started.
 */
export function startJobs(
  jobs: readonly JobDefinition[] = APP_JOBS,
  oneOffs: readonly OneOffJobDefinition[] = APP_ONE_OFF_JOBS,
): Promise<JobRunner | null> {
  globalThis.__ghsJobs ??= (async () => {
    if (!env().JOBS) {
      logger.info("background jobs are off (JOBS=off)");
      return null;
    }
    const runner = createJobRunner({ db: appDb, driver: dbDriver, databaseUrl: env().DATABASE_URL });
    for (const job of jobs) runner.register(job);
    for (const job of oneOffs) runner.registerOneOff(job);
    try {
      await runner.start();
    } catch (error) {
      await runner.stop().catch(() => {});
      const why = error instanceof Error ? error.message : String(error);
      throw new Error(
        `Background jobs (${runner.kind}) could not start: ${why}\n` +
          `Set JOBS=off to run this instance without them (then another instance must run them).`,
      );
    }
    return runner;
  })();
  return globalThis.__ghsJobs;
}
