/**
 * The public pages of the seeded demo, as a buyer reaches them: home, a
 * search that finds demo products, the demo stall and its first product, the
 * stall's poster, a cart with one product, an order just placed, login and
 * sign-up. Used by bench:js (and bench:lighthouse for the first four).
 */
import { addToCart, postForm } from "../lib/buyer-client";
import { DEMO_STALL_PATH, findProductPath } from "./server";

/** Typed without diacritics, as on a phone keyboard; finds several demo vegetables. */
export const SEARCH_PATH = "/search?q=rau";
/** A made-to-order demo product: it never sells out, whatever ran before. */
const ORDER_QUERY = "bánh gai hộp quà";

export interface PublicPage {
  name: string;
  path: string;
  /** Cookies the visitor already holds (name=value), e.g. a cart. */
  cookies?: string[];
}

async function text(origin: string, pathname: string, cookie?: string) {
  const response = await fetch(origin + pathname, { headers: cookie ? { cookie } : {} });
  if (!response.ok) throw new Error(`GET ${pathname} answered ${response.status}`);
  return response.text();
}

/** A cart holding the made-to-order product (its cookie), and an order placed from another such cart (its page). */
export async function cartAndOrder(origin: string): Promise<{ cartCookie: string; orderPath: string }> {
  const search = await text(origin, `/search?${new URLSearchParams({ q: ORDER_QUERY })}`);
  const productPath = /href="(\/s\/[^"/]+\/[^"/?#]+)"/.exec(search)?.[1];
  if (!productPath) throw new Error(`no product found for "${ORDER_QUERY}"`);
  const listingId = /name="listingId" value="([0-9a-f-]{36})"/.exec(await text(origin, productPath))?.[1];
  if (!listingId) throw new Error(`no buy form on ${productPath}`);
  const add = async () => {
    const cart = await addToCart(origin, { listingId });
    if (!cart.ok) throw new Error(`could not add ${productPath} to a cart (${cart.answer.status})`);
    return cart.cookie;
  };
  const orderCart = await add();
  const checkout = await text(origin, "/checkout", orderCart);
  const stallId = /name="delivery\.([0-9a-f-]{36})"/.exec(checkout)?.[1];
  const price = new RegExp(`name="price\\.${listingId}" value="(\\d+)"`).exec(checkout)?.[1];
  if (!stallId || !price) throw new Error("the checkout page has no delivery choice or price");
  const answer = await postForm(
    origin,
    "/checkout",
    {
      name: "Khách đo tốc độ",
      phone: "0986 100 200",
      [`delivery.${stallId}`]: "pickup",
      [`payment.${stallId}`]: "cod",
      provinceCode: "",
      communeCode: "",
      addressLine: "",
      [`price.${listingId}`]: price,
    },
    { cookie: orderCart },
  );
  // The order page's address carries the checkout's token: whoever follows it sees the order.
  if (answer.status !== 302 || !answer.location.startsWith("/orders/"))
    throw new Error(`checkout answered ${answer.status} ${answer.location}`);
  return { cartCookie: await add(), orderPath: answer.location };
}

export async function publicPages(origin: string): Promise<PublicPage[]> {
  const productPath = await findProductPath(origin);
  const { cartCookie, orderPath } = await cartAndOrder(origin);
  return [
    { name: "home", path: "/" },
    { name: "search", path: SEARCH_PATH },
    { name: "stall", path: DEMO_STALL_PATH },
    { name: "product", path: productPath },
    { name: "poster", path: `${DEMO_STALL_PATH}/poster` },
    { name: "cart", path: "/cart", cookies: [cartCookie] },
    { name: "order", path: orderPath },
    { name: "login", path: "/login" },
    { name: "signup", path: "/signup" },
  ];
}
