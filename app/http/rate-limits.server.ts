/**
 * Every rate limit of the app, in one table, and the counter behind them.
 *
 * Counters are fixed windows kept in the database (`rate_limits`), so every
 * app instance behind a load balancer counts into the same window: one
 * atomic upsert per hit, no read-then-write race between instances.
 *
 * Limits named `*.ip` are counted by the HTTP layer before the request's
 * body is read (route-policies.server.ts says which path counts which);
 * the others need the body (a phone number, a stall) and are counted by the
 * route or the domain. Per IP they are generous: Vietnamese mobile carriers
 * put many subscribers behind one address (CGNAT), and an officer may sign up
 * a whole hamlet from one phone. Per phone they are tight, and tightest where
 * each hit is an SMS someone pays for.
 */
import { eq, lt, sql } from "drizzle-orm";
import { rateLimits } from "#db/schema";
import { db } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import type { Database } from "#db/client";

export type RateLimit = { limit: number; windowSeconds: number };
export type RateLimitResult = { allowed: boolean; retryAfterSeconds: number; count: number };

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const RATE_LIMITS = {
  // ---- per client IP, before the body is read (route-policies.server.ts)
  /** Sign-up's phone and details steps (a sign-up is two of these): an officer may sign up a hamlet from one phone. */
  "signup.ip": { limit: 60, windowSeconds: HOUR },
  "login.ip": { limit: 100, windowSeconds: 15 * MINUTE },
  /** Every SMS-code step: asking for a code or typing one, to log in, sign up or reset a password. */
  "code.ip": { limit: 60, windowSeconds: 15 * MINUTE },
  /** The forgotten-password phone step and the new-password step. */
  "reset.ip": { limit: 30, windowSeconds: HOUR },
  /** Every POST to /checkout (placing, the code step, a province reloaded without JavaScript): floods only. */
  "checkout.ip": { limit: 60, windowSeconds: 10 * MINUTE },
  "orderUnlock.ip": { limit: 30, windowSeconds: 15 * MINUTE },
  "upload.ip": { limit: 600, windowSeconds: HOUR },

  // ---- after the body is read (ADR 016 says why per phone and IP, not per phone)
  /** Password attempts for one phone from one IP (a success resets it): that IP is refused, the owner elsewhere is not. */
  "login.phoneIp": { limit: 10, windowSeconds: 15 * MINUTE },
  /** Wrong passwords for one phone from anywhere (a success resets it): past this, a password alone is not enough and the login page sends the person to the SMS code. */
  "login.phone": { limit: 5, windowSeconds: 15 * MINUTE },
  /** SMS sent to one phone at the request of one IP, whatever the flow (log in, sign up, reset). */
  "code.send.phoneIp": { limit: 3, windowSeconds: 15 * MINUTE },
  /** SMS sent to one phone from anywhere, whatever the flow: what an SMS cannon can cost one number, and us. */
  "code.send.phone": { limit: 10, windowSeconds: DAY },
  /** Code guesses for one phone from one IP (a right code resets it). */
  "code.verify.phoneIp": { limit: 10, windowSeconds: 15 * MINUTE },
  /**
   * Guesses one code takes, from anywhere, in its 5 minutes. Counted on the
   * code's own row (`one_time_codes.attempts`, app/auth/otp.server.ts), not
   * here: every guess is checked against each live code of the number.
   */
  "code.verify.code": { limit: 5, windowSeconds: 5 * MINUTE },
  /**
   * Checkouts placed for one phone number, from anywhere (429 past it).
   * Counted in the placing transaction, so a refused checkout counts nothing
   * (app/orders/checkout-guard.server.ts; ADR 019 has the why of each number).
   */
  "checkout.phone": { limit: 10, windowSeconds: HOUR },
  /**
   * Checkouts placed from one IP whose phone nobody proved (guests, or a
   * number other than the account's confirmed one). Past it, the next one
   * asks for an SMS code first: a step up, not a refusal (CGNAT).
   */
  "checkout.unproved.ip": { limit: 2, windowSeconds: HOUR },
  /** SMS codes checkout sends at the request of one IP (429 past it): what it can text to strangers. */
  "checkout.code.ip": { limit: 10, windowSeconds: HOUR },
  /**
   * Caps on what one phone may have waiting for farmers to confirm (status
   * placed), counting the new checkout: checkouts and orders. Counted on the
   * orders themselves, not here (like `code.verify.code`), within this
   * window (ORDER_CONFIRM_HOURS is at most 168: older orders were cancelled).
   * Past them: 429 until a farmer confirms or the buyer cancels one.
   */
  "checkout.waitingCheckouts.phone": { limit: 3, windowSeconds: 7 * DAY },
  "checkout.waitingOrders.phone": { limit: 8, windowSeconds: 7 * DAY },
  /** Guesses at an order's phone number on its page. */
  "orderUnlock.order": { limit: 5, windowSeconds: 15 * MINUTE },
  /** Bank statement imports per stall. */
  "statementImport.stall": { limit: 30, windowSeconds: HOUR },
} as const satisfies Record<string, RateLimit>;

