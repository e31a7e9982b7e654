/**
 * What is left to pay of one checkout, for its buyer. A checkout is one order
 * per stall, each paid as its stall allows; every online method is one
 * payment for all of the checkout's orders that chose it (a "group":
 * startOnlinePayment). The groups are paid one after the other, VNPay first,
 * then cards (the order the checkout lists the methods in): checkout starts
 * the first group (afterCheckout), each return page offers the next
 * (`nextGroup`), and the order pages list what still waits. VietQR orders
 * wait for the buyer's transfer, each to its own farmer; cash on delivery is
 * paid at the door and never waits here.
 *
 * Called by the return pages (the checkout of the attempt the buyer came back
 * from) and the buyer's order pages; only for the checkout's buyer
 * (`CheckoutBuyer`).
 */
import { and, asc, desc, eq, inArray } from "drizzle-orm";
import {
  checkouts,
  orders,
  paymentAttempts,
  stalls,
  type OrderPaymentStatus,
  type OrderStatus,
  type PaymentMethod,
} from "#db/schema";
import { ONLINE_METHODS } from "../core/attempts.server";
import { PaymentError } from "../core/errors";
import { paymentProviders, type OnlineMethod, type PaymentProviders } from "../core/providers.server";
import { normalizeCode } from "~/orders";
import type { Database } from "~/utils/db.server";
import { isUuid } from "~/utils/db-errors.server";

/**
 * Who asks, and how they show the checkout is theirs:
 * - whoever holds the checkout's code: it was given only to its buyer (the
 *   redirect after checkout, the return pages, the order pages' links), and it
 *   opens the checkout's order pages too (app/orders/order-access.server.ts);
 * - a signed-in buyer, for a checkout placed from their account.
 */
export type CheckoutBuyer = { checkoutCode: string } | { checkoutId: string; userId: string };

export interface WaitingOrder {
  code: string;
  stallName: string;
  totalDong: number;
}

/** One online payment still to make: the checkout's unpaid orders that chose this provider. */
export interface PayGroup {
  provider: OnlineMethod;
  /** Not paid and not cancelled, in the checkout's order. */
  orders: WaitingOrder[];
  /** What the payment charges: their totals. */
  amountDong: number;
  /** A payment of theirs is under way: the buyer may have paid, and the provider's word has not come yet. */
  pending: boolean;
  /** Paid before without success ("Thanh toán lại" rather than "Thanh toán"). */
  tried: boolean;
  /** How the latest attempt ended when it did not pay. */
  lastAttempt: "failed" | "expired" | "cancelled" | null;
}

export interface CheckoutOrder extends WaitingOrder {
  paymentMethod: PaymentMethod;
  paymentStatus: OrderPaymentStatus;
  status: OrderStatus;
}

export interface CheckoutPaymentPlan {
  checkoutId: string;
  checkoutCode: string;
  /** The online payments left, in the order they are made. Empty: nothing is left to pay online. */
  groups: PayGroup[];
  /** VietQR orders waiting for the buyer's transfer (the QR is on each order's page). */
  transfers: WaitingOrder[];
  /** Every order of the checkout, in its order (placed time, then code), as the order pages list them. */
  orders: CheckoutOrder[];
}

const unpaid = (status: OrderPaymentStatus) => status === "unpaid" || status === "pending";
const ENDED_UNPAID = ["failed", "expired", "cancelled"] as const;

/**
 * The checkout's payments for its buyer. Refuses (PaymentError not_found) a
 * code that is no checkout's and a checkout that is not the signed-in
 * buyer's, alike: the answer tells nothing about someone else's checkout.
 * Online orders of a provider this deployment no longer has are in no group
 * (nothing could take their payment; their page says so).
 */
export async function checkoutPaymentPlan(
  db: Database,
  buyer: CheckoutBuyer,
  providers: PaymentProviders = paymentProviders(),
): Promise<CheckoutPaymentPlan> {
  let where;
  if ("checkoutCode" in buyer) {
    const code = normalizeCode(buyer.checkoutCode);
    if (!code) throw new PaymentError("not_found");
    where = eq(checkouts.code, code);
  } else {
    if (!isUuid(buyer.checkoutId) || !isUuid(buyer.userId)) throw new PaymentError("not_found");
    where = and(eq(checkouts.id, buyer.checkoutId), eq(checkouts.buyerUserId, buyer.userId));
  }
  const [checkout] = await db.select({ id: checkouts.id, code: checkouts.code }).from(checkouts).where(where);
  if (!checkout) throw new PaymentError("not_found");
  return planOf(db, checkout, providers);
}

