/**
 * Calling route loaders and actions in tests, without the HTTP server (that is
 * tests/http): real Requests, the route's params and the load context server.js
 * would pass. Whatever the route does — return data, `data()` with a status,
 * a Response, or throw a Response (a redirect, a 404) — comes back as one
 * RouteAnswer to assert on.
 *
 * `call` is the one way in; `postForm` and `get` are its two commonest uses.
 * Then the app's own ways to make what a request carries: accounts
 * (`createAccount`), sessions (`signedIn`), carts (`cartWith`), proofs, the
 * language cookie.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { expect } from "vitest";
import {
  createAccountWithProof,
  issueProof,
  type CreateAccountResult,
  type ProofAllows,
} from "~/auth/phone-proof.server";
import { serializeProofCookie } from "~/auth/proof-cookie.server";
import { createUserSession, type Role } from "~/auth/session.server";
import { CART_COOKIE_NAME } from "~/cart/cart.server";
import { languageCookie } from "~/i18n/i18n.server";
import { action as cartAction } from "~/routes/cart";
import { logger } from "~/utils/logger.server";

export const TEST_IP = "203.0.113.5";

type Handler = (args: ActionFunctionArgs & LoaderFunctionArgs) => unknown;

export interface RouteAnswer<T> {
  status: number;
  headers: Headers;
  /** Where a redirect goes. */
  location: string | null;
  /** "name=value" of the first Set-Cookie, ready to send back. */
  setCookie: string | null;
  /** What the route returned; `{}` when it answered with a Response. */
  data: T;
}

export interface CallOptions {
  /** The route's params, as Remix gives them (`{ orderCode }`). */
  params?: Record<string, string>;
  /** "name=value" pairs for the Cookie header; nulls are left out. */
  cookies?: (string | null | undefined)[];
  /** Posts the form: fields, or a FormData (multipart, for file uploads). Without it, a GET. */
  form?: Record<string, string> | URLSearchParams | FormData;
  ip?: string;
  headers?: Record<string, string>;
}

/** One request to a loader or action. */
export async function call<T = Record<string, unknown>>(
  handler: Handler,
  path: string,
  { params = {}, cookies = [], form, ip = TEST_IP, headers = {} }: CallOptions = {},
): Promise<RouteAnswer<T>> {
  const cookie = cookies.filter(Boolean).join("; ");
  const request = new Request(`http://localhost${path}`, {
    method: form ? "POST" : "GET",
    body: form instanceof FormData || form instanceof URLSearchParams ? form : form && new URLSearchParams(form),
    headers: { ...(cookie ? { Cookie: cookie } : {}), "User-Agent": "vitest", ...headers },
  });
  let result: unknown;
  try {
    result = await handler({ request, params, context: { clientIp: ip, requestId: "test", logger } });
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    result = thrown;
  }
  if (result instanceof Response) return answer<T>(result.status, result.headers, null);
  const wrapped = result as { type?: string; data: unknown; init: ResponseInit | null } | null;
  if (wrapped?.type === "DataWithResponseInit")
    return answer<T>(wrapped.init?.status ?? 200, new Headers(wrapped.init?.headers), wrapped.data);
  return answer<T>(200, new Headers(), result);
}

function answer<T>(status: number, headers: Headers, data: unknown): RouteAnswer<T> {
  const set = headers.get("Set-Cookie");
  return {
    status,
    headers,
    location: headers.get("Location"),
    setCookie: set ? cookiePair(set) : null,
    data: (data ?? {}) as T,
  };
}

type RequestOptions = { cookie?: string; ip?: string; headers?: Record<string, string> };

/** Posts a urlencoded form, as a browser without JavaScript does. */
export function postForm<T = { errors: Record<string, string>; values: Record<string, string> }>(
  handler: Handler,
  path: string,
  fields: Record<string, string>,
  { cookie, ip, headers }: RequestOptions = {},
): Promise<RouteAnswer<T>> {
  return call<T>(handler, path, { form: fields, cookies: [cookie], ip, headers });
}

export function get<T = unknown>(
  handler: Handler,
  path: string,
  { cookie, ip, headers }: RequestOptions = {},
): Promise<RouteAnswer<T>> {
  return call<T>(handler, path, { cookies: [cookie], ip, headers });
}

/** "name=value" from a Set-Cookie header, ready for a Cookie header. */
export function cookiePair(setCookie: string | null): string {
  if (!setCookie) throw new Error("no Set-Cookie");
  return setCookie.split(";")[0];
}

export async function englishCookie() {
  return cookiePair(await languageCookie.serialize("en"));
}

/**
 * An account with a password for the number, made the one way the app makes
 * them: a proof of the phone spent by sign-up's last step.
 */
export async function createAccount(input: {
  fullName: string;
  phone: string;
  password: string;
  role: Role;
  locale?: string;
}): Promise<CreateAccountResult> {
  const token = await issueProof(input.phone, "create-account");
  return createAccountWithProof(token, { locale: "vi", ...input });
}

/** A Cookie header value holding a proof of `phone` for `allows`, as the code step leaves it. */
export async function proofCookieFor(phone: string, allows: ProofAllows): Promise<string> {
  return cookiePair(await serializeProofCookie(await issueProof(phone, allows)));
}

/** The session cookie of a signed-in user. */
export async function signedIn(userId: string): Promise<string> {
  const res = await createUserSession({ request: new Request("http://localhost/login"), userId, redirectTo: "/" });
  return cookiePair(res.headers.get("Set-Cookie"));
}

/** A fresh anonymous cart holding these listings, through the real /cart action; returns its cookie. */
export async function cartWith(items: { id: string; qty: number }[]): Promise<string> {
  let cookie: string | undefined;
  for (const item of items) {
    const res = await postForm(
      cartAction,
      "/cart",
      { intent: "add", listingId: item.id, quantity: String(item.qty) },
      { cookie },
    );
    expect(res.status).toBe(302);
    const set = res.headers.getSetCookie().find((c) => c.startsWith(`${CART_COOKIE_NAME}=`));
    cookie = set ? cookiePair(set) : cookie;
  }
  return cookie!;
}