export type RateLimitName = keyof typeof RATE_LIMITS;

/**
 * Counts one hit of `name` for `subject` (an IP, a phone, "phone|ip", a
 * stall id) and says whether it is within the policy's limit.
 * `database` is for tests that play a second app instance.
 */
export function countHit(name: RateLimitName, subject: string, database: Database = db): Promise<RateLimitResult> {
  return hit(`${name}:${subject}`, RATE_LIMITS[name], database);
}

/** How many hits `name` has for `subject` in the current window, without counting one. */
export async function peekHits(name: RateLimitName, subject: string): Promise<number> {
  if (env().DISABLE_RATE_LIMIT) return 0;
  const [row] = await db
    .select({ count: rateLimits.count })
    .from(rateLimits)
    .where(sql`${rateLimits.key} = ${`${name}:${subject}`} AND ${rateLimits.resetAt} > now()`);
  return row ? Number(row.count) : 0;
}

/** Forgets a counter, e.g. the wrong passwords of a phone after the right one. */
export async function resetHits(name: RateLimitName, subject: string): Promise<void> {
  await db.delete(rateLimits).where(eq(rateLimits.key, `${name}:${subject}`));
}

/**
 * The counter itself: one hit on `key` within `limit` for the current window.
 * The window starts at the first hit and resets `windowSeconds` later.
 */
export async function hit(key: string, limit: RateLimit, database: Database = db): Promise<RateLimitResult> {
  const [result] = await hitAll([{ key, ...limit }], database);
  return result;
}

/**
 * Counts a hit on each of several policies in one statement (checkout counts
 * two in its transaction: a round trip less on every checkout), and says for
 * each, in the same order, whether it is within its limit.
 */
export function countHits(
  hits: readonly (readonly [RateLimitName, string])[],
  database: Database = db,
): Promise<RateLimitResult[]> {
  return hitAll(
    hits.map(([name, subject]) => ({ key: `${name}:${subject}`, ...RATE_LIMITS[name] })),
    database,
  );
}

async function hitAll(hits: readonly ({ key: string } & RateLimit)[], database: Database): Promise<RateLimitResult[]> {
  if (env().DISABLE_RATE_LIMIT) return hits.map(() => ({ allowed: true, retryAfterSeconds: 0, count: 0 }));

  const rows = await database
    .insert(rateLimits)
    .values(
      hits.map(({ key, windowSeconds }) => ({
        key,
        count: 1,
        resetAt: sql`now() + make_interval(secs => ${windowSeconds})`,
      })),
    )
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        count: sql`CASE WHEN ${rateLimits.resetAt} <= now() THEN 1 ELSE ${rateLimits.count} + 1 END`,
        resetAt: sql`CASE WHEN ${rateLimits.resetAt} <= now() THEN excluded.reset_at ELSE ${rateLimits.resetAt} END`,
      },
    })
    .returning({
      key: rateLimits.key,
      count: rateLimits.count,
      // Computed by the database so app servers with skewed clocks agree.
      retryAfter: sql<number>`greatest(1, ceil(extract(epoch FROM (${rateLimits.resetAt} - now()))))::int`,
    });

  const byKey = new Map(rows.map((row) => [row.key, row]));
  return hits.map(({ key, limit }) => {
    const row = byKey.get(key)!;
    const count = Number(row.count);
    const allowed = count <= limit;
    return { allowed, count, retryAfterSeconds: allowed ? 0 : Number(row.retryAfter) };
  });
}

/** Housekeeping (the maintenance job): expired windows are dead rows. */
export async function pruneExpiredRateLimits(): Promise<number> {
  const gone = await db
    .delete(rateLimits)
    .where(lt(rateLimits.resetAt, sql`now()`))
    .returning({ key: rateLimits.key });
  return gone.length;
}
