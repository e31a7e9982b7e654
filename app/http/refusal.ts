/**
 * A refusal of the HTTP layer: the request is answered with a 4xx status and a
 * translated explanation, and nothing changed. The guards (guards.server.ts)
 * refuse before Remix; routes and use cases throw or return the same thing.
 * It is a RefusalError like the domain's refusals, so `answerRefusal` and
 * `refusalResponse` (responses.server.ts) answer it as they answer those.
 *
 * `kind` names the explanation: `common:errors.<kind>.title|body`.
 */
import { RefusalError } from "~/utils/refusal";

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

export class Refusal extends RefusalError<RefusalKind> {
  override name = "Refusal";
  readonly namespace = "common";

  constructor(
    kind: RefusalKind,
    /** 429: seconds until the window resets (Retry-After). */
    readonly retryAfterSeconds?: number,
  ) {
    super(kind);
  }

  get kind(): RefusalKind {
    return this.code;
  }

  get status(): number {
    return REFUSAL_STATUS[this.code];
  }

  override get httpStatus(): number {
    return this.status;
  }

  override get titleKey(): string {
    return `common:errors.${this.code}.title`;
  }

  /** A 429 that knows its wait says "wait 3 minutes"; the others their kind's body. */
  get messageKey(): string {
    return this.waits ? "errors.tooMany.wait" : `errors.${this.code}.body`;
  }

  override get messageValues(): Record<string, unknown> {
    return this.waits ? { count: this.minutes } : {};
  }

  override get headers(): Record<string, string> {
    return this.status === 429 ? { "Retry-After": String(Math.max(1, Math.ceil(this.retryAfterSeconds ?? 60))) } : {};
  }

  /** Whole minutes to wait, for the message ("đợi 3 phút"). */
  get minutes(): number {
    return Math.max(1, Math.ceil((this.retryAfterSeconds ?? 60) / 60));
  }

  private get waits(): boolean {
    return this.status === 429 && this.retryAfterSeconds !== undefined;
  }
}
