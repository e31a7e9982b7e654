/**
 * The app's jobs on the real runner of each database: pg-boss on PostgreSQL
 * (in this file's own database, schema pgboss), timers in process on PGlite.
 */
import { eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportRuns, listings, orderEvents, orders, rateLimits, sessions } from "#db/schema";
import { createUser } from "#tests/fixtures/factories";
import { confirmDeadline } from "./orders-expiry.server";
import { PGBOSS_APPLICATION_NAME } from "./pg-boss-runner.server";
import { APP_JOBS, APP_ONE_OFF_JOBS } from "./registry.server";
import { createJobRunner, type JobRunner } from "./start.server";
import { loader as buyerOrderLoader } from "~/routes/orders.$orderCode";
import { loader as sellerOrderLoader } from "~/routes/seller.orders.$orderCode";
import { sentOrderNotificationsForTests } from "~/orders/notify.server";
import { SYSTEM_CANCEL_REASONS } from "~/orders/cancel-reasons";
import { call, signedIn } from "#tests/harness/routes";
import { placeCheckout } from "~/orders/checkout.server";
import { changeOrderStatus } from "~/orders/orders.server";
import { ADDRESS_IN_THANH_HA, createActiveListing, createSellingStall, pickupCheckout } from "#tests/fixtures/orders";
import { storage } from "~/media/index.server";
import { db, dbDriver } from "~/utils/db.server";
import { env } from "~/utils/env.server";

const seller = await createSellingStall(db);
const buyer = await createUser(db, { role: "buyer", fullName: "Trần Thị Mua" });

let failingCalls = 0;
let slowStarted: () => void;
const slowStartedOnce = new Promise<void>((resolve) => (slowStarted = resolve));
let releaseSlow: () => void;
const slowGate = new Promise<void>((resolve) => (releaseSlow = resolve));
let slowFinished = false;

const runner: JobRunner = createJobRunner({
  db,
  driver: dbDriver,
  databaseUrl: env().DATABASE_URL,
  pollingIntervalSeconds: 0.5,
});
for (const job of APP_JOBS) runner.register(job);
for (const job of APP_ONE_OFF_JOBS) runner.registerOneOff(job);
runner.register({
  name: "test.failing",
  schedule: { everyMinutes: 60 },
  retry: { limit: 1, delaySeconds: 0 },
  handler: async () => {
    failingCalls++;
    throw new Error("the SMS gateway is down");
  },
});
runner.register({
  name: "test.slow",
  schedule: { everyMinutes: 60 },
  handler: async () => {
    slowStarted();
    await slowGate;
    slowFinished = true;
    return { slow: true };
  },
});

beforeAll(() => runner.start());
afterAll(() => runner.stop());

/** An order of 2 units of a fresh listing with 10 in stock, placed `hoursAgo` hours ago. */
async function orderPlaced(hoursAgo: number) {
  const listing = await createActiveListing(db, seller.stall.id, { stockQty: 10 });
  const placed = await placeCheckout(db, {
    ...pickupCheckout([{ listing, qty: 2 }], {
      buyer: { userId: buyer.id, name: "Trần Thị Mua", phone: "0912345678" },
    }),
    address: ADDRESS_IN_THANH_HA,
  });
  const order = placed.orders[0];
  await db
    .update(orders)
    .set({ createdAt: sql`now() - make_interval(hours => ${hoursAgo})` })
    .where(eq(orders.id, order.id));
  return { listing, order };
}

const orderRow = async (id: string) => (await db.select().from(orders).where(eq(orders.id, id)))[0];
const stockOf = async (id: string) => (await db.select().from(listings).where(eq(listings.id, id)))[0].stockQty;
const eventsOf = (id: string) => db.select().from(orderEvents).where(eq(orderEvents.orderId, id));

