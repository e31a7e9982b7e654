/**
 * One checkout pays every group, through the HTTP server as a browser
 * without JavaScript sees it: a checkout of a VNPay stall and a card stall
 * goes to VNPay (the local double, which calls the server's IPN), the return
 * page's form posts the card payment (to that order's page, past the
 * cross-site check), Stripe's API is the local double and its webhook is
 * signed as Stripe signs it, and the last return page says everything is
 * paid. A payment given up is offered again next to the next one.
 */
import { and, eq } from "drizzle-orm";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkouts, orders, paymentAttempts } from "#db/schema";
import { attemptSession, openSessions, startStripeApi, stripeEvent } from "../../tests/doubles/stripe-api";
import { startVnpayDouble, type VnpayDouble } from "../../tests/doubles/vnpay-double";
import { CookieJar, getPage, postForm } from "../../tests/http/forms";
import { startTestServer, type TestServer } from "../../tests/http/server";
import { createActiveListing, createSellingStall } from "#tests/fixtures/orders";
import { payAtVnpay } from "#tests/harness/pay";
import { setPaymentProviders } from "~/payments/core/providers.server";
import { createStripeProvider } from "~/payments/stripe/provider.server";
import { createVnpayProvider } from "~/payments/vnpay/provider.server";
import { db } from "~/utils/db.server";
import { env } from "~/utils/env.server";

const KEY = "sk_test_51GhsEveryGroup";
const WHSEC = "whsec_gian_hang_so_every_group";
const TMN = "GHSGRP01";
const SECRET = "GHS-EVERY-GROUP-VNPAY-SECRET-0123456789";

const stripeApi = await startStripeApi({ secretKey: KEY, webhookSecrets: [WHSEC] });
const sessions = openSessions("group");
stripeApi.reply("POST /v1/checkout/sessions", sessions);
const signer = new Stripe(KEY);

let server: TestServer;
let vnpay: VnpayDouble;
beforeAll(async () => {
  env().TRUST_PROXY = 1;
  server = await startTestServer();
  vnpay = await startVnpayDouble({ appOrigin: server.origin, tmnCode: TMN, secret: SECRET });
  setPaymentProviders({
    vnpay: createVnpayProvider({ tmnCode: TMN, hashSecret: SECRET, payUrl: vnpay.payUrl, apiUrl: vnpay.apiUrl }),
    stripe: createStripeProvider(stripeApi.config()),
  });
});
afterAll(async () => {
  setPaymentProviders(undefined);
  await vnpay.close();
  await server.close();
  await stripeApi.close();
});

// The card stall first in the cart: the order the groups are paid in is VNPay, then cards, all the same.
const cardFarm = await createSellingStall(db, { name: "Vải thiều bác Thịnh", codEnabled: false, stripeEnabled: true });
const vnpayFarm = await createSellingStall(db, { name: "Củ cải chị Hằng", codEnabled: false, vnpayEnabled: true });

let buyers = 0;

/** A buyer of their own fills one cart from both farms and places it once; where checkout sent them. */
async function checkOut() {
  const n = ++buyers;
  const visit = { jar: new CookieJar(), ip: `198.18.9.${n}` };
  const lychee = await createActiveListing(db, cardFarm.stall.id, { priceDong: 160_000 });
  const radish = await createActiveListing(db, vnpayFarm.stall.id, { priceDong: 8_000 });
  for (const listing of [lychee, radish]) {
    const res = await postForm(server, "/cart", { intent: "add", listingId: listing.id, quantity: "1" }, visit);
    expect(res.status).toBe(302);
  }
  const phone = `0916${String(n).padStart(6, "0")}`;
  const res = await postForm(
    server,
    "/checkout",
    {
      name: "Lê Thị Mai",
      phone,
      provinceCode: "",
      communeCode: "",
      addressLine: "",
      [`price.${lychee.id}`]: "160000",
      [`price.${radish.id}`]: "8000",
      [`delivery.${cardFarm.stall.id}`]: "pickup",
      [`delivery.${vnpayFarm.stall.id}`]: "pickup",
      [`payment.${cardFarm.stall.id}`]: "stripe",
      [`payment.${vnpayFarm.stall.id}`]: "vnpay",
    },
    visit,
  );
  expect(res.status).toBe(302);
  const placed = await db
    .select({ order: orders, checkoutCode: checkouts.code })
    .from(orders)
    .innerJoin(checkouts, eq(checkouts.id, orders.checkoutId))
    .where(eq(orders.buyerPhone, `+84${phone.slice(1)}`));
  const of = (stallId: string) => placed.find((p) => p.order.stallId === stallId)!.order;
  return {
    location: res.headers.get("Location")!,
    checkoutCode: placed[0].checkoutCode,
    card: of(cardFarm.stall.id),
    radish: of(vnpayFarm.stall.id),
    visit,
  };
}

/** A page of the server as HTML, with its payment forms (intent=pay): where each posts, and whether it goes on by itself. */
async function html(path: string, visit?: { jar: CookieJar; ip: string }) {
  const res = await getPage(server, path, visit);
  expect(res.status, path).toBe(200);
  const text = await res.text();
  const forms = [...text.matchAll(/<form([^>]*)>([\s\S]*?)<\/form>/g)]
    .filter((m) => m[2].includes('name="intent" value="pay"'))
    .map((m) => ({
      // No action: the page's own URL.
      action: (/action="([^"]*)"/.exec(m[1])?.[1] ?? path).replaceAll("&amp;", "&"),
      auto: /data-auto-submit=/.test(m[1]),
    }));
  return { text, forms };
}

