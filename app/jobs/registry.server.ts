/**
 * Every background job of the app: name, when (or, for one-off jobs, on
 * request), what. start.server.ts registers them all with the runner of the
 * database in use.
 */
import { pruneExpiredRows } from "./maintenance.server";
import { expireUnconfirmedOrders } from "./orders-expiry.server";
import type { JobDefinition, OneOffJobDefinition } from "./runner.server";
import { bulkExportJob } from "~/exports/index.server";
import { progressRollupJob, pruneStaleRosterEntries } from "~/officers/index.server";
import { pruneIdempotencyKeys } from "~/offline/index.server";
import { expireAbandonedAttempts, reconcilePayments } from "~/payments/index.server";

export const APP_JOBS: readonly JobDefinition[] = [
  {
    name: "orders.expire-unconfirmed",
    schedule: { everyMinutes: 10 },
    handler: (db) => expireUnconfirmedOrders(db),
  },
  {
    name: "maintenance.prune",
    schedule: { everyMinutes: 60 },
    handler: (db) => pruneExpiredRows(db),
  },
  {
    // Abandoned VNPay/Stripe payments: asked about at their deadline, then expired; their unpaid orders cancelled.
    name: "payments.expire-attempts",
    schedule: { everyMinutes: 5 },
    handler: (db) => expireAbandonedAttempts(db),
  },
  {
    // Payments whose notification never came, refunds stuck half-way, money held for cancelled orders.
    name: "payments.reconcile",
    schedule: { everyMinutes: 15 },
    handler: (db) => reconcilePayments(db),
  },
  {
    // Roster entries no household consented for, a year after their import; unapplied drafts after a day (ADR 028).
    name: "officers.prune-roster",
    schedule: { cron: "30 3 * * *" },
    handler: (db) => pruneStaleRosterEntries(db),
  },
  {
    // The seller app's idempotency keys (ADR 030), 30 days after the phone sent them.
    name: "offline.prune-idempotency",
    schedule: { cron: "45 3 * * *" },
    handler: (db) => pruneIdempotencyKeys(db),
  },
  // Officers' and the province's progress reports (ADR 027): the rollups the dashboards read, rebuilt.
  progressRollupJob,
];

/** Jobs a request asks for (`JobQueue.enqueue`), each with a payload. */
export const APP_ONE_OFF_JOBS: readonly OneOffJobDefinition[] = [
  // An admin's bulk export (app/exports): one file for every stall of a commune or a province.
  bulkExportJob(),
];
