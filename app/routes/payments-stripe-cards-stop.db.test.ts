/**
 * Stripe stops a farmer's card payments (Stripe Connect, issue 18): signed
 * `account.updated` events posted to the real HTTP server, as Stripe posts
 * them, and what follows as the buyer, the farmer and an officer see it over
 * HTTP — the checkout's payment choices, the stall page, the dashboard's
 * notice — and the one SMS the farmer gets.
 */
import { and, count, eq } from "drizzle-orm";
import Stripe from "stripe";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { orders, paymentEvents, stalls, type Stall } from "#db/schema";
import { startStripeApi, stripeEvent } from "../../tests/doubles/stripe-api";
import { CookieJar, getPage, mainText, postForm } from "../../tests/http/forms";
import { serveAppForThisFile } from "../../tests/http/server";
import { createOfficer, delegate, type FarmerWithStall } from "#tests/fixtures/factories";
import { createActiveListing, createSellingStall } from "#tests/fixtures/orders";
import { cartWith, signedIn } from "#tests/harness/routes";
import { sentSmsForTests } from "~/notifications/sms.server";
import { setPaymentProviders } from "~/payments/core/providers.server";
import { createStripeProvider } from "~/payments/stripe/provider.server";
import { db } from "~/utils/db.server";

const KEY = "sk_test_51GhsCardsStop";
const WHSEC = "whsec_gian_hang_so_cards_stop";

const api = await startStripeApi({ secretKey: KEY, webhookSecrets: [WHSEC] });
setPaymentProviders({ vnpay: null, stripe: createStripeProvider(api.config({ connect: true })) });
afterAll(async () => {
  setPaymentProviders(undefined);
  await api.close();
});

const server = serveAppForThisFile();

// ---- account.updated, signed as Stripe signs it, posted to the server ------------

const signer = new Stripe(KEY);
let eventSeq = 0;
/** Stripe's `created` (seconds): each event of this file is a second later than the one before, unless told. */
let clock = Math.floor(Date.now() / 1000);

function accountUpdated(accountId: string, chargesEnabled: boolean, created = ++clock) {
  return stripeEvent(
    "account.updated",
    {
      id: accountId,
      object: "account",
      charges_enabled: chargesEnabled,
      payouts_enabled: chargesEnabled,
      details_submitted: true,
    },
    { id: `evt_cards_${++eventSeq}`, created },
  );
}

async function deliver(payload: string, header: string | null) {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (header !== null) headers["Stripe-Signature"] = header;
  const res = await server.fetch("/payments/stripe/webhook", { method: "POST", headers, body: payload });
  return { status: res.status, body: (await res.json()) as { received: boolean; result?: string } };
}
const sign = (payload: string) => signer.webhooks.generateTestHeaderString({ payload, secret: WHSEC });
const send = (event: object) => {
  const payload = JSON.stringify(event);
  return deliver(payload, sign(payload));
};

// ---- what people see over HTTP ------------------------------------------------------

/** The payment methods the checkout page offers for the stall, as its radio buttons. */
async function checkoutOffers(cartCookie: string, stallId: string): Promise<string[]> {
  const res = await getPage(server, "/checkout", { jar: new CookieJar(cartCookie) });
  expect(res.status).toBe(200);
  const html = await res.text();
  const radios = html.matchAll(/<input[^>]*name="payment\.([0-9a-f-]{36})"[^>]*value="(\w+)"/g);
  return [...radios].filter(([, id]) => id === stallId).map(([, , method]) => method);
}

const dashboard = async (jar: CookieJar, path = "/seller") => {
  const res = await getPage(server, path, { jar });
  expect(res.status).toBe(200);
  const html = await res.text();
  return { html, text: await mainText(new Response(html)) };
};

const stallRow = async (id: string): Promise<Stall> => (await db.select().from(stalls).where(eq(stalls.id, id)))[0];
const stallPageStatus = async (slug: string) => (await getPage(server, `/s/${slug}`)).status;

const HEADING = "Gian hàng tạm thời không nhận thanh toán thẻ";

interface Farm extends FarmerWithStall {
  listingId: string;
  jar: CookieJar;
  cart: string;
  account: string;
}

async function farm(account: string, methods: Partial<Stall>): Promise<Farm> {
  const made = await createSellingStall(db, {
    stripeEnabled: true,
    stripeAccountId: account,
    stripeChargesEnabled: true,
    ...methods,
  });
  const listing = await createActiveListing(db, made.stall.id, { priceDong: 60_000 });
  return {
    ...made,
    listingId: listing.id,
    account,
    jar: new CookieJar(await signedIn(made.user.id)),
    cart: await cartWith([{ id: listing.id, qty: 1 }]),
  };
}

const cashAndCards = await farm("acct_1CashAndCards", { codEnabled: true });
const cardsOnly = await farm("acct_1CardsOnly", { codEnabled: false });

beforeEach(() => sentSmsForTests.clear());

