/**
 * Every background job of the app: name, when, what. start.server.ts
 * registers them all with the runner of the database in use.
 */
import { pruneExpiredRows } from "./maintenance.server";
import { expireUnconfirmedOrders } from "./orders-expiry.server";
import type { JobDefinition } from "./runner.server";

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
];
