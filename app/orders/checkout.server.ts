/**
 * Placing a checkout: the buyer's items, from one or several stalls, become
 * one order per stall, grouped under a checkout code, in ONE transaction.
 *
 * - Prices are read from the database; the price the buyer was shown comes
 *   along only to be compared (a changed or tampered price refuses the
 *   checkout with `price_changed` and the current price, so the buyer sees
 *   it before paying).
 * - Stock is taken by guarded updates (stock.server.ts). If any item is short,
 *   the whole checkout is refused with every short item named (sold out /
 *   only N left) and nothing is changed.
 * - Each stall's delivery choice must be one it offers (local delivery only to
 *   its communes); the fee comes from its settings (delivery.ts). Its payment
 *   method must be one the stall offers here, and the orders' amounts ones
 *   their methods can pay: payments answer both (CheckoutPayments, passed in
 *   by the caller: app/payments' checkoutPayments()). Paying itself (VietQR
 *   attempts, the redirect to VNPay or Stripe) starts after the commit, in
 *   app/payments.
 * - Every order starts its timeline with a "placed" event.
 * - With `guard` (the checkout route always passes it), the limits against
 *   spam and hoarding run in the same transaction before any stock is taken
 *   (checkout-guard.server.ts, ADR 019): a number past its caps is refused,
 *   and an unproved number past the threshold must be proved by SMS code
 *   first. Tests and scripts that place orders directly may leave it out.
 * - Whether the buyer proved the phone is stored on each order: messages to a
 *   number nobody proved carry only the order's code and link.
 * Notifications go out after the commit and never fail the checkout.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import {
  cartItems,
  checkouts,
  communes,
  listings,
  orderEvents,
  orderItems,
  orders,
  stalls,
  type PaymentMethod,
} from "#db/schema";
import { newCode } from "./codes";
import { deliveryOptions } from "./delivery";
import { OrderError, itemProblem, type ItemProblem } from "./errors";
import type { DeliveryMethodCode, OrderStatusCode } from "./state-machine";
import { guardCheckout } from "./checkout-guard.server";
import type { CheckoutPayments } from "./payment-ports";
import { reservationOf, reserve, type Reservation } from "./stock.server";
import { MAX_QUANTITY, todayInVietnam } from "~/listings";
import { notifyOrderPlaced } from "./notify.server";
import type { Database } from "~/utils/db.server";
import { isUuid } from "~/utils/db-errors.server";
import { parseVietnameseMobile } from "~/utils/phone";
import { multiLine, oneLine } from "~/utils/text";

export const BUYER_NAME_MAX = 100;
export const ADDRESS_LINE_MAX = 200;
export const NOTE_MAX = 500;

export interface CheckoutItemInput {
  listingId: string;
  /** In the listing's unit. */
  qty: number;
  /** The unit price the buyer was shown (compared, never charged). */
  priceDong: number;
}

export interface StallChoice {
  stallId: string;
  delivery: DeliveryMethodCode;
  paymentMethod: PaymentMethod;
  /** To the farmer ("giao sau 5 giờ chiều"). */
  note?: string;
}

export interface CheckoutInput {
  buyer: {
    /** The signed-in buyer, or null for a guest checkout. */
    userId?: string | null;
    name: string;
    /** As typed; stored in E.164. */
    phone: string;
    /** Language of the buyer's notifications. */
    locale?: string;
    /**
     * Whoever is ordering showed they hold `phone` (a signed-in account's
     * confirmed phone, a checkout proof, the SMS code): the orders say so, and
     * their messages may carry the stall's name.
     */
    phoneProved?: boolean;
  };
  /** Required when any stall delivers (local or shipping); ignored for pickup only. */
  address?: { provinceCode: string; communeCode: string; addressLine: string } | null;
  /** One choice per stall that has items. */
  stalls: StallChoice[];
  items: CheckoutItemInput[];
  /** The buyer's cart: the lines bought are removed from it in the same transaction. */
  cartId?: string | null;
  /** Which methods each stall offers and which amounts they can pay (app/payments' checkoutPayments()). */
  payments: CheckoutPayments;
  /** The limits of checkout-guard.server.ts, for a checkout from this client IP. */
  guard?: { ip: string };
  /** PUBLIC_URL's origin, else the request's: links in the buyer's messages start with it. */
  siteUrl?: string;
}