describe("Stripe stops the card payments of a stall that also takes cash", () => {
  it("keeps the stall on sale without cards, tells the farmer on the dashboard and in one SMS", async () => {
    expect(await checkoutOffers(cashAndCards.cart, cashAndCards.stall.id)).toEqual(["cod", "stripe"]);
    expect((await dashboard(cashAndCards.jar)).text).not.toContain(HEADING);

    expect(await send(accountUpdated(cashAndCards.account, false))).toEqual({
      status: 200,
      body: { received: true, result: "account_updated" },
    });

    const row = await stallRow(cashAndCards.stall.id);
    expect(row).toMatchObject({ status: "published", stripeChargesEnabled: false });
    expect(row.stripeChargesStoppedAt).toBeInstanceOf(Date);
    expect(await checkoutOffers(cashAndCards.cart, cashAndCards.stall.id)).toEqual(["cod"]);
    expect(await stallPageStatus(cashAndCards.stall.slug)).toBe(200);

    const { html, text } = await dashboard(cashAndCards.jar);
    expect(text).toContain(HEADING);
    expect(text).toContain("Người mua vẫn trả được bằng: tiền mặt khi nhận hàng. Gian hàng vẫn đang mở bán.");
    expect(text).toContain("Mở Stripe");
    expect(html).toContain('href="/setup/payment/stripe"');
    expect(html).toContain('href="/setup/payment"');

    const sms = sentSmsForTests.all(cashAndCards.user.phone);
    expect(sms).toHaveLength(1);
    expect(sms[0].text).toBe(
      `Gian Hàng Số: Stripe đã ngừng nhận thẻ cho gian hàng của bạn. Người mua vẫn trả được bằng cách khác. Xem: ${server.origin}/seller`,
    );
  });

  it("sends no second SMS for the same event again, nor for another event saying the same", async () => {
    const stoppedAt = (await stallRow(cashAndCards.stall.id)).stripeChargesStoppedAt;
    const again = accountUpdated(cashAndCards.account, false);
    expect((await send(again)).body.result).toBe("account_updated");
    expect((await send(again)).body.result).toBe("duplicate");
    expect(sentSmsForTests.all(cashAndCards.user.phone)).toEqual([]);
    expect((await stallRow(cashAndCards.stall.id)).stripeChargesStoppedAt).toEqual(stoppedAt);
  });

  it("shows the notice to an officer acting for the household, without the farmer's own Stripe button", async () => {
    const officer = await createOfficer(db);
    await delegate(db, officer.id, cashAndCards.household.id);
    const { html, text } = await dashboard(
      new CookieJar(await signedIn(officer.id)),
      `/officer/h/${cashAndCards.household.id}/seller`,
    );
    expect(text).toContain(HEADING);
    expect(text).toContain("Chỉ chủ hộ mở được tài khoản Stripe của hộ");
    expect(text).not.toContain("Mở Stripe");
    expect(html).toContain(`href="/officer/h/${cashAndCards.household.id}/setup/payment"`);
  });

  it("offers cards again when charges come back, drops the notice, and ignores an older event arriving late", async () => {
    const stoppedBefore = clock;
    expect((await send(accountUpdated(cashAndCards.account, true))).body.result).toBe("account_updated");
    expect(await stallRow(cashAndCards.stall.id)).toMatchObject({
      status: "published",
      stripeChargesEnabled: true,
      stripeChargesStoppedAt: null,
    });
    expect(await checkoutOffers(cashAndCards.cart, cashAndCards.stall.id)).toEqual(["cod", "stripe"]);
    expect((await dashboard(cashAndCards.jar)).text).not.toContain(HEADING);
    expect(sentSmsForTests.all(cashAndCards.user.phone).map((m) => m.text)).toEqual([
      `Gian Hàng Số: gian hàng của bạn đã nhận thanh toán thẻ trở lại. Xem: ${server.origin}/seller`,
    ]);

    // A "charges off" Stripe made before the "on" above, delivered only now: nothing changes, nobody is told.
    expect((await send(accountUpdated(cashAndCards.account, false, stoppedBefore - 1))).body.result).toBe("ignored");
    expect(await stallRow(cashAndCards.stall.id)).toMatchObject({
      stripeChargesEnabled: true,
      stripeChargesStoppedAt: null,
    });
    expect(sentSmsForTests.all(cashAndCards.user.phone)).toHaveLength(1);
  });
});

