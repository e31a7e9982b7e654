/**
 * The HTTP layer (what a request passes before and around Remix): the
 * server app, the one table of route policies and the one table of rate
 * limits, refusals and how they are answered, and reading forms with files.
 * Routes and other capabilities import it from here.
 */
export { createApp, type AppOptions } from "./app.server";
export { deploymentOrigin, isCrossSite } from "./guards.server";
export { LARGEST_BODY_BYTES, policyFor, ROUTE_POLICIES, type RoutePolicy } from "./route-policies.server";
export {
  countHit,
  countHits,
  hit,
  peekHits,
  pruneExpiredRateLimits,
  RATE_LIMITS,
  resetHits,
  type RateLimitName,
  type RateLimitResult,
} from "./rate-limits.server";
export { Refusal, isRefusal } from "./refusal";
export { formRefusal, refusalResponse, refusalText, type FormValues } from "./responses.server";
export { isMultipart, withUploadForm, type UploadedFile, type UploadForm, type UploadProblem } from "./uploads.server";
