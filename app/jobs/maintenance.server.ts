/**
 * Housekeeping: rows that are dead once expired. Rate-limit windows, one-time
 * codes, phone proofs and sessions are also checked for expiry when read, so
 * this only keeps the tables small (a session nobody presents again would
 * otherwise stay). Bulk export files past their 7 days are deleted, and their
 * runs marked expired.
 */
import { pruneExpiredCodes, pruneExpiredProofs, pruneExpiredSessions } from "~/auth/index.server";
import { expireBulkExports } from "~/exports/index.server";
import { pruneExpiredRateLimits } from "~/http/index.server";
import type { Database } from "~/utils/db.server";

/** The auth and HTTP helpers use the app's one database; the exports are given `db`. */
export async function pruneExpiredRows(db: Database): Promise<{
  rateLimits: number;
  oneTimeCodes: number;
  phoneProofs: number;
  sessions: number;
  bulkExports: { expired: number; stale: number };
}> {
  const rateLimits = await pruneExpiredRateLimits();
  const oneTimeCodes = await pruneExpiredCodes();
  const phoneProofs = await pruneExpiredProofs();
  const sessions = await pruneExpiredSessions();
  const bulkExports = await expireBulkExports(db);
  return { rateLimits, oneTimeCodes, phoneProofs, sessions, bulkExports };
}
