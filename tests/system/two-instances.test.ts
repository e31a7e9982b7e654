/**
 * Two production servers on one PostgreSQL, as the README promises for a
 * deployment behind a load balancer: requests alternate between them. A
 * session made on one works on the other, rate limits are shared, the stock
 * invariant holds with checkouts split across both, and a background job
 * asked for by both runs once.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq, gt, sql } from "drizzle-orm";
import PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "#db/client";
import { listings, orderEvents, orders } from "#db/schema";
import { launchApp, type AppProcess } from "../../scripts/lib/app-process";
import { addToCart, checkOut, postForm, type BuyTarget } from "../../scripts/lib/buyer-client";
import { createFarmerWithStall, createUser } from "#tests/fixtures/factories";
import { emptyDatabase, type TestDatabase } from "./databases";
import { hashPassword } from "~/auth/password.server";

let database: TestDatabase;
let handle: DatabaseHandle;
let servers: AppProcess[] = [];
const dataDirs: string[] = [];
/** The servers in turn: request i goes to servers[i % 2]. */
const at = (i: number) => servers[i % 2].origin;

beforeAll(async () => {
  database = await emptyDatabase();
  const env = (n: number): NodeJS.ProcessEnv => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `ghs-two-${n}-`));
    dataDirs.push(dataDir);
    return {
      NODE_ENV: "production",
      DATABASE_URL: database.url,
      DATA_DIR: dataDir,
      SESSION_SECRET: "two-instances-shared-secret",
      COOKIE_SECURE: "false",
      SEED_DEMO: "false",
      TRUST_PROXY: "1",
      JOBS: "on",
      LOG_LEVEL: "warn",
    };
  };
  // Started together: one migrates while the other waits on the advisory lock.
  servers = await Promise.all([launchApp({ env: env(1), capture: true }), launchApp({ env: env(2), capture: true })]);
  handle = await openDatabase({ url: database.url, poolMax: 2 });
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await handle?.close();
  await database?.drop();
  for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe("two servers on one PostgreSQL", () => {
  it("a session made on one works on the other", async () => {
    const user = await createUser(handle.db, {
      role: "buyer",
      fullName: "Lê Thị Hai Máy",
      passwordHash: await hashPassword("hai-may-chu-2026"),
    });
    const login = await postForm(at(0), "/login", { phone: user.phone, password: "hai-may-chu-2026" });
    expect(login.status).toBe(302);
    const session = login.setCookies.find((c) => c.startsWith("__session="))!.split(";")[0];
    const account = await fetch(`${at(1)}/account`, { headers: { cookie: session }, redirect: "manual" });
    expect(account.status).toBe(200);
    expect(await account.text()).toContain("Lê Thị Hai Máy");
  });

  it("count one rate limit between them", async () => {
    const headers = { "X-Forwarded-For": "198.51.100.77" };
    let i = 0;
    for (; i < 200; i++) {
      const answer = await postForm(at(i), "/login", { phone: "12", password: "x" }, { headers });
      if (answer.status === 429) break;
      expect(answer.status).toBe(400);
    }
    // The per-IP limit of /login, counted across both: refused by either once reached.
    expect(i).toBe(100);
    for (const k of [i + 1, i + 2]) {
      expect((await postForm(at(k), "/login", { phone: "12", password: "x" }, { headers })).status).toBe(429);
    }
  });

  it("never sell more than the stock with checkouts split between them, and run a job both ask for once", async () => {
    const { stall } = await createFarmerWithStall(handle.db, {
      stall: { pickupEnabled: true, pickupAddress: "Thôn Phú Lương", pickupHours: "7–17 giờ" },
    });
    const [listing] = await handle.db
      .insert(listings)
      .values({
        stallId: stall.id,
        slug: "vai-hai-may",
        title: "Vải thiều hai máy",
        category: "fruit",
        unit: "kg",
        priceDong: 45_000,
        stockQty: 20,
        status: "active",
      })
      .returning();
    const target: BuyTarget = { listingId: listing.id, stallId: stall.id, priceDong: 45_000 };
    const started = new Date();

    // 40 buyers, each from its own address and phone, half on each server, 10 at a time.
    const outcomes: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < 40) {
        const i = next++;
        const headers = { "X-Forwarded-For": `203.0.113.${i + 1}` };
        const cart = await addToCart(at(i), target, { headers });
        if (!cart.ok) {
          outcomes.push(cart.soldOut ? "sold_out" : `add ${cart.answer.status}`);
          continue;
        }
        const bought = await checkOut(at(i + 1), cart.cookie, target, {
          name: `Khách ${i + 1}`,
          phone: `09870${String(i).padStart(5, "0")}`,
          headers,
        });
        outcomes.push(bought.outcome === "refused" ? `checkout ${bought.answer.status}` : bought.outcome);
      }
    };
    await Promise.all(Array.from({ length: 10 }, worker));

    const placed = await handle.db
      .select({ id: orders.id })
      .from(orders)
      .where(and(eq(orders.stallId, stall.id), gt(orders.createdAt, started)));
    const [after] = await handle.db.select().from(listings).where(eq(listings.id, listing.id));
    expect(outcomes.filter((o) => o === "ordered")).toHaveLength(20);
    expect(outcomes.filter((o) => o !== "ordered" && o !== "sold_out")).toEqual([]);
    expect(placed).toHaveLength(20);
    expect(after.stockQty).toBe(0);
    expect(after.status).toBe("sold_out");

    // Five orders the farmer never confirmed: the expiry job, asked for by both servers' queues at once.
    const aged = placed.slice(0, 5).map((o) => o.id);
    for (const id of aged) {
      await handle.db.execute(sql`UPDATE orders SET created_at = now() - interval '25 hours' WHERE id = ${id}`);
    }
    const boss = new PgBoss({ connectionString: database.url, schema: "pgboss", max: 2 });
    boss.on("error", () => {});
    await boss.start();
    try {
      const schedules = await database.sql<{ name: string }[]>`SELECT name FROM pgboss.schedule ORDER BY name`;
      const names = schedules.map((r) => r.name);
      // Each server registered every job; the schedule holds each once.
      expect(names).toEqual([...new Set(names)]);
      expect(names).toContain("orders.expire-unconfirmed");
      const ids = await Promise.all([
        boss.send("orders.expire-unconfirmed", { trigger: "now" }),
        boss.send("orders.expire-unconfirmed", { trigger: "now" }),
      ]);
      for (const id of ids.filter((x): x is string => Boolean(x))) {
        for (let waited = 0; ; waited += 200) {
          const job = await boss.getJobById("orders.expire-unconfirmed", id, { includeArchive: true });
          if (job && ["completed", "failed", "cancelled"].includes(job.state)) {
            expect(job.state).toBe("completed");
            break;
          }
          if (waited > 60_000) throw new Error(`job ${id} did not finish`);
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
    } finally {
      await boss.stop({ graceful: false, wait: true });
    }
    const cancellations = await handle.db
      .select({ orderId: orderEvents.orderId })
      .from(orderEvents)
      .where(and(eq(orderEvents.toStatus, "cancelled"), sql`${orderEvents.orderId} IN ${aged}`));
    expect(cancellations.map((c) => c.orderId).sort()).toEqual([...aged].sort());
    const [restocked] = await handle.db.select().from(listings).where(eq(listings.id, listing.id));
    expect(restocked.stockQty).toBe(5);
  });
});