describe(`background jobs on ${dbDriver}`, () => {
  it(`uses ${dbDriver === "postgres" ? "pg-boss" : "the in-process scheduler"}`, () => {
    expect(runner.kind).toBe(dbDriver === "postgres" ? "pg-boss" : "in-process");
  });

  it("orders.expire-unconfirmed cancels orders unconfirmed for ORDER_CONFIRM_HOURS, gives their stock back and tells the buyer", async () => {
    expect(env().ORDER_CONFIRM_HOURS).toBe(24);
    const stale = await orderPlaced(25);
    const fresh = await orderPlaced(23);
    const confirmedLongAgo = await orderPlaced(30);
    await changeOrderStatus(db, {
      order: { orderId: confirmedLongAgo.order.id },
      scope: { stallId: seller.stall.id },
      to: "confirmed",
      actor: { role: "farmer", userId: seller.user.id },
    });
    expect(await stockOf(stale.listing.id)).toBe(8);
    sentOrderNotificationsForTests.length = 0;

    const result = await runner.runNow("orders.expire-unconfirmed");

    expect(result).toEqual({ cancelled: [stale.order.code], refunded: [] });
    const cancelled = await orderRow(stale.order.id);
    expect(cancelled.status).toBe("cancelled");
    expect(cancelled.cancelReason).toBe(SYSTEM_CANCEL_REASONS.notConfirmed);
    expect(await stockOf(stale.listing.id)).toBe(10);
    expect((await eventsOf(stale.order.id)).find((e) => e.toStatus === "cancelled")).toMatchObject({
      actorRole: "system",
      actorUserId: null,
      fromStatus: "placed",
      note: SYSTEM_CANCEL_REASONS.notConfirmed,
    });
    // The buyer's SMS says why in words, in their language (vi here), not the stored key.
    const sms = sentOrderNotificationsForTests.filter((n) => n.orderCode === stale.order.code);
    expect(sms).toHaveLength(1);
    expect(sms[0]).toMatchObject({ recipient: "buyer", status: "cancelled" });
    expect(sms[0].text).toContain("Lý do: Người bán không xác nhận đơn trong thời hạn");

    // Within the 24 hours, and confirmed ones, are left alone.
    expect((await orderRow(fresh.order.id)).status).toBe("placed");
    expect(await stockOf(fresh.listing.id)).toBe(8);
    expect((await orderRow(confirmedLongAgo.order.id)).status).toBe("confirmed");

    // Running it again changes nothing.
    expect(await runner.runNow("orders.expire-unconfirmed")).toEqual({ cancelled: [], refunded: [] });
    expect(await stockOf(stale.listing.id)).toBe(10);
  });

  it("the buyer's and the farmer's order pages show by when the farmer must confirm, only while the order waits", async () => {
    const { order } = await orderPlaced(1);
    const placedAt = (await orderRow(order.id)).createdAt;
    const deadline = new Date(placedAt.getTime() + 24 * 60 * 60 * 1000);
    expect(confirmDeadline(placedAt)).toEqual(deadline);
    const farmer = await signedIn(seller.user.id);
    const asBuyer = await signedIn(buyer.id);
    const pages = async () => {
      const params = { orderCode: order.code };
      const [mine, theirs] = await Promise.all([
        call<{ order: { confirmBy: Date | null } }>(sellerOrderLoader, `/seller/orders/${order.code}`, {
          params,
          cookies: [farmer],
        }),
        call<{ order: { confirmBy: Date | null } }>(buyerOrderLoader, `/orders/${order.code}`, {
          params,
          cookies: [asBuyer],
        }),
      ]);
      return [mine.data.order.confirmBy, theirs.data.order.confirmBy];
    };
    expect(await pages()).toEqual([deadline, deadline]);
    await changeOrderStatus(db, {
      order: { orderId: order.id },
      scope: { stallId: seller.stall.id },
      to: "confirmed",
      actor: { role: "farmer", userId: seller.user.id },
    });
    expect(await pages()).toEqual([null, null]);
  });

  it("the payment jobs are registered and, with no payment provider configured, find nothing to do", async () => {
    const byName = new Map(APP_JOBS.map((j) => [j.name, j.schedule]));
    expect(byName.get("payments.expire-attempts")).toEqual({ everyMinutes: 5 });
    expect(byName.get("payments.reconcile")).toEqual({ everyMinutes: 15 });
    expect(await runner.runNow("payments.reconcile")).toEqual({ skipped: "no_providers" });
    expect(await runner.runNow("payments.expire-attempts")).toEqual({
      asked: 0,
      settled: 0,
      errors: 0,
      expired: 0,
      cancelledOrders: [],
    });
  });

  it("maintenance.prune deletes expired rate-limit windows and keeps live ones", async () => {
    await db.insert(rateLimits).values([
      { key: "test:expired", count: 3, resetAt: sql`now() - interval '1 minute'` },
      { key: "test:live", count: 3, resetAt: sql`now() + interval '1 hour'` },
    ]);
    const result = (await runner.runNow("maintenance.prune")) as { rateLimits: number };
    expect(result.rateLimits).toBeGreaterThanOrEqual(1);
    const keys = (await db.select({ key: rateLimits.key }).from(rateLimits)).map((r) => r.key);
    expect(keys).toContain("test:live");
    expect(keys).not.toContain("test:expired");
  });

  it("maintenance.prune deletes expired sessions and keeps live ones", async () => {
    const user = await createUser(db);
    await db.insert(sessions).values([
      { id: "test-session-expired", userId: user.id, expiresAt: sql`now() - interval '1 minute'` },
      { id: "test-session-live", userId: user.id, expiresAt: sql`now() + interval '1 day'` },
    ]);
    const result = (await runner.runNow("maintenance.prune")) as { sessions: number };
    expect(result.sessions).toBeGreaterThanOrEqual(1);
    const left = (await db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, user.id))).map(
      (r) => r.id,
    );
    expect(left).toEqual(["test-session-live"]);
  });

  it("maintenance.prune deletes bulk export files past their expiry and marks their runs expired", async () => {
    const [run] = await db
      .insert(exportRuns)
      .values({
        scopeKind: "commune",
        scopeCode: "10813",
        format: "meta.csv",
        status: "done",
        fileKey: "exports/placeholder",
        expiresAt: sql`now() - interval '1 minute'`,
      })
      .returning();
    const key = `exports/${run.id}/1/meta.csv`;
    await db.update(exportRuns).set({ fileKey: key }).where(eq(exportRuns.id, run.id));
    await storage().put(key, Buffer.from("id,title\r\n"), "text/csv");

    const result = (await runner.runNow("maintenance.prune")) as { bulkExports: { expired: number } };
    expect(result.bulkExports.expired).toBe(1);
    expect(await storage().exists(key)).toBe(false);
    expect((await db.select().from(exportRuns).where(eq(exportRuns.id, run.id)))[0]).toMatchObject({
      status: "expired",
      fileKey: null,
    });
  });

  it("a job that throws is reported (and on pg-boss retried) without stopping the runner", async () => {
    await expect(runner.runNow("test.failing")).rejects.toThrow(/the SMS gateway is down/);
    // pg-boss tried it again (retry limit 1); in process the next scheduled run is the retry.
    expect(failingCalls).toBe(runner.kind === "pg-boss" ? 2 : 1);
    // The other jobs still run.
    expect(await runner.runNow("orders.expire-unconfirmed")).toEqual({ cancelled: [], refunded: [] });
  });

  it("stop() waits for a running job and leaves nothing open", async () => {
    const run = runner.runNow("test.slow").catch((error: unknown) => error);
    await slowStartedOnce;
    let stopped = false;
    const stopping = runner.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(stopped).toBe(false);
    releaseSlow();
    await stopping;
    expect(slowFinished).toBe(true);
    await run;
    await expect(runner.runNow("orders.expire-unconfirmed")).rejects.toThrow(/stopped|not running/);

    if (dbDriver === "postgres") {
      // pg-boss closed its pool: no connection of it is left on this database.
      const admin = postgres(env().DATABASE_URL!, { max: 1, onnotice: () => {} });
      try {
        let left = -1;
        for (let i = 0; i < 20 && left !== 0; i++) {
          if (i > 0) await new Promise((resolve) => setTimeout(resolve, 100));
          const [row] = await admin<{ n: number }[]>`
            SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND application_name = ${PGBOSS_APPLICATION_NAME}`;
          left = row.n;
        }
        expect(left).toBe(0);
      } finally {
        await admin.end();
      }
    }
  });
});
