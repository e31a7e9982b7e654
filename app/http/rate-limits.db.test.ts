import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "#db/client";
import { rateLimits } from "#db/schema";
import {
  countHit,
  countHits,
  hit,
  peekHits,
  pruneExpiredRateLimits,
  RATE_LIMITS,
  resetHits,
} from "./rate-limits.server";
import { db } from "~/utils/db.server";
import { env } from "~/utils/env.server";

const tenPerMinute = { limit: 10, windowSeconds: 60 };

describe("hit", () => {
  afterEach(() => {
    env().DISABLE_RATE_LIMIT = false;
  });

  it("allows up to the limit, then refuses with the time left in the window", async () => {
    const key = "test:basic";
    for (let i = 1; i <= 3; i++) {
      expect(await hit(key, { limit: 3, windowSeconds: 900 })).toEqual({
        allowed: true,
        count: i,
        retryAfterSeconds: 0,
      });
    }
    const refused = await hit(key, { limit: 3, windowSeconds: 900 });
    expect(refused.allowed).toBe(false);
    expect(refused.count).toBe(4);
    expect(refused.retryAfterSeconds).toBeGreaterThan(890);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(900);
  });

  it("keeps separate counters per key", async () => {
    await hit("test:a", tenPerMinute);
    await hit("test:a", tenPerMinute);
    expect((await hit("test:b", tenPerMinute)).count).toBe(1);
    expect((await hit("test:a", tenPerMinute)).count).toBe(3);
  });

  it("starts a new window once the old one is over", async () => {
    const key = "test:window";
    for (let i = 0; i < 5; i++) await hit(key, { limit: 2, windowSeconds: 60 });
    await db
      .update(rateLimits)
      .set({ resetAt: sql`now() - interval '1 second'` })
      .where(eq(rateLimits.key, key));
    expect(await hit(key, { limit: 2, windowSeconds: 60 })).toMatchObject({ allowed: true, count: 1 });
    const [row] = await db
      .select({ future: sql<boolean>`${rateLimits.resetAt} > now() + interval '50 seconds'` })
      .from(rateLimits)
      .where(eq(rateLimits.key, key));
    expect(row.future).toBe(true);
  });

  it("counts concurrent hits exactly (one atomic upsert each)", async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => hit("test:burst", tenPerMinute)));
    expect(results.map((r) => r.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
  });

  it("is shared by every app instance: the counter lives in the database", async () => {
    const key = "test:instances";
    const first = await hit(key, { limit: 3, windowSeconds: 60 });
    const second = await hit(key, { limit: 3, windowSeconds: 60 });
    expect([first.count, second.count]).toEqual([1, 2]);

    if (process.env.TEST_DB === "postgres") {
      // A second instance: its own connection pool to the same database.
      const other = await openDatabase({ url: process.env.DATABASE_URL, poolMax: 2 });
      try {
        expect(await hit(key, { limit: 3, windowSeconds: 60 }, other.db)).toMatchObject({ allowed: true, count: 3 });
        expect(await hit(key, { limit: 3, windowSeconds: 60 })).toMatchObject({ allowed: false, count: 4 });
        expect(await hit(key, { limit: 3, windowSeconds: 60 }, other.db)).toMatchObject({ allowed: false, count: 5 });
      } finally {
        await other.close();
      }
    }
  });

  it("counts a named policy per subject, peeks without counting, and forgets on reset", async () => {
    const { limit } = RATE_LIMITS["login.phoneIp"];
    for (let i = 1; i <= limit; i++) expect((await countHit("login.phoneIp", "+84912000001|ip")).allowed).toBe(true);
    expect(await peekHits("login.phoneIp", "+84912000001|ip")).toBe(limit);
    expect(await peekHits("login.phoneIp", "+84912000001|ip")).toBe(limit);
    expect((await countHit("login.phoneIp", "+84912000001|ip")).allowed).toBe(false);
    expect(await peekHits("login.phoneIp", "+84912000002|ip")).toBe(0);
    await resetHits("login.phoneIp", "+84912000001|ip");
    expect((await countHit("login.phoneIp", "+84912000001|ip")).count).toBe(1);
  });

  it("prunes windows that are over", async () => {
    await hit("test:old", tenPerMinute);
    await db
      .update(rateLimits)
      .set({ resetAt: sql`now() - interval '1 hour'` })
      .where(eq(rateLimits.key, "test:old"));
    expect(await pruneExpiredRateLimits()).toBeGreaterThanOrEqual(1);
    const left = await db.select().from(rateLimits).where(eq(rateLimits.key, "test:old"));
    expect(left).toHaveLength(0);
  });

  it("lets everything through, and counts nothing, when DISABLE_RATE_LIMIT is set (demo, e2e)", async () => {
    env().DISABLE_RATE_LIMIT = true;
    for (let i = 0; i < 5; i++) expect((await hit("test:off", { limit: 1, windowSeconds: 60 })).allowed).toBe(true);
    const rows = await db.select().from(rateLimits).where(eq(rateLimits.key, "test:off"));
    expect(rows).toHaveLength(0);
  });

  it("counts several policies in one statement, each against its own limit", async () => {
    await countHit("checkout.unproved.ip", "203.0.113.9");
    await countHit("checkout.unproved.ip", "203.0.113.9");
    const [phone, address] = await countHits([
      ["checkout.phone", "+84912000009"],
      ["checkout.unproved.ip", "203.0.113.9"],
    ]);
    expect(phone).toEqual({ allowed: true, count: 1, retryAfterSeconds: 0 });
    expect(address.allowed).toBe(false);
    expect(address.count).toBe(3);
    expect(address.retryAfterSeconds).toBeGreaterThan(3500);
  });
});
