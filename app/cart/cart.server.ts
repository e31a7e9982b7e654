/**
 * The buyer's cart: works without an account (a random token in a cookie),
 * belongs to the account once signed in (mergeCarts at login), holds items of
 * several stalls. Quantities are whole numbers in the listing's unit, at least
 * its minimum. Nothing here reserves stock: that happens at checkout
 * (app/orders/checkout.server.ts); the cart only warns early.
 *
 * Cookie (for the lead's routes): CART_COOKIE_NAME carries the token that
 * getOrCreateCart returns when it creates an anonymous cart; only its SHA-256
 * is stored (carts.token_hash), like sessions. Refusals are OrderError
 * (app/orders/errors.ts): "not_found", or "items_unavailable" with one
 * ItemProblem naming the listing.
 */
import { createHash, randomBytes } from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import { cartItems, carts, listings, stalls, type Cart, type Listing, type Stall } from "#db/schema";
import { MAX_QUANTITY, todayInVietnam } from "~/listings";
import { deliveryOptions, type DeliveryOption, OrderError, itemProblem, type ItemProblem } from "~/orders";
import { reservationOf } from "~/orders/index.server";
import type { Database } from "~/utils/db.server";
import { isUuid } from "~/utils/db-errors.server";

/** Name of the anonymous cart cookie (httpOnly, sameSite lax, ~90 days). */
export const CART_COOKIE_NAME = "ghs_cart";
export const CART_COOKIE_MAX_AGE_SECONDS = 90 * 24 * 3600;
/** Lines per cart: a real basket is far below; a script is not. */
export const MAX_CART_LINES = 100;

const TOKEN = /^[A-Za-z0-9_-]{43}$/; // 32 bytes, base64url
const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export type CartOwner = { userId: string } | { token: string | null | undefined };

/** The cart of a signed-in buyer or of an anonymous cookie token, or null (never creates one). */
export async function findCart(db: Database, owner: CartOwner): Promise<Cart | null> {
  if ("userId" in owner) {
    if (!isUuid(owner.userId)) return null;
    const [cart] = await db.select().from(carts).where(eq(carts.userId, owner.userId));
    return cart ?? null;
  }
  if (!owner.token || !TOKEN.test(owner.token)) return null;
  const [cart] = await db
    .select()
    .from(carts)
    .where(eq(carts.tokenHash, hashToken(owner.token)));
  return cart ?? null;
}

/**
 * The owner's cart, created when there is none. `token` is set only when an
 * anonymous cart was created: the route must then set it in the cart cookie.
 */
export async function getOrCreateCart(db: Database, owner: CartOwner): Promise<{ cart: Cart; token: string | null }> {
  const found = await findCart(db, owner);
  if (found) return { cart: found, token: null };
  if ("userId" in owner) {
    if (!isUuid(owner.userId)) throw new OrderError("not_found");
    // Two first "add to cart" taps at once: the unique index keeps one cart.
    await db.insert(carts).values({ userId: owner.userId }).onConflictDoNothing({ target: carts.userId });
    return { cart: (await findCart(db, owner))!, token: null };
  }
  const token = randomBytes(32).toString("base64url");
  const [cart] = await db
    .insert(carts)
    .values({ tokenHash: hashToken(token) })
    .returning();
  return { cart, token };
}

type Buyable = { listing: Listing; stall: Stall };

async function buyable(db: Database, listingId: string): Promise<Buyable | null> {
  if (!isUuid(listingId)) return null;
  const [row] = await db
    .select({ listing: listings, stall: stalls })
    .from(listings)
    .innerJoin(stalls, eq(stalls.id, listings.stallId))
    .where(eq(listings.id, listingId));
  return row ?? null;
}

/** What is wrong with buying `qty` of this listing now (empty: nothing). */
function problemsOf(row: Buyable | null, listingId: string, qty: number, today = todayInVietnam()): ItemProblem[] {
  const base = { listingId, title: row?.listing.title ?? "" };
  if (!Number.isSafeInteger(qty) || qty <= 0 || qty > MAX_QUANTITY) {
    return [itemProblem({ ...base, problem: "invalid_quantity" })];
  }
  if (
    !row ||
    row.stall.status !== "published" ||
    (row.listing.status !== "active" && row.listing.status !== "sold_out")
  ) {
    return [itemProblem({ ...base, problem: "unavailable" })];
  }
  const l = row.listing;
  if (l.status === "sold_out") return [itemProblem({ ...base, problem: "sold_out" })];
  if (qty < l.minOrderQty) return [itemProblem({ ...base, problem: "below_minimum", min: l.minOrderQty })];
  const kind = reservationOf(l, today);
  const left = kind === "stock" ? l.stockQty : kind === "preorder" ? (l.preorderCapacity ?? 0) : Infinity;
  if (qty > left) {
    return [itemProblem({ ...base, ...(left <= 0 ? { problem: "sold_out" } : { problem: "only_left", left }) })];
  }
  return [];
}