export interface PlacedOrder {
  id: string;
  code: string;
  stallId: string;
  status: OrderStatusCode;
  deliveryMethod: DeliveryMethodCode;
  paymentMethod: PaymentMethod;
  subtotalDong: number;
  deliveryFeeDong: number;
  totalDong: number;
}

export interface PlacedCheckout {
  checkoutId: string;
  checkoutCode: string;
  /** One per stall, in the order the stalls were given. */
  orders: PlacedOrder[];
  totalDong: number;
}

const isQuantity = (n: unknown): n is number =>
  Number.isSafeInteger(n) && (n as number) > 0 && (n as number) <= MAX_QUANTITY;

/** Checks what needs no database; returns the cleaned buyer fields. */
function checkForm(input: CheckoutInput) {
  const fields: Record<string, string> = {};
  const name = oneLine(input.buyer.name);
  if (!name) fields.name = "fields.name.required";
  else if (name.length > BUYER_NAME_MAX) fields.name = "fields.name.tooLong";
  const phone = parseVietnameseMobile(input.buyer.phone);
  if (!phone.ok) fields.phone = `fields.phone.${phone.problem}`;
  const note = (s: StallChoice) => multiLine(s.note);
  for (const s of input.stalls) if (note(s).length > NOTE_MAX) fields[`note.${s.stallId}`] = "fields.note.tooLong";
  if (Object.keys(fields).length > 0) throw new OrderError("invalid_input", { fields });
  if (input.items.length === 0) throw new OrderError("empty");

  const bad = input.items.filter((i) => !isQuantity(i.qty) || !isUuid(i.listingId));
  if (bad.length > 0) {
    throw new OrderError("items_unavailable", {
      items: bad.map((i) =>
        itemProblem({
          listingId: String(i.listingId),
          title: "",
          problem: isUuid(i.listingId) ? "invalid_quantity" : "unavailable",
        }),
      ),
    });
  }
  // The same listing twice (two tabs) is one line of the summed quantity.
  const merged = new Map<string, CheckoutItemInput>();
  for (const i of input.items) {
    const seen = merged.get(i.listingId);
    merged.set(i.listingId, seen ? { ...seen, qty: seen.qty + i.qty } : { ...i });
  }
  return {
    name,
    phone: phone.ok ? phone.e164 : "",
    items: [...merged.values()].sort((a, b) => (a.listingId < b.listingId ? -1 : 1)),
    noteOf: (stallId: string) =>
      note(input.stalls.find((s) => s.stallId === stallId) ?? { stallId, delivery: "pickup", paymentMethod: "cod" }),
  };
}

async function insertWithCode<T>(insert: (code: string) => Promise<T | undefined>): Promise<T> {
  // ON CONFLICT DO NOTHING keeps the transaction alive on a collision (an error would abort it).
  for (let attempt = 0; attempt < 5; attempt++) {
    const row = await insert(newCode());
    if (row) return row;
  }
  throw new Error("no free order code after 5 attempts");
}

/**
 * Places the checkout; throws OrderError (invalid_input with `fields`, empty,
 * items_unavailable with `items`, delivery_unavailable / payment_unavailable
 * with `stallIds`, payment_amount with the ids of the stalls whose orders
 * cannot be paid for their amount) and changes nothing when refused.
 */
