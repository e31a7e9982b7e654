/**
 * The HTTP layer (what a request passes before and around Remix): the
 * server app, the one table of rate limits, refusals and how they are
 * answered, and reading forms with files. Routes and other capabilities
 * import it from here; the route policies (route-policies.server.ts) are the
 * layer's own business.
 */
export { createApp, type AppOptions } from "./app.server";
export {
  countHit,
  countHits,
  peekHits,
  pruneExpiredRateLimits,
  RATE_LIMITS,
  resetHits,
  type RateLimitResult,
} from "./rate-limits.server";
export { Refusal } from "./refusal";
export { answerRefusal, refusalMessage, refusalResponse, refusalText, type FormErrors } from "./responses.server";
export { isMultipart, withUploadForm, type UploadForm, type UploadProblem } from "./uploads.server";