function refuseIfProblems(problems: ItemProblem[]) {
  if (problems.length > 0) throw new OrderError("items_unavailable", { items: problems });
}

async function lineOf(db: Database, cartId: string, listingId: string) {
  const [line] = await db
    .select()
    .from(cartItems)
    .where(and(eq(cartItems.cartId, cartId), eq(cartItems.listingId, listingId)));
  return line ?? null;
}

/**
 * Adds `qty` of the listing (to what the cart already has of it). The line's
 * total must be a whole number, at least the listing's minimum and at most
 * what is left (stock, or pre-order capacity; made to order has no limit); the
 * listing must be on sale in a published stall. The price is noted as of now.
 */
export async function addToCart(
  db: Database,
  { cartId, listingId, qty }: { cartId: string; listingId: string; qty: number },
): Promise<void> {
  if (!isUuid(cartId)) throw new OrderError("not_found");
  const row = await buyable(db, listingId);
  refuseIfProblems(
    problemsOf(row, listingId, qty).filter((p) => p.problem === "invalid_quantity" || p.problem === "unavailable"),
  );
  const existing = await lineOf(db, cartId, listingId);
  const total = (existing?.qty ?? 0) + qty;
  refuseIfProblems(problemsOf(row, listingId, total));
  if (!existing) {
    const [{ lines }] = await db
      .select({ lines: sql<number>`count(*)`.mapWith(Number) })
      .from(cartItems)
      .where(eq(cartItems.cartId, cartId));
    if (lines >= MAX_CART_LINES) throw new OrderError("invalid_input", { fields: { cart: "fields.cart.full" } });
  }
  await db
    .insert(cartItems)
    .values({ cartId, listingId, qty: total, priceAtAddDong: row!.listing.priceDong })
    .onConflictDoUpdate({
      target: [cartItems.cartId, cartItems.listingId],
      set: { qty: total, priceAtAddDong: row!.listing.priceDong, updatedAt: new Date() },
    });
  await db.update(carts).set({ updatedAt: new Date() }).where(eq(carts.id, cartId));
}

/** Sets the line's quantity (same rules as addToCart). To take a line out, removeItem. */
export async function setQuantity(
  db: Database,
  { cartId, listingId, qty }: { cartId: string; listingId: string; qty: number },
): Promise<void> {
  if (!isUuid(cartId) || !isUuid(listingId)) throw new OrderError("not_found");
  const existing = await lineOf(db, cartId, listingId);
  if (!existing) throw new OrderError("not_found");
  refuseIfProblems(problemsOf(await buyable(db, listingId), listingId, qty));
  await db
    .update(cartItems)
    .set({ qty })
    .where(and(eq(cartItems.cartId, cartId), eq(cartItems.listingId, listingId)));
}

export async function removeItem(
  db: Database,
  { cartId, listingId }: { cartId: string; listingId: string },
): Promise<void> {
  if (!isUuid(cartId) || !isUuid(listingId)) return;
  await db.delete(cartItems).where(and(eq(cartItems.cartId, cartId), eq(cartItems.listingId, listingId)));
}

/**
 * At login: the anonymous cart's lines move into the account's cart (created
 * if needed); a listing in both gets the sum of the quantities, and keeps the
 * older price note so a change since is still shown. The anonymous cart is
 * deleted (the route clears the cookie). Returns the account's cart.
 */
export async function mergeCarts(
  db: Database,
  { token, userId }: { token: string | null | undefined; userId: string },
): Promise<Cart> {
  const { cart } = await getOrCreateCart(db, { userId });
  const anonymous = await findCart(db, { token });
  if (!anonymous || anonymous.id === cart.id) return cart;
  await db.transaction(async (tx) => {
    const lines = await tx.select().from(cartItems).where(eq(cartItems.cartId, anonymous.id));
    for (const line of lines) {
      await tx
        .insert(cartItems)
        .values({ cartId: cart.id, listingId: line.listingId, qty: line.qty, priceAtAddDong: line.priceAtAddDong })
        .onConflictDoUpdate({
          target: [cartItems.cartId, cartItems.listingId],
          set: {
            qty: sql`least(${cartItems.qty} + ${line.qty}, ${MAX_QUANTITY})`,
            priceAtAddDong: sql`CASE WHEN ${cartItems.createdAt} <= ${line.createdAt.toISOString()}::timestamptz THEN ${cartItems.priceAtAddDong} ELSE ${line.priceAtAddDong} END`,
          },
        });
    }
    await tx.delete(carts).where(eq(carts.id, anonymous.id));
  });
  return cart;
}

