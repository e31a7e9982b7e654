/**
 * Housekeeping: rows that are dead once expired. Rate-limit windows, one-time
 * codes, phone proofs and sessions are also checked for expiry when read, so
 * this only keeps the tables small (a session nobody presents again would
 * otherwise stay).
 */
import { pruneExpiredCodes, pruneExpiredProofs, pruneExpiredSessions } from "~/auth/index.server";
import { pruneExpiredRateLimits } from "~/http/index.server";

/** The app's one database is the one these helpers use. */
export async function pruneExpiredRows(): Promise<{
  rateLimits: number;
  oneTimeCodes: number;
  phoneProofs: number;
  sessions: number;
}> {
  const rateLimits = await pruneExpiredRateLimits();
  const oneTimeCodes = await pruneExpiredCodes();
  const phoneProofs = await pruneExpiredProofs();
  const sessions = await pruneExpiredSessions();
  return { rateLimits, oneTimeCodes, phoneProofs, sessions };
}
