/**
 * For the buyer-side payment tests (app/routes/*pay*.db.test.ts): a cart and
 * a checkout through the real /cart and /checkout route modules, the order
 * page's loader and action, and a tiny HTTP "app" that hands the VNPay
 * double's IPN calls to the real IPN route.
 */
import { createHmac } from "node:crypto";
import http from "node:http";
import { type AddressInfo } from "node:net";
import { expect } from "vitest";
import type { OrderPaymentView } from "~/payments/buyer/order-payment.server";
import { call, get, postForm } from "./routes";
import type { CartView } from "~/cart/cart.server";
import { action as checkoutAction, loader as checkoutLoader } from "~/routes/checkout";
import { action as orderAction, loader as orderLoader } from "~/routes/orders.$orderCode";
import { loader as ipnLoader } from "~/routes/payments.vnpay.ipn";

export type CheckoutPage = {
  view: CartView;
  payments: Record<string, string[]>;
  message?: string | null;
  paymentStallIds?: string[];
};

/** The checkout page as the loader renders it for this cart. */
export async function checkoutPage(cookie: string) {
  const page = await get<CheckoutPage>(checkoutLoader, "/checkout", { cookie });
  expect(page.status).toBe(200);
  return page.data!;
}

let buyers = 0;

/**
 * Posts the checkout form as the page renders it (prices from the loader,
 * everything picked up), each stall paid as `payment` says. Each call is
 * another buyer (a phone and an address of their own), as the benchmarks'
 * are: one order per phone and address never meets checkout's limits.
 */
export async function checkout(cookie: string, payment: Record<string, string>, extra: Record<string, string> = {}) {
  const page = await checkoutPage(cookie);
  const n = ++buyers;
  const fields: Record<string, string> = {
    name: "Trần Thị Mua",
    phone: `0913${String(n).padStart(6, "0")}`,
    ...extra,
  };
  for (const g of page.view.stalls) {
    fields[`delivery.${g.stall.id}`] = "pickup";
    for (const l of g.lines) fields[`price.${l.listingId}`] = String(l.priceDong);
  }
  for (const [stallId, method] of Object.entries(payment)) fields[`payment.${stallId}`] = method;
  return postForm<CheckoutPage>(checkoutAction, "/checkout", fields, { cookie, ip: `198.18.${n >> 8}.${n & 255}` });
}

export type OrderPage = {
  locked: boolean;
  payment?: OrderPaymentView;
  timeline?: { fromStatus: string | null; toStatus: string; paymentStatus: string | null; amountDong: number | null }[];
  error?: string;
};

/** The order page, opened with the checkout's code as the buyer is after checkout. */
export function orderPage(code: string, checkoutCode: string) {
  return call<OrderPage>(orderLoader, `/orders/${code}?checkout=${checkoutCode}`, { params: { orderCode: code } });
}

/** "Thanh toán" / "Thanh toán lại" on the order page. */
export function payAgain(code: string, checkoutCode: string) {
  return call<OrderPage>(orderAction, `/orders/${code}?checkout=${checkoutCode}`, {
    params: { orderCode: code },
    form: { intent: "pay" },
  });
}

/** Where the checkout action redirected: the order page (its code and checkout) or somewhere else. */
export function landing(location: string | null) {
  const url = new URL(location ?? "", "http://localhost");
  const order = /^\/orders\/([A-Z0-9]+)$/.exec(url.pathname)?.[1] ?? null;
  return { url, order, checkoutCode: url.searchParams.get("checkout") };
}

// ---------------------------------------------------------------- VNPay

/** The app as the VNPay double sees it: just the IPN route, on a real port. */
export async function startIpnApp(): Promise<{ origin: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    void (async () => {
      const request = new Request(`http://127.0.0.1${req.url ?? "/"}`);
      const response = (await ipnLoader({ request, params: {}, context: {} })) as Response;
      res.writeHead(response.status, { "content-type": "application/json" });
      res.end(await response.text());
    })().catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A buyer on the double's page: opens the pay URL, presses "Thanh toán" (pay)
 * or "Huỷ giao dịch" (cancel); returns where VNPay sends the browser back.
 */
export async function payAtVnpay(payUrl: string, action: "pay" | "cancel"): Promise<URL> {
  const page = await fetch(payUrl);
  const html = await page.text();
  expect(page.status, html).toBe(200);
  const token = /name="token" value="([0-9a-f]+)"/.exec(html)?.[1];
  expect(token).toBeTruthy();
  const confirm = await fetch(new URL("/paymentv2/confirm", payUrl), {
    method: "POST",
    body: new URLSearchParams({ token: token!, action }),
    redirect: "manual",
  });
  expect(confirm.status).toBe(302);
  return new URL(confirm.headers.get("location")!);
}

/** Signs VNPay fields on its own (node:crypto), as VNPay does, never through the app's code. */
export function signVnpay(fields: Record<string, string>, secret: string): string {
  const data = new URLSearchParams(
    Object.entries(fields)
      .filter(([k, v]) => k.startsWith("vnp_") && v !== "")
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  ).toString();
  return `${data}&vnp_SecureHash=${createHmac("sha512", secret).update(data, "utf8").digest("hex")}`;
}

/** The IPN route called directly with this query; its JSON answer. */
export async function ipn(query: string): Promise<{ status: number; body: { RspCode: string; Message: string } }> {
  const response = (await ipnLoader({
    request: new Request(`http://localhost/payments/vnpay/ipn?${query}`),
    params: {},
    context: {},
  })) as Response;
  return { status: response.status, body: (await response.json()) as { RspCode: string; Message: string } };
}
