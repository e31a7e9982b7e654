/**
 * Background jobs: work the app does on a clock rather than on a request
 * (unconfirmed orders expire, old rows are pruned). One interface, two
 * implementations picked by the database (ADR 011):
 *  - PostgreSQL: pg-boss (pg-boss-runner.server.ts), a queue in the app's own
 *    database, so several app instances share the schedule and a job runs on
 *    one of them at a time, with retries;
 *  - embedded PGlite: an in-process scheduler (in-process-runner.server.ts);
 *    the app is one process by construction there.
 * The app's jobs are listed in registry.server.ts; start.server.ts starts them.
 */
import cronParser from "cron-parser";
import type { Database } from "~/utils/db.server";
import { TIME_ZONE } from "~/utils/format";

export type JobSchedule =
  /** Every so many minutes: a divisor of 60 (…, 10, 15, 30) or whole hours that divide a day (60, 120, …). */
  | { everyMinutes: number }
  /** Five-field cron, read in Vietnam's time zone ("0 6 * * *" is 6:00 in Hà Nội). */
  | { cron: string };

export interface JobDefinition {
  /** Also the pg-boss queue name: letters, digits, dots, dashes. */
  name: string;
  schedule: JobSchedule;
  /** What the job does. Its result is logged (keep it small); throwing marks the run failed. */
  handler: (db: Database) => Promise<unknown>;
  /**
   * pg-boss only: how often a failed run is tried again and after how long
   * (doubling). In process, the next scheduled run is the retry.
   */
  retry?: { limit: number; delaySeconds: number };
}

export interface JobRunner {
  readonly kind: "pg-boss" | "in-process";
  /** Before start(). A name is registered once. */
  register(job: JobDefinition): void;
  /** Schedules every registered job and begins working. */
  start(): Promise<void>;
  /**
   * Runs the job once, now (tests, admins), after any run of it in progress,
   * and resolves with its result; rejects with its error if it fails.
   */
  runNow(name: string): Promise<unknown>;
  /** Stops scheduling and waits for the handlers that are running. */
  stop(): Promise<void>;
}

export const DEFAULT_RETRY = { limit: 2, delaySeconds: 60 } as const;

const NAME = /^[a-z0-9][a-z0-9._-]{0,99}$/;

/** Throws on a job definition no runner could honour, so both runners accept the same ones. */
export function checkJob(job: JobDefinition): void {
  if (!NAME.test(job.name)) throw new Error(`job name "${job.name}": use lower-case letters, digits, ".", "-", "_"`);
  cronFor(job.schedule);
}

/**
 * The cron expression of a schedule: pg-boss schedules by cron only, and an
 * interval that does not divide the hour (or the day) has no cron.
 */
export function cronFor(schedule: JobSchedule): string {
  if ("cron" in schedule) {
    cronParser.parseExpression(schedule.cron, { tz: TIME_ZONE });
    if (schedule.cron.trim().split(/\s+/).length !== 5)
      throw new Error(`cron "${schedule.cron}": use five fields (minute hour day month weekday)`);
    return schedule.cron.trim();
  }
  const minutes = schedule.everyMinutes;
  if (Number.isInteger(minutes) && minutes >= 1 && minutes < 60 && 60 % minutes === 0) {
    return minutes === 1 ? "* * * * *" : `*/${minutes} * * * *`;
  }
  const hours = minutes / 60;
  if (Number.isInteger(hours) && hours >= 1 && hours <= 24 && 24 % hours === 0) {
    return hours === 1 ? "0 * * * *" : hours === 24 ? "0 0 * * *" : `0 */${hours} * * *`;
  }
  throw new Error(
    `every ${minutes} minutes: use a divisor of 60 (1–30) or whole hours that divide a day (60, 120, 180, 240, 360, 480, 720, 1440)`,
  );
}

/**
 * Milliseconds from `now` until the schedule's next run. Intervals run on the
 * clock's marks (every 10 minutes: :00, :10, …), as pg-boss runs them.
 */
export function delayUntilNext(schedule: JobSchedule, now: number): number {
  const next = cronParser.parseExpression(cronFor(schedule), { tz: TIME_ZONE, currentDate: new Date(now) }).next();
  return Math.max(0, next.getTime() - now);
}
