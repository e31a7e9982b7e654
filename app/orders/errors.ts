/**
 * Refusals of the cart, checkout and order functions. Each carries a
 * translation key of the "orders" namespace (app/i18n/locales/{vi,en}/orders.json)
 * and, for problems with particular items, one line per item, so the page can
 * say "Vải thiều: only 3 left" next to the right row. Browser-safe.
 */
import { RefusalError } from "~/utils/refusal";

export type OrderErrorCode =
  /** No such cart line, listing, stall or order here (another stall's or buyer's order is also this: 404). */
  | "not_found"
  /** The form breaks a rule; `fields` says which (field name → translation key). */
  | "invalid_input"
  /** Checkout without items. */
  | "empty"
  /** One or more items cannot be sold as asked; `items` says which and why. */
  | "items_unavailable"
  /** A stall's delivery choice is not one it offers (or not to that commune); `stallIds` says which. */
  | "delivery_unavailable"
  /** A stall does not accept the chosen payment method. */
  | "payment_unavailable"
  /** What would be paid through VNPay is outside what VNPay takes (VNPAY_MIN_DONG..VNPAY_MAX_DONG); `stallIds`. */
  | "payment_amount"
  /** A status change the order's life does not have (state-machine.ts). */
  | "illegal_transition"
  /** A status change this person may not make (e.g. the buyer cancelling a confirmed order). */
  | "forbidden"
  /** The farmer cancels without a reason. */
  | "reason_required"
  /** Someone else changed the order first; reload and try again. */
  | "conflict";

export type ItemProblemCode =
  /** Nothing left (or the pre-order capacity is used up). */
  | "sold_out"
  /** Fewer left than asked: `left` says how many. */
  | "only_left"
  /** Below the listing's minimum order: `min`. */
  | "below_minimum"
  /** Not a whole number, 0 or less, or absurdly large. */
  | "invalid_quantity"
  /** Listing not on sale (draft, paused, archived) or its stall is not published. */
  | "unavailable"
  /** The price differs from the one the buyer was shown: `priceDong` is the current one. */
  | "price_changed";

export interface ItemProblem {
  listingId: string;
  /** Empty when the listing does not exist at all. */
  title: string;
  problem: ItemProblemCode;
  left?: number;
  min?: number;
  priceDong?: number;
  /** Translation key: `problems.<problem>`, with {{title}}, {{left}}, {{min}}, {{price}}. */
  messageKey: string;
}

export const itemProblem = (p: Omit<ItemProblem, "messageKey">): ItemProblem => ({
  ...p,
  messageKey: `problems.${p.problem}`,
});

export class OrderError extends RefusalError<OrderErrorCode> {
  override name = "OrderError";
  readonly namespace = "orders";
  readonly items: ItemProblem[];
  readonly stallIds: string[];
  /** Amounts in đồng the message names (payment_amount: `min`, `max`). */
  readonly amounts: Record<string, number>;
  /**
   * illegal_transition out of a cancelled order: who cancelled it, so the
   * message says so in plain words (a farmer's change sent late from the
   * phone, after the buyer cancelled): 409, `errors.cancelledBy.<role>`.
   */
  readonly cancelledBy?: "buyer" | "farmer" | "officer" | "system";

  constructor(
    code: OrderErrorCode,
    details: {
      fields?: Record<string, string>;
      items?: ItemProblem[];
      stallIds?: string[];
      amounts?: Record<string, number>;
      cancelledBy?: OrderError["cancelledBy"];
    } = {},
  ) {
    super(code, { fields: details.fields });
    this.items = details.items ?? [];
    this.stallIds = details.stallIds ?? [];
    this.amounts = details.amounts ?? {};
    this.cancelledBy = details.cancelledBy;
  }

  get messageKey(): string {
    return this.cancelledBy ? `errors.cancelledBy.${this.cancelledBy}` : `errors.${this.code}`;
  }

  override get httpStatus(): number {
    return this.cancelledBy ? 409 : super.httpStatus;
  }

  override get messageValues(): Record<string, unknown> {
    return this.amounts;
  }
}

/** The items a refusal names (an OrderError's `items`); none for any other error. */
export function refusedItems(error: unknown): ItemProblem[] {
  return error instanceof OrderError ? error.items : [];
}

export type OrderAccessCode =
  /** Cancelling without having opened the order (another order's unlock, a forged cookie, no such code): 403. */
  | "cancel_locked"
  /** Paying without having opened the order: 403. */
  | "pay_locked"
  /** The phone typed to open an order is not a Vietnamese mobile number (`problem` says why). */
  | "phone_invalid"
  /** The phone typed is not the order's. */
  | "wrong_phone"
  /** Too many guesses at the order's phone: 429 with Retry-After. */
  | "too_many_tries"
  /** The farmer moved the order on: the buyer may no longer cancel (the state machine's status). */
  | "too_late";

const ACCESS_MESSAGES: Record<Exclude<OrderAccessCode, "phone_invalid">, string> = {
  cancel_locked: "page.cancelLocked",
  pay_locked: "page.payLocked",
  wrong_phone: "page.wrongPhone",
  too_many_tries: "page.tooManyTries",
  too_late: "page.cancelTooLate",
};

/**
 * Refusals of the buyer's order page (order-access.server.ts): one message,
 * the same whether or not the order exists, so it tells nothing about it.
 */
export class OrderAccessRefused extends RefusalError<OrderAccessCode> {
  override name = "OrderAccessRefused";
  readonly namespace = "orders";

  constructor(
    code: OrderAccessCode,
    readonly details: { phoneProblem?: string; retryAfterSeconds?: number; status?: number; cause?: unknown } = {},
  ) {
    super(code, { cause: details.cause });
  }

  get messageKey(): string {
    return this.code === "phone_invalid" ? `fields.phone.${this.details.phoneProblem}` : ACCESS_MESSAGES[this.code];
  }

  override get messageValues(): Record<string, unknown> {
    return this.code === "too_many_tries" ? { minutes: Math.ceil((this.details.retryAfterSeconds ?? 60) / 60) } : {};
  }

  override get httpStatus(): number {
    if (this.details.status) return this.details.status;
    if (this.code === "cancel_locked" || this.code === "pay_locked") return 403;
    return this.code === "too_many_tries" ? 429 : 400;
  }

  override get headers(): Record<string, string> {
    return this.code === "too_many_tries" ? { "Retry-After": String(this.details.retryAfterSeconds ?? 60) } : {};
  }
}
