/**
 * Starting the app's jobs with the runner that fits the database. server.js
 * calls startJobs() once the build (and so the database) is ready, and stops
 * the runner before it closes the database. Tests build their own runners.
 */
import { InProcessJobRunner } from "./in-process-runner.server";
import { PgBossJobRunner } from "./pg-boss-runner.server";
import { APP_JOBS } from "./registry.server";
import type { JobDefinition, JobRunner } from "./runner.server";
import { db as appDb, dbDriver } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { logger } from "~/utils/logger.server";
import type { Database } from "#db/client";

export type { JobRunner } from "./runner.server";

/** pg-boss on PostgreSQL, timers in this process on PGlite. */
export function createJobRunner({
  db,
  driver,
  databaseUrl,
  pollingIntervalSeconds,
}: {
  db: Database;
  driver: "pglite" | "postgres";
  databaseUrl?: string;
  pollingIntervalSeconds?: number;
}): JobRunner {
  if (driver === "postgres") {
    if (!databaseUrl) throw new Error("pg-boss needs the database URL");
    return new PgBossJobRunner({ db, connectionString: databaseUrl, pollingIntervalSeconds });
  }
  return new InProcessJobRunner({ db });
}

declare global {
  // One runner per process, also across `remix dev` rebuilds.
  var __ghsJobs: Promise<JobRunner | null> | undefined;
}

/**
 * Starts the app's jobs, unless JOBS=off; resolves to the runner (null when off).
 * Called again (a dev rebuild), it returns the runner already started.
 */
export function startJobs(jobs: readonly JobDefinition[] = APP_JOBS): Promise<JobRunner | null> {
  globalThis.__ghsJobs ??= (async () => {
    if (!env().JOBS) {
      logger.info("background jobs are off (JOBS=off)");
      return null;
    }
    const runner = createJobRunner({ db: appDb, driver: dbDriver, databaseUrl: env().DATABASE_URL });
    for (const job of jobs) runner.register(job);
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