describe("Stripe stops the card payments of a stall that takes only cards", () => {
  it("takes the stall off sale, so buyers cannot order, and the notice and the SMS say why", async () => {
    expect(await checkoutOffers(cardsOnly.cart, cardsOnly.stall.id)).toEqual(["stripe"]);
    expect((await send(accountUpdated(cardsOnly.account, false))).body.result).toBe("account_updated");

    expect(await stallRow(cardsOnly.stall.id)).toMatchObject({ status: "unpublished", stripeChargesEnabled: false });
    expect(await stallPageStatus(cardsOnly.stall.slug)).toBe(404);
    // The buyer who had the checkout open before: what they post is refused, nothing is placed.
    const placed = await postForm(
      server,
      "/checkout",
      {
        name: "Trần Thị Mua",
        phone: "0913 777 001",
        [`delivery.${cardsOnly.stall.id}`]: "pickup",
        [`payment.${cardsOnly.stall.id}`]: "stripe",
        [`price.${cardsOnly.listingId}`]: "60000",
      },
      { jar: new CookieJar(cardsOnly.cart) },
    );
    expect(placed.status).toBe(400);
    expect(await mainText(placed)).toContain("hiện không bán");
    const [{ n }] = await db.select({ n: count() }).from(orders).where(eq(orders.stallId, cardsOnly.stall.id));
    expect(n).toBe(0);

    const { text } = await dashboard(cardsOnly.jar);
    expect(text).toContain(HEADING);
    expect(text).toContain("Thẻ là cách nhận tiền duy nhất của gian hàng, nên người mua chưa đặt hàng được.");
    expect(text).toContain("Gian hàng đã được tạm ẩn");
    expect(text).toContain("bấm “Mở bán lại”");
    expect(sentSmsForTests.all(cardsOnly.user.phone).map((m) => m.text)).toEqual([
      `Gian Hàng Số: Stripe đã ngừng nhận thẻ, cách trả tiền duy nhất của gian hàng, nên gian hàng đã tạm ẩn. Xem cách mở bán lại: ${server.origin}/seller`,
    ]);

    // The farmer cannot put it back on sale with no way to be paid.
    const refused = await postForm(server, "/seller?index", { intent: "publish" }, { jar: cardsOnly.jar });
    expect(refused.status).toBe(400);
    expect((await stallRow(cardsOnly.stall.id)).status).toBe("unpublished");
  });

  it("lets the farmer put it back on sale once cards work again", async () => {
    expect((await send(accountUpdated(cardsOnly.account, true))).body.result).toBe("account_updated");
    expect(await stallRow(cardsOnly.stall.id)).toMatchObject({
      status: "unpublished",
      stripeChargesEnabled: true,
      stripeChargesStoppedAt: null,
    });
    expect((await dashboard(cardsOnly.jar)).text).not.toContain(HEADING);
    expect(sentSmsForTests.all(cardsOnly.user.phone).map((m) => m.text)).toEqual([
      `Gian Hàng Số: gian hàng của bạn đã nhận thanh toán thẻ trở lại. Gian hàng đang tạm ẩn, mở bán lại tại: ${server.origin}/seller`,
    ]);

    const published = await postForm(server, "/seller?index", { intent: "publish" }, { jar: cardsOnly.jar });
    expect(published.status).toBe(302);
    expect((await stallRow(cardsOnly.stall.id)).status).toBe("published");
    expect(await checkoutOffers(cardsOnly.cart, cardsOnly.stall.id)).toEqual(["stripe"]);
  });

  it("or once the farmer turns cash on delivery on while cards stay stopped", async () => {
    expect((await send(accountUpdated(cardsOnly.account, false))).body.result).toBe("account_updated");
    expect((await stallRow(cardsOnly.stall.id)).status).toBe("unpublished");

    const saved = await postForm(
      server,
      "/setup/payment",
      { cod: "on", stripe: "on", intent: "save" },
      { jar: cardsOnly.jar },
    );
    expect(saved.status).toBe(302);
    const { text } = await dashboard(cardsOnly.jar);
    // Still told about cards, now with what works.
    expect(text).toContain("Người mua vẫn trả được bằng: tiền mặt khi nhận hàng.");
    expect((await postForm(server, "/seller?index", { intent: "publish" }, { jar: cardsOnly.jar })).status).toBe(302);
    expect(await checkoutOffers(cardsOnly.cart, cardsOnly.stall.id)).toEqual(["cod"]);
  });
});

describe("an account.updated that Stripe did not sign", () => {
  it("answers 400 and changes nothing: no stall change, no event, no SMS", async () => {
    const target = await farm("acct_1Untouched", { codEnabled: false });
    const before = await stallRow(target.stall.id);
    const payload = JSON.stringify(accountUpdated(target.account, false));
    const header = sign(payload);
    const events = async () =>
      (
        await db
          .select({ n: count() })
          .from(paymentEvents)
          .where(and(eq(paymentEvents.provider, "stripe"), eq(paymentEvents.outcome, "ignored")))
      )[0].n;
    const eventsBefore = await events();

    const tampered = payload.replace('"charges_enabled":false', '"charges_enabled":false ');
    expect(tampered).not.toBe(payload);
    expect((await deliver(tampered, header)).status).toBe(400);
    expect((await deliver(payload, sign(payload).replace(/v1=[0-9a-f]{4}/, "v1=0000"))).status).toBe(400);
    expect(
      (await deliver(payload, signer.webhooks.generateTestHeaderString({ payload, secret: "whsec_other" }))).status,
    ).toBe(400);
    expect((await deliver(payload, null)).status).toBe(400);

    expect(await stallRow(target.stall.id)).toEqual(before);
    expect(await events()).toBe(eventsBefore);
    expect(sentSmsForTests.all(target.user.phone)).toEqual([]);
    expect(await checkoutOffers(target.cart, target.stall.id)).toEqual(["stripe"]);

    // The genuine one still goes through afterwards.
    expect((await deliver(payload, header)).status).toBe(200);
    expect((await stallRow(target.stall.id)).status).toBe("unpublished");
  });
});
