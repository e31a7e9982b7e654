/**
 * Fixed-window rate limits kept in the database (`rate_limits`), so every
 * app instance behind a load balancer counts into the same window. One atomic
 * upsert per hit: no read-then-write race between instances.
 */
import { eq, lt, sql } from "drizzle-orm";
import { rateLimits } from "../../db/schema";
import { db, type Database } from "./db.server";
import { env } from "./env.server";

export type RateLimit = { limit: number; windowSeconds: number };
export type RateLimitResult = { allowed: boolean; retryAfterSeconds: number; count: number };

/**
 * Counts one hit on `key` and says whether it is within `limit` for the current window.
 * The window starts at the first hit and resets `windowSeconds` later.
 * `database` is for tests that play a second app instance with its own connection.
 */
export async function hit(
  key: string,
  { limit, windowSeconds }: RateLimit,
  database: Database = db,
): Promise<RateLimitResult> {
  if (env().DISABLE_RATE_LIMIT) return { allowed: true, retryAfterSeconds: 0, count: 0 };

  const window = sql`make_interval(secs => ${windowSeconds})`;
  const [row] = await database
    .insert(rateLimits)
    .values({ key, count: 1, resetAt: sql`now() + ${window}` })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        count: sql`CASE WHEN ${rateLimits.resetAt} <= now() THEN 1 ELSE ${rateLimits.count} + 1 END`,
        resetAt: sql`CASE WHEN ${rateLimits.resetAt} <= now() THEN excluded.reset_at ELSE ${rateLimits.resetAt} END`,
      },
    })
    .returning({
      count: rateLimits.count,
      // Computed by the database so app servers with skewed clocks agree.
      retryAfter: sql<number>`greatest(1, ceil(extract(epoch FROM (${rateLimits.resetAt} - now()))))::int`,
    });

  // Expired windows are dead rows; sweep them now and then instead of needing a cron.
  if (Math.random() < 0.01) void pruneExpiredRateLimits().catch(() => {});

  const count = Number(row.count);
  const allowed = count <= limit;
  return { allowed, count, retryAfterSeconds: allowed ? 0 : Number(row.retryAfter) };
}

/** Forgets a key, e.g. after a successful login. */
export async function resetRateLimit(key: string): Promise<void> {
  await db.delete(rateLimits).where(eq(rateLimits.key, key));
}

export async function pruneExpiredRateLimits(): Promise<number> {
  const gone = await db
    .delete(rateLimits)
    .where(lt(rateLimits.resetAt, sql`now()`))
    .returning({ key: rateLimits.key });
  return gone.length;
}
