/**
 * The anonymous cart cookie (`ghs_cart`) and what the routes need around it:
 * which cart a request means, the header count, and the merge at sign-in.
 *
 * The cookie holds only the random token of cart.server.ts (its SHA-256 is the
 * row's key), so it is not signed: a forged value finds no cart, and a secret
 * rotation should not empty anybody's basket.
 */
import { createCookie, type Cookie } from "@remix-run/node";
import { createHash } from "node:crypto";
import { count, eq } from "drizzle-orm";
import { cartItems, carts } from "#db/schema";
import { CART_COOKIE_MAX_AGE_SECONDS, CART_COOKIE_NAME, findCart, mergeCarts, type CartOwner } from "./cart.server";
import { db } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { logger } from "~/utils/logger.server";

/** Who is signed in, as far as the cart cares (auth signs in and merges the cart: the cart never imports auth). */
type SignedIn = { id: string } | null;

let cookie: Cookie | undefined;
function cartCookie(): Cookie {
  cookie ??= createCookie(CART_COOKIE_NAME, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: env().COOKIE_SECURE,
    maxAge: CART_COOKIE_MAX_AGE_SECONDS,
  });
  return cookie;
}

/** The anonymous cart token of the request, or null. */
export async function readCartToken(request: Request): Promise<string | null> {
  const header = request.headers.get("Cookie");
  if (!header?.includes(`${CART_COOKIE_NAME}=`)) return null;
  const value: unknown = await cartCookie().parse(header);
  return typeof value === "string" && value ? value : null;
}

/** Set-Cookie for the token (again on every add, so an active basket keeps its 90 days). */
export function serializeCartToken(token: string): Promise<string> {
  return cartCookie().serialize(token);
}

export function clearCartCookie(): Promise<string> {
  return cartCookie().serialize("", { maxAge: 0, expires: new Date(0) });
}

/** Whose cart this request means: the account's when signed in, else the cookie's. */
export async function cartOwner(request: Request, user: SignedIn): Promise<CartOwner> {
  return user ? { userId: user.id } : { token: await readCartToken(request) };
}

/** The request's cart, without creating one. */
export async function findRequestCart(request: Request, user: SignedIn) {
  return findCart(db, await cartOwner(request, user));
}

// Same hashing as cart.server.ts (carts.token_hash), so the header count stays one query.
const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Lines in the request's cart, for the header on every page: no query for a
 * visitor without an account or cart cookie, one small one otherwise.
 */
export async function cartLineCount(request: Request, user: SignedIn): Promise<number> {
  let where;
  if (user) where = eq(carts.userId, user.id);
  else {
    const token = await readCartToken(request);
    if (!token || !TOKEN.test(token)) return 0;
    where = eq(carts.tokenHash, hashToken(token));
  }
  const [row] = await db
    .select({ n: count() })
    .from(cartItems)
    .innerJoin(carts, eq(carts.id, cartItems.cartId))
    .where(where);
  return row?.n ?? 0;
}

/**
 * After a successful sign-in: the anonymous cart moves into the account's
 * and the cookie is cleared on the sign-in redirect. A failure here is logged
 * and the sign-in still goes through: a lost basket is better than a lost login.
 */
export async function mergeCartAtSignIn(request: Request, userId: string, response: Response): Promise<Response> {
  const token = await readCartToken(request);
  if (!token) return response;
  try {
    await mergeCarts(db, { token, userId });
  } catch (error) {
    logger.warn({ err: error, userId }, "cart merge at sign-in failed");
    return response;
  }
  response.headers.append("Set-Cookie", await clearCartCookie());
  return response;
}
