/**
 * Housekeeping: rows that are dead once expired. Rate-limit windows and
 * one-time codes are also checked for expiry when read, so this only keeps
 * the tables small. (Expired sessions are deleted when they are next
 * presented or their user signs in again.)
 */
import { pruneExpiredCodes } from "~/auth/otp.server";
import { pruneExpiredRateLimits } from "~/utils/rate-limit.server";

/** The app's one database is the one these helpers use. */
export async function pruneExpiredRows(): Promise<{ rateLimits: number; oneTimeCodes: number }> {
  const rateLimits = await pruneExpiredRateLimits();
  const oneTimeCodes = await pruneExpiredCodes();
  return { rateLimits, oneTimeCodes };
}