/** The plan of a checkout the caller already holds (afterCheckout: the one just placed). */
export async function planOf(
  db: Database,
  checkout: { id: string; code: string },
  providers: PaymentProviders = paymentProviders(),
): Promise<CheckoutPaymentPlan> {
  const [rows, attempts] = await Promise.all([
    db
      .select({
        code: orders.code,
        stallName: stalls.name,
        totalDong: orders.totalDong,
        paymentMethod: orders.paymentMethod,
        paymentStatus: orders.paymentStatus,
        status: orders.status,
      })
      .from(orders)
      .innerJoin(stalls, eq(stalls.id, orders.stallId))
      .where(eq(orders.checkoutId, checkout.id))
      .orderBy(asc(orders.createdAt), asc(orders.code)),
    db
      .select({ provider: paymentAttempts.provider, status: paymentAttempts.status })
      .from(paymentAttempts)
      .where(and(eq(paymentAttempts.checkoutId, checkout.id), inArray(paymentAttempts.provider, [...ONLINE_METHODS])))
      .orderBy(desc(paymentAttempts.createdAt)),
  ]);
  const waiting = rows.filter((o) => o.status !== "cancelled" && unpaid(o.paymentStatus));
  const waitingOrder = (o: (typeof rows)[number]): WaitingOrder => ({
    code: o.code,
    stallName: o.stallName,
    totalDong: o.totalDong,
  });

  const groups: PayGroup[] = [];
  for (const provider of ONLINE_METHODS) {
    if (!providers[provider]) continue;
    const mine = waiting.filter((o) => o.paymentMethod === provider);
    if (mine.length === 0) continue;
    const tries = attempts.filter((a) => a.provider === provider);
    const last = tries[0]?.status;
    groups.push({
      provider,
      orders: mine.map(waitingOrder),
      amountDong: mine.reduce((sum, o) => sum + o.totalDong, 0),
      pending: mine.some((o) => o.paymentStatus === "pending"),
      tried: tries.length > 0,
      lastAttempt: ENDED_UNPAID.find((s) => s === last) ?? null,
    });
  }
  return {
    checkoutId: checkout.id,
    checkoutCode: checkout.code,
    groups,
    transfers: waiting.filter((o) => o.paymentMethod === "vietqr").map(waitingOrder),
    orders: rows,
  };
}

/**
 * The next payment to make: the first group left, past the one the buyer is
 * on (`after`: the return page's provider, which is either paid or offered
 * again on its own). Null when no other online payment is left.
 */
export function nextGroup(plan: Pick<CheckoutPaymentPlan, "groups">, after?: OnlineMethod): PayGroup | null {
  return plan.groups.find((g) => g.provider !== after) ?? null;
}

/** The group of this provider still to pay, if any (the return page's "pay again"). */
export function groupOf(plan: Pick<CheckoutPaymentPlan, "groups">, provider: OnlineMethod): PayGroup | null {
  return plan.groups.find((g) => g.provider === provider) ?? null;
}

/**
 * Where a group's button posts: the order page of its first order, with the
 * checkout's code (which opens it for the buyer), intent=pay. That action
 * (startOnlinePayment) pays the whole group, goes back to a payment already
 * open at the provider, and refuses what is paid: nothing is charged twice.
 */
export function payAction(plan: Pick<CheckoutPaymentPlan, "checkoutCode">, group: PayGroup): string {
  return orderHref(plan, group.orders[0].code);
}

/** An order's page, opened with the checkout's code. */
export function orderHref(plan: Pick<CheckoutPaymentPlan, "checkoutCode">, orderCode: string): string {
  return `/orders/${orderCode}?${new URLSearchParams({ checkout: plan.checkoutCode })}`;
}

// ---------------------------------------------------------------- the return pages

