/**
 * What keeps guest checkout from being used to text strangers or hoard stock
 * (ADR 019). Called by placeCheckout inside its transaction, after the items,
 * delivery and payment are checked and before any stock is taken, so a
 * refused checkout takes nothing and counts nothing (the counters roll back
 * with it):
 *
 * 1. `checkout.phone`: checkouts placed for one number in an hour (429). Its
 *    counter row also makes checkouts for one number take turns, so the
 *    counts below cannot be raced past.
 * 2. A number that is not proved and already has orders waiting for their
 *    farmers (status placed): the buyer proves it by SMS code first. Before
 *    the caps, so only someone who holds the number learns it is capped.
 * 3. The caps on what one number may have waiting (`checkout.waitingCheckouts.phone`,
 *    `checkout.waitingOrders.phone`, the new checkout included): 429 until a
 *    farmer confirms or the buyer cancels one.
 * 4. `checkout.unproved.ip`: unproved checkouts placed from one address in an
 *    hour; past it, the next asks for the code.
 *
 * "Proved" means whoever is ordering showed they hold the number: a
 * signed-in account whose confirmed phone it is, a checkout proof this
 * browser holds for it (30 days), or the code typed just now: the caller
 * asks auth (phoneProvedBefore) and passes the answer in.
 */
import { and, countDistinct, count, eq, gt, sql } from "drizzle-orm";
import { orders } from "#db/schema";
import { countHits, RATE_LIMITS, Refusal } from "~/http/index.server";
import { env } from "~/utils/env.server";
import { RefusalError } from "~/utils/refusal";
import type { Tx } from "#db/client";

/** Why a checkout must wait for the SMS code. The page says the same for both: it tells nothing about the number. */
export type CodeReason = "waiting" | "address";

/** The number must be proved by SMS code before this checkout is placed. Nothing was placed or counted. */
export class PhoneCodeNeeded extends Error {
  override name = "PhoneCodeNeeded";
  constructor(readonly reason: CodeReason) {
    super(`checkout needs the phone proved first: ${reason}`);
  }
}

/**
 * Past a per-number limit: the checkout is refused and nothing was placed.
 * `checkouts`: too many checkouts this hour (429); `waiting`: too much
 * waiting for farmers to confirm (429, Retry-After when the oldest expires at
 * the latest); `size`: more stalls in one checkout than may wait at once (400).
 * The message is `limits.<reason>` in the "orders" namespace.
 */
export class CheckoutLimited extends RefusalError<"checkouts" | "waiting" | "size"> {
  override name = "CheckoutLimited";
  readonly namespace = "orders";

  constructor(
    reason: "checkouts" | "waiting" | "size",
    readonly refusal: Refusal,
  ) {
    super(reason);
  }

  get reason() {
    return this.code;
  }

  get messageKey(): string {
    return `limits.${this.code}`;
  }

  /** `count`: hours until waiting orders free up, else minutes to wait; `max`: the orders one number may have waiting. */
  override get messageValues(): Record<string, unknown> {
    const count =
      this.code === "waiting" ? Math.ceil((this.refusal.retryAfterSeconds ?? 3600) / 3600) : this.refusal.minutes;
    return { count, max: RATE_LIMITS["checkout.waitingOrders.phone"].limit };
  }

  override get httpStatus(): number {
    return this.refusal.status;
  }

  override get headers(): Record<string, string> {
    return this.refusal.headers;
  }
}

/** What `phone` has waiting for farmers to confirm, and when the oldest of it expires (seconds from now). */
async function waitingFor(tx: Tx, phone: string) {
  const window = RATE_LIMITS["checkout.waitingOrders.phone"].windowSeconds;
  const [row] = await tx
    .select({
      orders: count(),
      checkouts: countDistinct(orders.checkoutId),
      // At the latest then, the oldest is cancelled by the expiry job (or its farmer confirms it sooner).
      freedInSeconds: sql<number>`ceil(extract(epoch FROM (min(${orders.createdAt}) + make_interval(hours => ${env().ORDER_CONFIRM_HOURS}) - now())))::int`,
    })
    .from(orders)
    .where(
      and(
        eq(orders.buyerPhone, phone),
        eq(orders.status, "placed"),
        gt(orders.createdAt, sql`now() - make_interval(secs => ${window})`),
      ),
    );
  return {
    orders: Number(row?.orders ?? 0),
    checkouts: Number(row?.checkouts ?? 0),
    freedInSeconds: Math.max(60, Number(row?.freedInSeconds ?? 0)),
  };
}

/**
 * The checks above, in that order, inside placeCheckout's transaction.
 * Throws CheckoutLimited or PhoneCodeNeeded; returns when the checkout may
 * be placed (and has been counted).
 */
export async function guardCheckout(
  tx: Tx,
  { phone, ip, proved, newOrders }: { phone: string; ip: string; proved: boolean; newOrders: number },
): Promise<void> {
  // Both counters in one statement; a refusal below rolls them back with the transaction.
  const [perPhone, fromHere] = await countHits(
    proved
      ? [["checkout.phone", phone]]
      : [
          ["checkout.phone", phone],
          ["checkout.unproved.ip", ip],
        ],
    tx,
  );
  if (!perPhone.allowed) {
    throw new CheckoutLimited("checkouts", new Refusal("tooMany", perPhone.retryAfterSeconds));
  }

  const waiting = await waitingFor(tx, phone);
  if (!proved && waiting.orders > 0) throw new PhoneCodeNeeded("waiting");

  const tooManyCheckouts = waiting.checkouts + 1 > RATE_LIMITS["checkout.waitingCheckouts.phone"].limit;
  const tooManyOrders = waiting.orders + newOrders > RATE_LIMITS["checkout.waitingOrders.phone"].limit;
  if (tooManyOrders && waiting.orders === 0) throw new CheckoutLimited("size", new Refusal("badRequest"));
  if (tooManyCheckouts || tooManyOrders) {
    throw new CheckoutLimited("waiting", new Refusal("tooMany", waiting.freedInSeconds));
  }

  if (!proved && !fromHere.allowed) throw new PhoneCodeNeeded("address");
}
