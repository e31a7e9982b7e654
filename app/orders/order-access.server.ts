/**
 * Who may see an order on its page (/orders/:orderCode), and act on it there:
 * - its buyer, signed in;
 * - whoever arrives with the order's checkout code (?checkout=…): checkout
 *   redirects the buyer there with it, and only the buyer was given it;
 * - whoever typed the phone number used at checkout (unlockOrder).
 * The last two are remembered in a signed cookie listing the unlocked order
 * ids, so a guest comes back without typing again. Everyone else sees only the
 * phone form, whether or not the code exists (the form tells nothing). Each
 * wrong phone is a guess at a buyer's number: few per order, more per address
 * (CGNAT) — `orderUnlock.order` and `orderUnlock.ip` in RATE_LIMITS.
 */
import { createCookie } from "@remix-run/node";
import type { Order } from "#db/schema";
import { normalizeCode } from "./codes";
import { OrderAccessRefused, OrderError } from "./errors";
import { orderForPage, stallContact, stallNames } from "./order-views.server";
import { changeOrderStatus, getCheckoutOrders, getOrder, type OrderDetails } from "./orders.server";
import { nextStatuses } from "./state-machine";
import { countHit } from "~/http/index.server";
import type { Database } from "~/utils/db.server";
import { env, sessionSecrets } from "~/utils/env.server";
import { formatPhone, parseVietnameseMobile } from "~/utils/phone";

/** The orders one browser keeps unlocked (newest first), and for how long. */
const UNLOCKED_MAX = 20;
const UNLOCKED_MAX_AGE = 60 * 60 * 24 * 30;

let cookie: ReturnType<typeof createCookie> | undefined;
function unlockedCookie() {
  cookie ??= createCookie("orders_unlocked", {
    path: "/orders",
    httpOnly: true,
    sameSite: "lax",
    secure: env().COOKIE_SECURE,
    maxAge: UNLOCKED_MAX_AGE,
    secrets: sessionSecrets(),
  });
  return cookie;
}

async function unlockedIds(request: Request): Promise<string[]> {
  // A tampered or foreign-signed cookie parses to null.
  const value: unknown = await unlockedCookie().parse(request.headers.get("Cookie"));
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string").slice(0, UNLOCKED_MAX) : [];
}

/** Set-Cookie adding these order ids, newest first, keeping at most UNLOCKED_MAX. */
async function rememberUnlocked(request: Request, orderIds: string[]): Promise<string> {
  const ids = [...new Set([...orderIds, ...(await unlockedIds(request))])].slice(0, UNLOCKED_MAX);
  return unlockedCookie().serialize(ids);
}

/** Whoever asks: the signed-in person, if any. */
type Viewer = { id: string } | null;

export type OrderAccess =
  | { code: string; details: OrderDetails; via: "buyer"; userId: string }
  | { code: string; details: OrderDetails; via: "cookie" | "checkout" }
  | { code: string; details: null };

/** How `viewer` may see the order (details null: not at all); null for a code that cannot be one. */
async function readOrderAccess(
  db: Database,
  request: Request,
  orderCode: string | undefined,
  viewer: Viewer,
): Promise<OrderAccess | null> {
  const code = normalizeCode(orderCode);
  if (!code) return null;
  const details = await getOrder(db, { orderCode: code }, { byCode: true });
  if (!details) return { code, details: null };
  if (viewer && details.order.buyerUserId === viewer.id) return { code, details, via: "buyer", userId: viewer.id };
  if ((await unlockedIds(request)).includes(details.order.id)) return { code, details, via: "cookie" };
  const checkoutCode = new URL(request.url).searchParams.get("checkout");
  if (checkoutCode) {
    const siblings = await getCheckoutOrders(db, checkoutCode);
    if (siblings.some((o) => o.id === details.order.id)) return { code, details, via: "checkout" };
  }
  return { code, details: null };
}

/**
 * What the buyer's order page shows: the order, its stall, the checkout's other
 * orders (one per stall) when the buyer came with its code, and whether the
 * buyer may still cancel. `row` is the order itself, for what other
 * capabilities add (its payment); `setCookie` remembers a checkout arrived
 * from, so its links work without the code. Null for a code that cannot be one.
 */