/** A payment the return page offers: a form posting intent=pay to `action`. */
export interface GroupOffer {
  provider: OnlineMethod;
  amountDong: number;
  orders: { code: string; stallName: string }[];
  action: string;
}

/** What the return page says of the rest of the checkout, and where it takes the buyer next. */
export interface ReturnNext {
  checkoutCode: string;
  /** The payment the buyer came back from, still to make (it failed, or they gave up): pay it again. */
  retry: GroupOffer | null;
  /** The checkout's next online payment. */
  next: GroupOffer | null;
  /** VietQR orders waiting for the buyer's transfer, with their pages (the QR). */
  transfers: (WaitingOrder & { href: string })[];
  /** Nothing is left to pay before delivery (cash on delivery is paid at the door). */
  done: boolean;
  /** Some order of the checkout is paid in cash when it arrives. */
  cashOnDelivery: boolean;
  /** Every order of the checkout with its page. */
  orders: { code: string; stallName: string; href: string; paymentStatus: OrderPaymentStatus }[];
}

/**
 * After the buyer came back from a payment of `provider` for this checkout
 * (the return page has verified the attempt; the checkout's code is the
 * attempt's). `settled`: the provider said it paid (the notification may
 * still be on its way), so that payment is not offered again; otherwise it
 * failed or the buyer gave up, and it is offered again before the next one.
 */
export async function returnNext(
  db: Database,
  { checkoutCode, provider, settled }: { checkoutCode: string; provider: OnlineMethod; settled: boolean },
  providers: PaymentProviders = paymentProviders(),
): Promise<ReturnNext> {
  const plan = await checkoutPaymentPlan(db, { checkoutCode }, providers);
  const offer = (group: PayGroup | null): GroupOffer | null =>
    group && {
      provider: group.provider,
      amountDong: group.amountDong,
      orders: group.orders.map((o) => ({ code: o.code, stallName: o.stallName })),
      action: payAction(plan, group),
    };
  const retry = settled ? null : offer(groupOf(plan, provider));
  const next = offer(nextGroup(plan, provider));
  const open = plan.orders.filter((o) => o.status !== "cancelled");
  return {
    checkoutCode: plan.checkoutCode,
    retry,
    next,
    transfers: plan.transfers.map((o) => ({ ...o, href: orderHref(plan, o.code) })),
    done: plan.transfers.length === 0 && plan.groups.every((g) => settled && g.provider === provider),
    cashOnDelivery: open.some((o) => o.paymentMethod === "cod" && unpaid(o.paymentStatus)),
    orders: plan.orders.map((o) => ({
      code: o.code,
      stallName: o.stallName,
      href: orderHref(plan, o.code),
      paymentStatus: o.paymentStatus,
    })),
  };
}

// ---------------------------------------------------------------- the order pages

/** What else of the checkout waits for the buyer's payment, seen from one of its orders' pages. */
export interface WaitingBesides {
  /** Online payments of other orders, with what their button says. */
  groups: (GroupOffer & { tried: boolean; pending: boolean })[];
  /** Other VietQR orders waiting for a transfer, with their pages (the QR). */
  transfers: (WaitingOrder & { href: string })[];
}

/**
 * The checkout's payments still to make, but the one `orderCode`'s own
 * payment block already offers (its group, or its transfer). Null when
 * nothing else waits. Refuses like checkoutPaymentPlan.
 */
export async function waitingBesides(
  db: Database,
  buyer: CheckoutBuyer,
  orderCode: string,
  providers: PaymentProviders = paymentProviders(),
): Promise<WaitingBesides | null> {
  const plan = await checkoutPaymentPlan(db, buyer, providers);
  const groups = plan.groups
    .filter((g) => !g.orders.some((o) => o.code === orderCode))
    .map((g) => ({
      provider: g.provider,
      amountDong: g.amountDong,
      orders: g.orders.map((o) => ({ code: o.code, stallName: o.stallName })),
      action: payAction(plan, g),
      tried: g.tried,
      pending: g.pending,
    }));
  const transfers = plan.transfers
    .filter((o) => o.code !== orderCode)
    .map((o) => ({ ...o, href: orderHref(plan, o.code) }));
  return groups.length + transfers.length > 0 ? { groups, transfers } : null;
}