export async function placeCheckout(db: Database, input: CheckoutInput): Promise<PlacedCheckout> {
  const form = checkForm(input);
  const today = todayInVietnam();
  const ids = form.items.map((i) => i.listingId);

  const placed = await db.transaction(async (tx) => {
    const rows = await tx
      .select({ listing: listings, stall: stalls })
      .from(listings)
      .innerJoin(stalls, eq(stalls.id, listings.stallId))
      .where(inArray(listings.id, ids));
    const byId = new Map(rows.map((r) => [r.listing.id, r]));

    // 1. What can be told from the rows as read: nothing is written yet.
    const problems: ItemProblem[] = [];
    for (const item of form.items) {
      const row = byId.get(item.listingId);
      const l = row?.listing;
      const base = { listingId: item.listingId, title: l?.title ?? "" };
      if (!row || !l || row.stall.status !== "published" || (l.status !== "active" && l.status !== "sold_out")) {
        problems.push(itemProblem({ ...base, problem: "unavailable" }));
      } else if (l.status === "sold_out") {
        problems.push(itemProblem({ ...base, problem: "sold_out" }));
      } else if (item.qty < l.minOrderQty) {
        problems.push(itemProblem({ ...base, problem: "below_minimum", min: l.minOrderQty }));
      } else if (item.priceDong !== l.priceDong) {
        problems.push(itemProblem({ ...base, problem: "price_changed", priceDong: l.priceDong }));
      } else {
        const short = shortage(l, reservationOf(l, today), item.qty);
        if (short) problems.push(itemProblem({ ...base, ...short }));
      }
    }
    if (problems.length > 0) throw new OrderError("items_unavailable", { items: problems });

    // 2. Each stall's delivery and payment, and the address they need.
    // In the order the page listed the stalls, so orders come back in the order the buyer saw them.
    const given = input.stalls.map((s) => s.stallId);
    const rank = (id: string) => (given.includes(id) ? given.indexOf(id) : given.length);
    const stallIds = [...new Set(form.items.map((i) => byId.get(i.listingId)!.stall.id))].sort(
      (a, b) => rank(a) - rank(b),
    );
    const choices = new Map(input.stalls.map((s) => [s.stallId, s]));
    const missing = stallIds.filter((id) => !choices.has(id));
    if (missing.length > 0) {
      throw new OrderError("invalid_input", {
        fields: Object.fromEntries(missing.map((id) => [`delivery.${id}`, "fields.delivery.required"])),
      });
    }
    const delivers = stallIds.some((id) => choices.get(id)!.delivery !== "pickup");
    const address = delivers ? await checkedAddress(tx, input.address) : null;

    const unpayable = stallIds.filter((id) => {
      const stall = rows.find((r) => r.stall.id === id)!.stall;
      return !input.payments.offered(stall).includes(choices.get(id)!.paymentMethod);
    });
    if (unpayable.length > 0) throw new OrderError("payment_unavailable", { stallIds: unpayable });

    const fees = new Map<string, number>();
    const undeliverable: string[] = [];
    for (const id of stallIds) {
      const stall = rows.find((r) => r.stall.id === id)!.stall;
      const lines = form.items
        .filter((i) => byId.get(i.listingId)!.stall.id === id)
        .map((i) => ({ unit: byId.get(i.listingId)!.listing.unit, qty: i.qty }));
      const option = deliveryOptions(stall, lines, address?.communeCode).find(
        (o) => o.method === choices.get(id)!.delivery,
      );
      if (!option?.available) undeliverable.push(id);
      else fees.set(id, option.feeDong);
    }
    if (undeliverable.length > 0) throw new OrderError("delivery_unavailable", { stallIds: undeliverable });

    // Each order's amount must be one its method can pay (VNPay pays the checkout's VNPay orders together).
    const amountRefused = input.payments.refusedAmounts(
      stallIds.map((id) => {
        const goods = form.items
          .filter((i) => byId.get(i.listingId)!.stall.id === id)
          .reduce((s, i) => s + byId.get(i.listingId)!.listing.priceDong * i.qty, 0);
        return { stallId: id, paymentMethod: choices.get(id)!.paymentMethod, totalDong: goods + fees.get(id)! };
      }),
    );
    if (amountRefused.length > 0) {
      throw new OrderError("payment_amount", { stallIds: amountRefused, amounts: input.payments.amountWindow });
    }

    // The limits against spam and hoarding: before anything is taken, and rolled back with a refusal.
    if (input.guard) {
      await guardCheckout(tx, {
        phone: form.phone,
        ip: input.guard.ip,
        proved: input.buyer.phoneProved === true,
        newOrders: stallIds.length,
      });
    }

    // 3. Take the stock, in listing id order (two checkouts of the same items lock in the same order).
    const taken = new Map<string, { reserved: NonNullable<Awaited<ReturnType<typeof reserve>>>; kind: Reservation }>();
    for (const item of form.items) {
      const l = byId.get(item.listingId)!.listing;
      const kind = reservationOf(l, today);
      const reserved = await reserve(tx, { listingId: l.id, qty: item.qty, kind, today });
      if (!reserved) {
        problems.push(
          itemProblem({ listingId: l.id, title: l.title, ...(await shortageNow(tx, l.id, item.qty, today)) }),
        );
      } else if (reserved.priceDong !== item.priceDong) {
        problems.push(
          itemProblem({
            listingId: l.id,
            title: reserved.title,
            problem: "price_changed",
            priceDong: reserved.priceDong,
          }),
        );
      } else {
        taken.set(l.id, { reserved, kind });
      }
    }
    if (problems.length > 0) throw new OrderError("items_unavailable", { items: problems });

    // 4. The rows.
    const checkout = await insertWithCode(async (code) => {
      const [row] = await tx
        .insert(checkouts)
        .values({ code, buyerUserId: input.buyer.userId ?? null, siteUrl: input.siteUrl ?? null })
        .onConflictDoNothing({ target: checkouts.code })
        .returning();
      return row;
    });
    const result: PlacedOrder[] = [];
    for (const stallId of stallIds) {
      const lines = form.items
        .filter((i) => taken.get(i.listingId)!.reserved.stallId === stallId)
        .map((i) => {
          const { reserved, kind } = taken.get(i.listingId)!;
          return {
            listingId: reserved.id,
            title: reserved.title,
            unit: reserved.unit,
            unitPriceDong: reserved.priceDong,
            qty: i.qty,
            lineTotalDong: reserved.priceDong * i.qty,
            reservation: kind,
          };
        });
      const subtotalDong = lines.reduce((sum, l) => sum + l.lineTotalDong, 0);
      const deliveryFeeDong = fees.get(stallId)!;
      const choice = choices.get(stallId)!;
      const pickup = choice.delivery === "pickup";
      const order = await insertWithCode(async (code) => {
        const [row] = await tx
          .insert(orders)
          .values({
            code,
            checkoutId: checkout.id,
            stallId,
            buyerUserId: input.buyer.userId ?? null,
            buyerName: form.name,
            buyerPhone: form.phone,
            buyerLocale: input.buyer.locale === "en" ? "en" : "vi",
            buyerPhoneConfirmedAt: input.buyer.phoneProved ? sql`now()` : null,
            deliveryMethod: choice.delivery,
            provinceCode: pickup ? null : address!.provinceCode,
            communeCode: pickup ? null : address!.communeCode,
            addressLine: pickup ? "" : address!.addressLine,
            buyerNote: form.noteOf(stallId),
            subtotalDong,
            deliveryFeeDong,
            totalDong: subtotalDong + deliveryFeeDong,
            paymentMethod: choice.paymentMethod,
          })
          .onConflictDoNothing({ target: orders.code })
          .returning();
        return row;
      });
      await tx.insert(orderItems).values(lines.map((l) => ({ orderId: order.id, ...l })));
      await tx.insert(orderEvents).values({
        orderId: order.id,
        actorUserId: input.buyer.userId ?? null,
        actorRole: "buyer",
        fromStatus: null,
        toStatus: "placed",
      });
      result.push({
        id: order.id,
        code: order.code,
        stallId,
        status: order.status,
        deliveryMethod: order.deliveryMethod,
        paymentMethod: order.paymentMethod,
        subtotalDong,
        deliveryFeeDong,
        totalDong: order.totalDong,
      });
    }
    if (input.cartId && isUuid(input.cartId)) {
      await tx.delete(cartItems).where(and(eq(cartItems.cartId, input.cartId), inArray(cartItems.listingId, ids)));
    }
    return {
      checkoutId: checkout.id,
      checkoutCode: checkout.code,
      orders: result,
      totalDong: result.reduce((sum, o) => sum + o.totalDong, 0),
    };
  });

  for (const order of placed.orders) await notifyOrderPlaced(db, order.id);
  return placed;
}

