/**
 * Calling route loaders and actions in tests (the order pages, the wizard)
 * with real Requests, route params and the load context server.js would pass
 * (the helpers in app/auth/test-helpers.server.ts pass no params).
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { createUserSession } from "~/auth/session.server";
import { expect } from "vitest";
import { cookiePair, postForm } from "./route-forms";
import { CART_COOKIE_NAME } from "~/cart/cart.server";
import { action as cartAction } from "~/routes/cart";
import { logger } from "~/utils/logger.server";

type Handler = (args: ActionFunctionArgs) => unknown;

export interface Answer<T> {
  status: number;
  location: string | null;
  /** "name=value" of the first Set-Cookie, ready to send back. */
  setCookie: string | null;
  data: T;
}

export async function call<T = Record<string, unknown>>(
  handler: Handler,
  path: string,
  {
    params = {},
    cookies = [],
    form,
    ip = "203.0.113.7",
  }: {
    params?: Record<string, string>;
    cookies?: (string | null)[];
    /** Posts the form: fields, or a FormData (multipart, for file uploads). */
    form?: Record<string, string> | URLSearchParams | FormData;
    ip?: string;
  } = {},
): Promise<Answer<T>> {
  const cookie = cookies.filter(Boolean).join("; ");
  const request = new Request(`http://localhost${path}`, {
    method: form ? "POST" : "GET",
    body: form instanceof FormData || form instanceof URLSearchParams ? form : form && new URLSearchParams(form),
    headers: cookie ? { Cookie: cookie } : {},
  });
  let result: unknown;
  try {
    result = await handler({ request, params, context: { clientIp: ip, requestId: "test", logger } });
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    result = thrown;
  }
  const answer = (status: number, headers: Headers, data: unknown): Answer<T> => {
    const set = headers.get("Set-Cookie");
    return {
      status,
      location: headers.get("Location"),
      setCookie: set ? cookiePair(set) : null,
      data: (data ?? {}) as T,
    };
  };
  if (result instanceof Response) return answer(result.status, result.headers, null);
  const wrapped = result as { type?: string; data: unknown; init: ResponseInit | null };
  if (wrapped?.type === "DataWithResponseInit")
    return answer(wrapped.init?.status ?? 200, new Headers(wrapped.init?.headers), wrapped.data);
  return answer(200, new Headers(), result);
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
