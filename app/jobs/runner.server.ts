/**
 * Background jobs: work the app does on a clock rather than on a request
 * (unconfirmed orders expire, old rows are pruned), and one-off jobs a
 * request asks for and does not wait for (a bulk export). One interface, two
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

/** What a one-off run is told besides its payload. */
export interface OneOffRunContext {
  /** pg-boss's job id, or the in-process queue's. */
  jobId: string;
  /** 1 for the first try, 2 for the first retry, … */
  attempt: number;
  /**
   * Aborted when the runner stops (a deploy, Ctrl-C) or the run outlives its
   * `timeoutSeconds`: stop at the next safe point and throw. The run is tried
   * again (pg-boss's retry, or `recover` on the next start in process).
   */
  signal: AbortSignal;
}

/**
 * A job that runs when asked (`enqueue`), with a payload, rather than on a
 * clock. The payload crosses a database on PostgreSQL: plain JSON only.
 * Handlers must be idempotent: a run may be delivered again (a retry, a
 * recovered run, a duplicate) and must then finish once.
 */
export interface OneOffJobDefinition<Payload = unknown> {
  /** Also the pg-boss queue name; not shared with a scheduled job. */
  name: string;
  // Method syntax on purpose: a definition for one payload type is registered among others.
  handler(db: Database, payload: Payload, run: OneOffRunContext): Promise<unknown>;
  /** A failed run is tried again `limit` times, after `delaySeconds`, doubling (both runners). */
  retry?: { limit: number; delaySeconds: number };
  /**
   * How long one run may take. Past it the run's signal is aborted and it is
   * failed (and retried). On PostgreSQL this is also how long a run of an
   * instance that was killed stays "active" before pg-boss fails it and
   * another instance retries it. Default: 15 minutes.
   */
  timeoutSeconds?: number;
  /**
   * The payloads of runs a stopped server left unfinished, from the job's own
   * durable record (the in-process queue lives in memory). Each runner
   * enqueues them on start; idempotent handlers make a duplicate harmless.
   */
  recover?(db: Database): Promise<Payload[]>;
}

/** What a request needs to ask for a one-off run: the runner, or only a sender (an instance with JOBS=off). */
export interface JobQueue {
  /** Queues a run of a registered one-off job; resolves with the run's job id once it is queued. */
  enqueue(name: string, payload: unknown): Promise<string>;
}

export interface JobRunner extends JobQueue {
  readonly kind: "pg-boss" | "in-process";
  /** Before start(). A name is registered once. */
  register(job: JobDefinition): void;
  /** Before start(). At most one run of a one-off job is going at a time. */
  registerOneOff<Payload>(job: OneOffJobDefinition<Payload>): void;
  /** Schedules every registered job, queues what `recover` finds, and begins working. */
  start(): Promise<void>;
  /**
   * Runs the job once, now (tests, admins), after any run of it in progress,
   * and resolves with its result; rejects with its error if it fails.
   */
  runNow(name: string): Promise<unknown>;
  /**
   * Stops scheduling and taking runs, aborts the signal of running one-off
   * runs, and waits for the handlers that are running.
   */
  stop(): Promise<void>;
}

export const DEFAULT_RETRY = { limit: 2, delaySeconds: 60 } as const;
export const DEFAULT_TIMEOUT_SECONDS = 15 * 60;
/** pg-boss keeps a job's expiry under a day. */
const MAX_TIMEOUT_SECONDS = 23 * 60 * 60;

/** The delay before retry number `retry` (1, 2, …): `delaySeconds` doubling, as pg-boss's retryBackoff. */
export function retryDelayMs(delaySeconds: number, retry: number): number {
  return delaySeconds * 1000 * 2 ** Math.max(0, retry - 1);
}

const NAME = /^[a-z0-9][a-z0-9._-]{0,99}$/;

/** Throws on a job definition no runner could honour, so both runners accept the same ones. */
export function checkJob(job: JobDefinition): void {
  if (!NAME.test(job.name)) throw new Error(`job name "${job.name}": use lower-case letters, digits, ".", "-", "_"`);
  cronFor(job.schedule);
}

/** The same checks for a one-off job definition. */
export function checkOneOffJob(job: OneOffJobDefinition): void {
  if (!NAME.test(job.name)) throw new Error(`job name "${job.name}": use lower-case letters, digits, ".", "-", "_"`);
  const timeout = job.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
  if (!Number.isInteger(timeout) || timeout < 1 || timeout > MAX_TIMEOUT_SECONDS)
    throw new Error(`job "${job.name}": timeoutSeconds must be a whole number from 1 to ${MAX_TIMEOUT_SECONDS}`);
  const { limit, delaySeconds } = job.retry ?? DEFAULT_RETRY;
  if (!Number.isInteger(limit) || limit < 0 || !Number.isInteger(delaySeconds) || delaySeconds < 0)
    throw new Error(`job "${job.name}": retry limit and delay are whole numbers ≥ 0`);
}

/** A payload as the queue will hand it back: JSON, whichever runner (pg-boss stores it as jsonb). */
export function asJsonPayload(payload: unknown): unknown {
  const text = JSON.stringify(payload ?? null);
  return JSON.parse(text);
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
