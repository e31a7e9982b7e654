/**
 * The one refusal base (docs/decisions/021-one-form-convention.md). A use case
 * that says no throws a subclass — OrderError, PaymentError, ListingError,
 * OnboardingError, PhotoError, and the HTTP layer's Refusal — and nothing has
 * changed. What the person is told comes from the error alone:
 *
 *  - `namespace` and `messageKey`: the message's translation key in that
 *    namespace ("orders", "errors.sold_out"); `textKey` is both together;
 *  - `messageValues`: what the message interpolates ({{available}});
 *  - `fields`: field name → translation key, for refusals about particular fields;
 *  - `httpStatus`: 404 for not_found, 403 for forbidden, 409 for conflict, else 400
 *    (a subclass may say otherwise);
 *  - `concernsForm`: false for a refusal of some fields only, told next to them
 *    and not above the form;
 *  - `aboutUpload`: true for a refused file (a photo), told at the file input.
 *
 * Routes never test `instanceof` themselves: `answerRefusal` (app/http) turns a
 * refusal into the route's answer and lets anything else through. Browser-safe.
 */
import type { FieldErrors } from "./forms";

const STATUS_OF_CODE: Record<string, number> = { not_found: 404, forbidden: 403, conflict: 409 };

export abstract class RefusalError<Code extends string = string> extends Error {
  readonly code: Code;
  readonly fields: FieldErrors;

  constructor(code: Code, options: { fields?: FieldErrors; cause?: unknown } = {}) {
    super(`refused: ${code}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.fields = options.fields ?? {};
  }

  /** The namespace of the message and of the fields' keys. */
  abstract readonly namespace: string;

  /** The translation key of the message, in `namespace`. */
  abstract get messageKey(): string;

  /** `namespace:messageKey`, ready for `t()` in any namespace. */
  get textKey(): string {
    return `${this.namespace}:${this.messageKey}`;
  }

  /** The translation key of the title a page of its own shows above the message (`refusalResponse`). */
  get titleKey(): string {
    return `${this.namespace}:errors.title`;
  }

  /** Values the message interpolates. */
  get messageValues(): Record<string, unknown> {
    return {};
  }

  get httpStatus(): number {
    return STATUS_OF_CODE[this.code] ?? 400;
  }

  /** Whether the message is for the form as a whole; a refusal of some fields only says so next to them. */
  get concernsForm(): boolean {
    return true;
  }

  /** Whether an uploaded file (a photo) was refused: a form shows that at its file input. */
  get aboutUpload(): boolean {
    return false;
  }

  /** Headers every answer to this refusal carries (Retry-After on a 429). */
  get headers(): Record<string, string> {
    return {};
  }
}

/**
 * What every refused form answer says in its headers too (`answerRefusal`), so a
 * script that replays a form without reading its page, the seller app's queue
 * (app/offline), can tell the farmer why: the code (`orders:conflict`) and the
 * message in the reader's language, URI-encoded.
 */
export const REFUSAL_CODE_HEADER = "X-Refusal";
export const REFUSAL_MESSAGE_HEADER = "X-Refusal-Message";

export function isRefusal(error: unknown): error is RefusalError {
  return error instanceof RefusalError;
}
