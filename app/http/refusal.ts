/**
 * A refusal: the request is answered with a 4xx status and a translated
 * explanation, and nothing changed. The HTTP layer (guards.server.ts) refuses
 * before Remix; routes and domain code throw or return the same thing, and
 * `refusalResponse` / `formRefusal` (responses.server.ts) turn it into the answer
 * the caller expects: a plain page, or the form again with a message.
 *
 * `kind` names the explanation: `common:errors.<kind>.title|body`.
 */
export const REFUSAL_STATUS = {
  badRequest: 400,
  forbidden: 403,
  crossSite: 403,
  notFound: 404,
  tooLarge: 413,
  unsupportedType: 415,
  tooMany: 429,
} as const;

export type RefusalKind = keyof typeof REFUSAL_STATUS;

export class Refusal extends Error {
  readonly status: number;

  constructor(
    readonly kind: RefusalKind,
    /** 429: seconds until the window resets (Retry-After). */
    readonly retryAfterSeconds?: number,
  ) {
    super(`refused: ${kind}`);
    this.name = "Refusal";
    this.status = REFUSAL_STATUS[kind];
  }

  /** Headers every answer to this refusal carries: Retry-After on a 429. */
  get headers(): Record<string, string> {
    return this.status === 429 ? { "Retry-After": String(Math.max(1, Math.ceil(this.retryAfterSeconds ?? 60))) } : {};
  }

  /** Whole minutes to wait, for the message ("đợi 3 phút"). */
  get minutes(): number {
    return Math.max(1, Math.ceil((this.retryAfterSeconds ?? 60) / 60));
  }
}