const stripeAttemptsOf = async (checkoutId: string) =>
  db
    .select()
    .from(paymentAttempts)
    .where(and(eq(paymentAttempts.provider, "stripe"), eq(paymentAttempts.checkoutId, checkoutId)));

describe("one checkout pays every group", () => {
  it("VNPay first, then the return page's form starts the card payment, and the last return says all is paid", async () => {
    const { location, checkoutCode, card, radish, visit } = await checkOut();
    expect(location.startsWith(vnpay.payUrl)).toBe(true);
    expect(new URL(location).searchParams.get("vnp_Amount")).toBe("800000");

    const back = await payAtVnpay(location, "pay");
    expect(back.origin).toBe(server.origin);
    const first = await html(`${back.pathname}${back.search}`, visit);
    expect(first.text).toContain("Đã thanh toán 8.000\u00a0₫");
    expect(first.text).toContain("Thanh toán tiếp 160.000\u00a0₫ qua thẻ (Stripe)");
    const cardPay = `/orders/${card.code}?checkout=${checkoutCode}`;
    // The next payment: a form (JavaScript only submits it by itself), and the VNPay order to see.
    expect(first.forms).toEqual([{ action: cardPay, auto: true }]);
    expect(first.text).toContain(`href="/orders/${radish.code}?checkout=${checkoutCode}"`);

    // From another site, the same post is refused, and nothing is started.
    const before = sessions.created();
    const forged = await server.fetch(cardPay, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "https://evil.example" },
      body: "intent=pay",
    });
    expect(forged.status).toBe(403);
    expect(sessions.created()).toBe(before);
    expect(await stripeAttemptsOf(card.checkoutId)).toEqual([]);

    // The buyer's own tap goes to Stripe Checkout, for the card order alone; a second tap to the same session.
    const go = await postForm(server, cardPay, { intent: "pay" }, visit);
    expect(go.status).toBe(302);
    const session = `https://checkout.stripe.test/c/pay/cs_test_group_${sessions.created()}`;
    expect(go.headers.get("Location")).toBe(session);
    expect((await postForm(server, cardPay, { intent: "pay" }, visit)).headers.get("Location")).toBe(session);
    const [attempt] = await stripeAttemptsOf(card.checkoutId);
    expect(attempt).toMatchObject({ status: "pending", amountDong: 160_000 });

    // Stripe's webhook says it paid; Stripe sends the buyer back.
    const payload = JSON.stringify(
      stripeEvent("checkout.session.completed", attemptSession(attempt), { id: `evt_group_${attempt.id}` }),
    );
    const hook = await server.fetch("/payments/stripe/webhook", {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "Stripe-Signature": signer.webhooks.generateTestHeaderString({ payload, secret: WHSEC }),
      },
      body: payload,
    });
    expect(hook.status).toBe(200);
    const last = await html(`/payments/stripe/return?attempt=${attempt.id}`, visit);
    expect(last.text).toContain("Đã thanh toán 160.000\u00a0₫");
    expect(last.text).toContain("Tất cả các đơn của lần đặt này đã được thanh toán.");
    expect(last.forms).toEqual([]);
    for (const o of [card, radish]) expect(last.text).toContain(`href="/orders/${o.code}?checkout=${checkoutCode}"`);

    // The order pages: paid, and nothing else of the checkout waits.
    for (const o of [card, radish]) {
      const page = await html(`/orders/${o.code}?checkout=${checkoutCode}`, visit);
      expect(page.text).not.toContain("Đơn khác còn chờ thanh toán");
      expect(page.forms).toEqual([]);
      expect((await db.select().from(orders).where(eq(orders.id, o.id)))[0].paymentStatus).toBe("paid");
    }
  });

  it("a payment given up is offered again next to the next one, neither going on by itself; the order pages list what waits", async () => {
    const { location, checkoutCode, card, radish, visit } = await checkOut();
    const back = await payAtVnpay(location, "cancel");
    const page = await html(`${back.pathname}${back.search}`, visit);
    const radishPay = `/orders/${radish.code}?checkout=${checkoutCode}`;
    const cardPay = `/orders/${card.code}?checkout=${checkoutCode}`;
    expect(page.text).toContain("Bạn đã hủy giao dịch.");
    expect(page.text).toContain("Thanh toán lại 8.000\u00a0₫ qua VNPay");
    expect(page.text).toContain("Thanh toán tiếp 160.000\u00a0₫ qua thẻ (Stripe)");
    expect(page.forms).toEqual([
      { action: radishPay, auto: false },
      { action: cardPay, auto: false },
    ]);

    // Each order's page: its own payment, and the other order still waiting, with its button.
    const radishPage = await html(radishPay, visit);
    expect(radishPage.text).toContain("Đơn khác còn chờ thanh toán");
    expect(radishPage.forms).toEqual([
      { action: radishPay, auto: false },
      { action: cardPay, auto: false },
    ]);
    const cardPage = await html(cardPay, visit);
    expect(cardPage.forms).toEqual([
      { action: cardPay, auto: false },
      { action: radishPay, auto: false },
    ]);

    // Paying VNPay again: a new vnp_TxnRef (VNPay's was given up), never the old one.
    const again = await postForm(server, radishPay, { intent: "pay" }, visit);
    expect(again.status).toBe(302);
    const retry = new URL(again.headers.get("Location")!);
    expect(retry.searchParams.get("vnp_TxnRef")).not.toBe(new URL(location).searchParams.get("vnp_TxnRef"));
  });
});
