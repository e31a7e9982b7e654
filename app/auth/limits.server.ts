/**
 * Rate limits of the auth forms. Per IP they are generous because Vietnamese
 * mobile carriers put many subscribers behind one address (CGNAT) and an
 * officer may sign up a whole hamlet from one phone; per phone they are tight.
 * Code requests are the tightest: each one is an SMS someone pays for.
 */
import { hit, type RateLimit, type RateLimitResult } from "~/utils/rate-limit.server";

const MINUTE = 60;
const HOUR = 60 * MINUTE;

export const AUTH_LIMITS = {
  signup: { ip: { limit: 20, windowSeconds: HOUR }, phone: { limit: 5, windowSeconds: HOUR } },
  login: { ip: { limit: 50, windowSeconds: 15 * MINUTE }, phone: { limit: 10, windowSeconds: 15 * MINUTE } },
  codeRequest: { ip: { limit: 10, windowSeconds: HOUR }, phone: { limit: 3, windowSeconds: 15 * MINUTE } },
  codeVerify: { ip: { limit: 50, windowSeconds: 15 * MINUTE }, phone: { limit: 10, windowSeconds: 15 * MINUTE } },
} satisfies Record<string, { ip: RateLimit; phone: RateLimit }>;

export type AuthAction = keyof typeof AUTH_LIMITS;

/** Counts an attempt of `action` from this IP. */
export function limitByIp(action: AuthAction, ip: string): Promise<RateLimitResult> {
  return hit(`${action}:ip:${ip}`, AUTH_LIMITS[action].ip);
}

/** Counts an attempt of `action` on this phone number (E.164). */
export function limitByPhone(action: AuthAction, phone: string): Promise<RateLimitResult> {
  return hit(`${action}:phone:${phone}`, AUTH_LIMITS[action].phone);
}