export interface CartLine {
  listingId: string;
  slug: string;
  title: string;
  unit: string;
  qty: number;
  minOrderQty: number;
  /** Now. */
  priceDong: number;
  /** When added: differs from priceDong when the farmer changed the price since. */
  priceAtAddDong: number;
  priceChanged: boolean;
  lineTotalDong: number;
  /** Stock left to order against; null for made to order. */
  left: number | null;
  /** What the buyer must see before paying: price_changed (information), and anything that blocks the checkout. */
  problems: ItemProblem[];
}

export interface CartStallGroup {
  stall: { id: string; slug: string; name: string; codEnabled: boolean; pickupAddress: string; pickupHours: string };
  lines: CartLine[];
  subtotalDong: number;
  /** The stall's delivery options for these lines (local delivery's availability needs the buyer's commune). */
  deliveryOptions: DeliveryOption[];
}

export interface CartView {
  cartId: string | null;
  stalls: CartStallGroup[];
  itemCount: number;
  /** Items only; delivery fees depend on the choices at checkout. */
  subtotalDong: number;
  /** True when any line has a problem other than a price change: fix before checkout. */
  blocked: boolean;
}

const EMPTY: CartView = { cartId: null, stalls: [], itemCount: 0, subtotalDong: 0, blocked: false };

/**
 * The cart grouped by stall (in the order the stalls were first added to),
 * with current prices against the price when added and what is wrong now.
 * `communeCode` (the buyer's, when known) says whether local delivery reaches them.
 */
export async function cartView(
  db: Database,
  cartId: string | null | undefined,
  communeCode?: string | null,
): Promise<CartView> {
  if (!cartId || !isUuid(cartId)) return EMPTY;
  const rows = await db
    .select({ line: cartItems, listing: listings, stall: stalls })
    .from(cartItems)
    .innerJoin(listings, eq(listings.id, cartItems.listingId))
    .innerJoin(stalls, eq(stalls.id, listings.stallId))
    .where(eq(cartItems.cartId, cartId))
    .orderBy(asc(cartItems.createdAt), asc(cartItems.listingId));
  const today = todayInVietnam();
  const groups = new Map<string, CartStallGroup & { settings: Stall }>();
  for (const { line, listing, stall } of rows) {
    let group = groups.get(stall.id);
    if (!group) {
      group = {
        stall: {
          id: stall.id,
          slug: stall.slug,
          name: stall.name,
          codEnabled: stall.codEnabled,
          pickupAddress: stall.pickupAddress,
          pickupHours: stall.pickupHours,
        },
        lines: [],
        subtotalDong: 0,
        deliveryOptions: [],
        settings: stall,
      };
      groups.set(stall.id, group);
    }
    const problems = problemsOf({ listing, stall }, listing.id, line.qty, today);
    const priceChanged = listing.priceDong !== line.priceAtAddDong;
    if (priceChanged)
      problems.push(
        itemProblem({
          listingId: listing.id,
          title: listing.title,
          problem: "price_changed",
          priceDong: listing.priceDong,
        }),
      );
    const kind = reservationOf(listing, today);
    group.lines.push({
      listingId: listing.id,
      slug: listing.slug,
      title: listing.title,
      unit: listing.unit,
      qty: line.qty,
      minOrderQty: listing.minOrderQty,
      priceDong: listing.priceDong,
      priceAtAddDong: line.priceAtAddDong,
      priceChanged,
      lineTotalDong: listing.priceDong * line.qty,
      left: kind === "none" ? null : kind === "stock" ? listing.stockQty : (listing.preorderCapacity ?? 0),
      problems,
    });
    group.subtotalDong += listing.priceDong * line.qty;
  }
  const stallGroups = [...groups.values()].map(({ settings, ...group }) => ({
    ...group,
    deliveryOptions: deliveryOptions(settings, group.lines, communeCode),
  }));
  const lines = stallGroups.flatMap((g) => g.lines);
  return {
    cartId,
    stalls: stallGroups,
    itemCount: lines.length,
    subtotalDong: stallGroups.reduce((sum, g) => sum + g.subtotalDong, 0),
    blocked: lines.some((l) => l.problems.some((p) => p.problem !== "price_changed")),
  };
}