export async function buyerOrderPage(
  db: Database,
  request: Request,
  { orderCode, viewer, lng }: { orderCode: string | undefined; viewer: Viewer; lng: string },
) {
  const access = await readOrderAccess(db, request, orderCode, viewer);
  if (!access) return null;
  if (!access.details) return { locked: true as const, code: access.code };
  const { order, items, timeline, stallName, stallSlug } = access.details;

  const checkoutCode = normalizeCode(new URL(request.url).searchParams.get("checkout"));
  const checkoutOrders = checkoutCode ? await getCheckoutOrders(db, checkoutCode) : [];
  const sameCheckout = checkoutOrders.some((o) => o.id === order.id);
  const [contact, shown, names] = await Promise.all([
    stallContact(db, order.stallId),
    orderForPage(db, order, lng),
    stallNames(db, sameCheckout ? checkoutOrders.map((o) => o.stallId) : []),
  ]);
  return {
    locked: false as const,
    code: access.code,
    row: order,
    order: {
      ...shown,
      buyerPhone: formatPhone(order.buyerPhone),
      pickupAddress: order.deliveryMethod === "pickup" ? contact.pickupAddress : "",
    },
    items,
    timeline,
    stall: { name: stallName, slug: stallSlug, phone: contact.phone },
    checkout: sameCheckout
      ? {
          code: checkoutCode!,
          orders: checkoutOrders.map((o) => ({
            code: o.code,
            status: o.status,
            paymentStatus: o.paymentStatus,
            totalDong: o.totalDong,
            stallName: names.get(o.stallId) ?? "",
            current: o.id === order.id,
          })),
        }
      : null,
    // Whoever may read the page is its buyer, with or without an account (cancelling checks again).
    cancel: nextStatuses(order.status, "buyer", order.deliveryMethod).includes("cancelled"),
    setCookie:
      access.via === "checkout"
        ? await rememberUnlocked(
            request,
            checkoutOrders.map((o) => o.id),
          )
        : null,
  };
}

/**
 * Opens the order for whoever typed the phone used at checkout: the Set-Cookie
 * that remembers it. Refuses (OrderAccessRefused) a number that is not a
 * mobile one, the wrong number (or no such order), and guesses past the limits.
 */
export async function unlockOrder(
  db: Database,
  request: Request,
  { orderCode, phone, ip }: { orderCode: string; phone: string; ip: string },
): Promise<string> {
  const parsed = parseVietnameseMobile(phone);
  if (!parsed.ok) throw new OrderAccessRefused("phone_invalid", { phoneProblem: parsed.problem });
  const [byOrder, byIp] = await Promise.all([countHit("orderUnlock.order", orderCode), countHit("orderUnlock.ip", ip)]);
  if (!byOrder.allowed || !byIp.allowed) {
    const retryAfterSeconds = Math.max(byOrder.retryAfterSeconds, byIp.retryAfterSeconds);
    throw new OrderAccessRefused("too_many_tries", { retryAfterSeconds });
  }
  const details = await getOrder(db, { orderCode }, { byCode: true });
  if (!details || details.order.buyerPhone !== parsed.e164) throw new OrderAccessRefused("wrong_phone");
  return rememberUnlocked(request, [details.order.id]);
}

/**
 * The buyer cancels, with the same proof as reading the page. Without it (no
 * unlock, another order's cookie, a forged one, a code that does not exist)
 * the refusal is one and the same, so it tells nothing about the order. A
 * guest (phone or checkout link) cancels as the buyer without an account.
 */
export async function cancelOrderAsBuyer(
  db: Database,
  request: Request,
  { orderCode, viewer, reason }: { orderCode: string; viewer: Viewer; reason: string },
): Promise<void> {
  const access = await readOrderAccess(db, request, orderCode, viewer);
  if (!access?.details) throw new OrderAccessRefused("cancel_locked");
  const orderId = access.details.order.id;
  const userId = access.via === "buyer" ? access.userId : null;
  try {
    await changeOrderStatus(db, {
      order: { orderId },
      scope: userId ? { buyerUserId: userId } : { guestOrderId: orderId },
      to: "cancelled",
      actor: { role: "buyer", userId },
      reason,
    });
  } catch (error) {
    // The farmer moved the order on (confirmed it, or further): the buyer may no longer cancel.
    if (error instanceof OrderError && (error.code === "forbidden" || error.code === "illegal_transition")) {
      throw new OrderAccessRefused("too_late", { status: error.httpStatus, cause: error });
    }
    throw error;
  }
}

/** The order, for whoever may read its page to pay it ("Thanh toán lại"); refused like cancelling otherwise. */
export async function orderToPay(
  db: Database,
  request: Request,
  { orderCode, viewer }: { orderCode: string; viewer: Viewer },
): Promise<Order> {
  const access = await readOrderAccess(db, request, orderCode, viewer);
  if (!access?.details) throw new OrderAccessRefused("pay_locked");
  return access.details.order;
}
