/**
 * Every background job of the app: name, when, what. start.server.ts
 * registers them all with the runner of the database in use.
 */
import { pruneExpiredRows } from "./maintenance.server";
import { expireUnconfirmedOrders } from "./orders-expiry.server";
import type { JobDefinition } from "./runner.server";
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
    handler: () => pruneExpiredRows(),
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
];
