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

  constructor(
    code: OrderErrorCode,
    details: { fields?: Record<string, string>; items?: ItemProblem[]; stallIds?: string[] } = {},
  ) {
    super(code, { fields: details.fields });
    this.items = details.items ?? [];
    this.stallIds = details.stallIds ?? [];
  }

  get messageKey(): string {
    return `errors.${this.code}`;
  }
}
