/**
 * A buyer without a browser, for benchmarks and system tests: the same form
 * posts a phone without JavaScript sends (add to cart, check out with cash
 * on delivery and pickup), over plain HTTP against a running server.
 * `headers` lets a caller play a client behind a proxy (X-Forwarded-For).
 */
export interface BuyTarget {
  listingId: string;
  stallId: string;
  priceDong: number;
}

export interface BuyerAnswer {
  status: number;
  location: string;
  text: string;
}

const FORM = { "content-type": "application/x-www-form-urlencoded", "accept-language": "vi-VN,vi;q=0.9" };

export async function postForm(
  origin: string,
  pathname: string,
  fields: Record<string, string>,
  { cookie, headers = {} }: { cookie?: string | null; headers?: Record<string, string> } = {},
): Promise<BuyerAnswer & { setCookies: string[] }> {
  const response = await fetch(origin + pathname, {
    method: "POST",
    redirect: "manual",
    headers: { ...FORM, ...(cookie ? { cookie } : {}), ...headers },
    body: new URLSearchParams(fields),
  });
  return {
    status: response.status,
    location: response.headers.get("location") ?? "",
    text: await response.text(),
    setCookies: response.headers.getSetCookie(),
  };
}

export type AddAnswer = { ok: true; cookie: string } | { ok: false; soldOut: boolean; answer: BuyerAnswer };

/** Puts `quantity` of the listing in a new cart; its cookie. */
export async function addToCart(
  origin: string,
  target: Pick<BuyTarget, "listingId">,
  { quantity = 1, headers }: { quantity?: number; headers?: Record<string, string> } = {},
): Promise<AddAnswer> {
  const answer = await postForm(
    origin,
    "/cart",
    { intent: "add", listingId: target.listingId, quantity: String(quantity) },
    { headers },
  );
  const cart = answer.setCookies.find((c) => c.startsWith("ghs_cart="));
  if (answer.status === 302 && cart) return { ok: true, cookie: cart.split(";")[0] };
  return { ok: false, soldOut: answer.status === 400 && /hết hàng/i.test(answer.text), answer };
}

export type CheckoutAnswer =
  | { outcome: "ordered"; orderCode: string; answer: BuyerAnswer }
  | { outcome: "sold_out" | "cart_empty" | "refused"; answer: BuyerAnswer };

/** Checks the cart out for pickup and cash on delivery, as `name` with `phone`. */
export async function checkOut(
  origin: string,
  cookie: string,
  target: BuyTarget,
  { name, phone, headers }: { name: string; phone: string; headers?: Record<string, string> },
): Promise<CheckoutAnswer> {
  const answer = await postForm(
    origin,
    "/checkout",
    {
      name,
      phone,
      [`delivery.${target.stallId}`]: "pickup",
      [`payment.${target.stallId}`]: "cod",
      provinceCode: "",
      communeCode: "",
      addressLine: "",
      [`price.${target.listingId}`]: String(target.priceDong),
    },
    { cookie, headers },
  );
  const code = /^\/orders\/([^/?#]+)/.exec(answer.location)?.[1];
  if (answer.status === 302 && code) return { outcome: "ordered", orderCode: code, answer };
  if (answer.status === 302 && answer.location.startsWith("/cart")) return { outcome: "cart_empty", answer };
  if (answer.status === 400 && /hết hàng/i.test(answer.text)) return { outcome: "sold_out", answer };
  return { outcome: "refused", answer };
}
