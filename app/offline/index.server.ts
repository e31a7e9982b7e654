/**
 * The seller app in the field (ADR 030), server side: each state change the
 * phone's queue replays is done once per Idempotency-Key, and its first
 * answer given to every replay. Browser-safe wire names: `index.ts`.
 */
export {
  ABANDONED_AFTER_MS,
  ANSWER_BODY_MAX,
  IDEMPOTENCY_KEEP_DAYS,
  OfflineError,
  type OfflineErrorCode,
  phoneTime,
  pruneIdempotencyKeys,
  withIdempotency,
  type IdempotencyOptions,
} from "./idempotency.server";