/**
 * The payment methods each stall offers a buyer now, in the order the checkout
 * lists them (stall id → methods; none: the stall cannot be ordered from).
 */
export async function paymentChoices(
  db: Database,
  stallIds: string[],
  payments: CheckoutPayments,
): Promise<Record<string, PaymentMethod[]>> {
  const ids = [...new Set(stallIds)].filter(isUuid);
  if (ids.length === 0) return {};
  const rows = await db.select().from(stalls).where(inArray(stalls.id, ids));
  return Object.fromEntries(rows.map((stall) => [stall.id, payments.offered(stall)]));
}

type Shortage = { problem: "sold_out" } | { problem: "only_left"; left: number };

function shortage(
  l: { stockQty: number; preorderCapacity: number | null },
  kind: Reservation,
  qty: number,
): Shortage | null {
  if (kind === "none") return null;
  const left = kind === "stock" ? l.stockQty : (l.preorderCapacity ?? 0);
  if (left >= qty) return null;
  return left <= 0 ? { problem: "sold_out" } : { problem: "only_left", left };
}

/** Why a guarded update found nothing: read the row again (it is committed by whoever won). */
async function shortageNow(
  tx: Parameters<Parameters<Database["transaction"]>[0]>[0],
  listingId: string,
  qty: number,
  today: string,
): Promise<Shortage | { problem: "unavailable" }> {
  const [row] = await tx
    .select({ listing: listings, stallStatus: stalls.status })
    .from(listings)
    .innerJoin(stalls, eq(stalls.id, listings.stallId))
    .where(eq(listings.id, listingId));
  if (!row || row.stallStatus !== "published" || row.listing.status === "draft") return { problem: "unavailable" };
  if (row.listing.status === "paused" || row.listing.status === "archived") return { problem: "unavailable" };
  return shortage(row.listing, reservationOf(row.listing, today), qty) ?? { problem: "sold_out" };
}

async function checkedAddress(
  tx: Parameters<Parameters<Database["transaction"]>[0]>[0],
  address: CheckoutInput["address"],
): Promise<{ provinceCode: string; communeCode: string; addressLine: string }> {
  const fields: Record<string, string> = {};
  const addressLine = oneLine(address?.addressLine);
  if (!addressLine) fields.addressLine = "fields.addressLine.required";
  else if (addressLine.length > ADDRESS_LINE_MAX) fields.addressLine = "fields.addressLine.tooLong";
  const [commune] =
    address?.communeCode && address.provinceCode
      ? await tx
          .select({ code: communes.code })
          .from(communes)
          .where(and(eq(communes.code, address.communeCode), eq(communes.provinceCode, address.provinceCode)))
      : [];
  if (!address?.provinceCode) fields.province = "fields.province.required";
  if (!commune) fields.commune = "fields.commune.required";
  if (Object.keys(fields).length > 0) throw new OrderError("invalid_input", { fields });
  return { provinceCode: address!.provinceCode, communeCode: commune.code, addressLine };
}
