import net from "node:net";
import Stripe from "stripe";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  checkoutSession,
  startStripeApi,
  stripeError,
  stripeEvent,
  type StripeApiReply as Reply,
  type StripeApiRequest as Seen,
} from "#tests/doubles/stripe-api";
import { parseEnv } from "~/utils/env.server";
import { PaymentSignatureError, type StartPaymentInput } from "../core/provider";
import {
  CHECKOUT_MAX_EXPIRY_MS,
  CHECKOUT_MIN_EXPIRY_MS,
  createStripeProvider,
  stripeConfigFromEnv,
  type StripeConfig,
} from "./provider.server";

/*
 * The real `stripe` SDK talks to a local HTTP server standing in for
 * api.stripe.com; webhooks are signed the way Stripe signs them. A guard makes
 * any connection to anything but this machine fail the test.
 */

const KEY = "sk_test_51GhsTestKey";
const WHSEC = "whsec_gian_hang_so_test";

// ---- no network ----------------------------------------------------------

const outside: string[] = [];
const originalConnect = net.Socket.prototype.connect;
beforeAll(() => {
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    // net.createConnection passes its normalized arguments as one array.
    const first = Array.isArray(args[0]) ? args[0][0] : args[0];
    const opts = (
      typeof first === "object" && first ? first : { port: first, host: args[1] }
    ) as net.TcpNetConnectOpts & net.IpcNetConnectOpts;
    const host = opts.path ? "(unix socket)" : String(opts.host ?? "localhost");
    if (!opts.path && !["127.0.0.1", "localhost", "::1"].includes(host)) {
      outside.push(host);
      throw new Error(`test tried to reach ${host}: tests must not use the network`);
    }
    return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof net.Socket.prototype.connect;
});
afterAll(() => {
  net.Socket.prototype.connect = originalConnect;
});
afterEach(() => {
  expect(outside, "connections outside 127.0.0.1").toEqual([]);
});

// ---- a local stand-in for api.stripe.com ----------------------------------

const api = await startStripeApi({ secretKey: KEY, webhookSecrets: [WHSEC] });
const { seen, config } = api;
afterAll(() => api.close());
beforeEach(() => api.reset());

/** What Stripe answers to a session create: echoes what was asked. */
function sessionReply(req: Seen): Reply {
  return {
    json: session({
      id: "cs_test_a1B2c3",
      client_reference_id: req.form.get("client_reference_id"),
      metadata: { attemptId: req.form.get("metadata[attemptId]") },
      expires_at: Number(req.form.get("expires_at")),
      amount_total: Number(req.form.get("line_items[0][price_data][unit_amount]")),
      payment_status: "unpaid",
      status: "open",
      payment_intent: null,
    }),
  };
}

const session = (fields: Record<string, unknown> = {}) =>
  checkoutSession({
    metadata: { attemptId: "att_1", orderRef: "GHS-7K2M" },
    url: "https://checkout.stripe.com/c/pay/cs_test_a1B2c3",
    ...fields,
  });

const start: StartPaymentInput = {
  attemptId: "att_1",
  amountDong: 75000,
  orderRef: "GHS-7K2M",
  description: "Thanh toán đơn GHS-7K2M: vải thiều Thanh Hà",
  returnUrl: "https://cho.example.vn/orders/GHS-7K2M?paid=1",
  cancelUrl: "https://cho.example.vn/checkout",
  ip: "203.0.113.9",
  locale: "vi",
  expiresAt: new Date(Date.now() + 2 * 3600_000),
};

// ---- startPayment ---------------------------------------------------------

describe("startPayment", () => {
  it("creates a Checkout Session for 75 000 ₫ as 75000 in zero-decimal VND, keyed by the attempt", async () => {
    api.reply("POST /v1/checkout/sessions", sessionReply);
    const stripe = createStripeProvider(config());
    const started = await stripe.startPayment(start);

    expect(started).toMatchObject({
      providerRef: "cs_test_a1B2c3",
      redirectUrl: "https://checkout.stripe.com/c/pay/cs_test_a1B2c3",
    });
    expect(seen).toHaveLength(1);
    const [req] = seen;
    expect(req.method).toBe("POST");
    expect(req.path).toBe("/v1/checkout/sessions");
    expect(req.headers["idempotency-key"]).toBe("start:att_1");
    expect(req.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(Object.fromEntries(req.form)).toMatchObject({
      mode: "payment",
      "line_items[0][quantity]": "1",
      "line_items[0][price_data][currency]": "vnd",
      "line_items[0][price_data][unit_amount]": "75000",
      "line_items[0][price_data][product_data][name]": start.description,
      client_reference_id: "att_1",
      "metadata[attemptId]": "att_1",
      "metadata[orderRef]": "GHS-7K2M",
      "payment_intent_data[metadata][attemptId]": "att_1",
      success_url: start.returnUrl,
      cancel_url: start.cancelUrl,
      locale: "vi",
      expires_at: String(Math.floor(start.expiresAt.getTime() / 1000)),
    });
    // Without Connect the money stays with the platform.
    expect([...req.form.keys()].filter((k) => /transfer_data|application_fee/.test(k))).toEqual([]);
    expect(started.expiresAt.getTime()).toBe(Math.floor(start.expiresAt.getTime() / 1000) * 1000);
  });

  it("sends the buyer back to the return URL when no cancel URL is given, and speaks English when asked", async () => {
    api.reply("POST /v1/checkout/sessions", sessionReply);
    await createStripeProvider(config()).startPayment({ ...start, cancelUrl: undefined, locale: "en" });
    expect(seen[0].form.get("cancel_url")).toBe(start.returnUrl);
    expect(seen[0].form.get("locale")).toBe("en");
  });

  it("with Connect, pays the farmer's account directly and keeps the platform fee", async () => {
    api.reply("POST /v1/checkout/sessions", sessionReply);
    const stripe = createStripeProvider(config({ connect: true }));
    await stripe.startPayment({ ...start, transfer: { destinationAccount: "acct_1Farmer", applicationFeeDong: 3750 } });
    expect(seen[0].form.get("payment_intent_data[transfer_data][destination]")).toBe("acct_1Farmer");
    expect(seen[0].form.get("payment_intent_data[application_fee_amount]")).toBe("3750");
  });

  it("refuses a transfer when Connect is off, and a fee larger than the payment, without calling Stripe", async () => {
    const transfer = { destinationAccount: "acct_1Farmer", applicationFeeDong: 3750 };
    await expect(createStripeProvider(config()).startPayment({ ...start, transfer })).rejects.toThrow(/STRIPE_CONNECT/);
    const connect = createStripeProvider(config({ connect: true }));
    await expect(
      connect.startPayment({ ...start, transfer: { ...transfer, applicationFeeDong: 80000 } }),
    ).rejects.toThrow(RangeError);
    await expect(
      connect.startPayment({ ...start, transfer: { ...transfer, destinationAccount: "farmer@example.com" } }),
    ).rejects.toThrow(/account id/);
    expect(seen).toEqual([]);
  });

  it("refuses amounts that are not a positive whole number of đồng, without calling Stripe", async () => {
    const stripe = createStripeProvider(config());
    for (const amountDong of [75000.5, 0, -1000, Number.NaN, 2 ** 53]) {
      await expect(stripe.startPayment({ ...start, amountDong }), String(amountDong)).rejects.toThrow(RangeError);
    }
    expect(seen).toEqual([]);
  });

  it("clamps the expiry into Stripe's window of 30 minutes to 24 hours", async () => {
    api.reply("POST /v1/checkout/sessions", sessionReply);
    const stripe = createStripeProvider(config());
    const cases = [
      { wanted: 5 * 60_000, min: CHECKOUT_MIN_EXPIRY_MS, max: CHECKOUT_MIN_EXPIRY_MS },
      { wanted: 3 * 24 * 3600_000, min: CHECKOUT_MAX_EXPIRY_MS, max: CHECKOUT_MAX_EXPIRY_MS },
      { wanted: -3600_000, min: CHECKOUT_MIN_EXPIRY_MS, max: CHECKOUT_MIN_EXPIRY_MS },
    ];
    for (const c of cases) {
      seen.length = 0;
      const before = Date.now();
      const started = await stripe.startPayment({ ...start, expiresAt: new Date(before + c.wanted) });
      const after = Date.now();
      const sent = Number(seen[0].form.get("expires_at")) * 1000;
      expect(sent).toBeGreaterThanOrEqual(Math.floor((before + c.min) / 1000) * 1000);
      expect(sent).toBeLessThanOrEqual(after + c.max);
      // Stripe's hard limits, whatever our margins.
      expect(sent - after).toBeGreaterThanOrEqual(30 * 60_000 - 1000);
      expect(sent - before).toBeLessThanOrEqual(24 * 3600_000);
      expect(started.expiresAt.getTime()).toBe(sent);
    }
  });

  it("passes Stripe's refusal on to the caller", async () => {
    api.reply("POST /v1/checkout/sessions", () =>
      stripeError(400, "invalid_request_error", "Amount must convert to at least 50 cents."),
    );
    await expect(createStripeProvider(config()).startPayment({ ...start, amountDong: 1000 })).rejects.toBeInstanceOf(
      Stripe.errors.StripeInvalidRequestError,
    );
  });
});

// ---- refunds --------------------------------------------------------------

describe("refund", () => {
  const refundReply = (req: Seen): Reply => ({
    json: {
      id: "re_1Ghs",
      object: "refund",
      amount: Number(req.form.get("amount")),
      currency: "vnd",
      status: "succeeded",
    },
  });
  const input = {
    attemptId: "att_1",
    providerRef: "cs_test_a1B2c3",
    transactionRef: "pi_3Ghs",
    amountDong: 20000,
    idempotencyKey: "refund:att_1:1",
    reason: "Hết hàng một phần",
  };

  it("refunds part of the payment by PaymentIntent, with the caller's idempotency key", async () => {
    api.reply("POST /v1/refunds", refundReply);
    const result = await createStripeProvider(config()).refund(input);
    expect(result).toEqual({ refundRef: "re_1Ghs" });
    expect(seen).toHaveLength(1);
    expect(seen[0].path).toBe("/v1/refunds");
    expect(seen[0].headers["idempotency-key"]).toBe("refund:att_1:1");
    expect(Object.fromEntries(seen[0].form)).toEqual({
      payment_intent: "pi_3Ghs",
      amount: "20000",
      "metadata[attemptId]": "att_1",
      "metadata[reason]": "Hết hàng một phần",
    });
  });

  it("finds the PaymentIntent through the session when the attempt has no transaction reference", async () => {
    api.reply("GET /v1/checkout/sessions/cs_test_a1B2c3", () => ({ json: session() }));
    api.reply("POST /v1/refunds", refundReply);
    await createStripeProvider(config()).refund({ ...input, transactionRef: undefined });
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual([
      "GET /v1/checkout/sessions/cs_test_a1B2c3",
      "POST /v1/refunds",
    ]);
    expect(seen[1].form.get("payment_intent")).toBe("pi_3Ghs");
  });

  it("with Connect, takes a destination charge's refund back from the farmer's account", async () => {
    api.reply("GET /v1/payment_intents/pi_3Ghs", () => ({
      json: { id: "pi_3Ghs", object: "payment_intent", transfer_data: { destination: "acct_1Farmer" } },
    }));
    api.reply("POST /v1/refunds", refundReply);
    await createStripeProvider(config({ connect: true })).refund(input);
    expect(seen[1].form.get("reverse_transfer")).toBe("true");
    expect(seen[1].form.get("refund_application_fee")).toBe("true");
  });

  it("with Connect, refunds a platform charge from the platform", async () => {
    api.reply("GET /v1/payment_intents/pi_3Ghs", () => ({
      json: { id: "pi_3Ghs", object: "payment_intent", transfer_data: null },
    }));
    api.reply("POST /v1/refunds", refundReply);
    await createStripeProvider(config({ connect: true })).refund(input);
    expect(seen[1].form.has("reverse_transfer")).toBe(false);
  });

  it("refuses a non-integer amount without calling Stripe", async () => {
    await expect(createStripeProvider(config()).refund({ ...input, amountDong: 199.99 })).rejects.toThrow(RangeError);
    expect(seen).toEqual([]);
  });
});

// ---- Connect Express -------------------------------------------------------

describe("Connect Express", () => {
  it("creates an Express account for a stall, once per stall", async () => {
    api.reply("POST /v1/accounts", () => ({
      json: {
        id: "acct_1Farmer",
        object: "account",
        charges_enabled: false,
        payouts_enabled: false,
        details_submitted: false,
      },
    }));
    const account = await createStripeProvider(config({ connect: true })).createExpressAccount({
      stallId: "stall_42",
      email: "nong.dan@example.com",
      country: "sg",
    });
    expect(account).toEqual({
      accountId: "acct_1Farmer",
      chargesEnabled: false,
      payoutsEnabled: false,
      detailsSubmitted: false,
    });
    expect(seen[0].path).toBe("/v1/accounts");
    expect(seen[0].headers["idempotency-key"]).toBe("account:stall_42");
    expect(Object.fromEntries(seen[0].form)).toMatchObject({
      country: "SG",
      email: "nong.dan@example.com",
      "controller[stripe_dashboard][type]": "express",
      "controller[fees][payer]": "application",
      "controller[losses][payments]": "application",
      "capabilities[transfers][requested]": "true",
      "metadata[stallId]": "stall_42",
    });
  });

  it("makes an onboarding link with its refresh and return URLs", async () => {
    const expires = Math.floor(Date.now() / 1000) + 300;
    api.reply("POST /v1/account_links", () => ({
      json: {
        object: "account_link",
        created: expires - 300,
        expires_at: expires,
        url: "https://connect.stripe.com/setup/e/acct_1Farmer/abc",
      },
    }));
    const link = await createStripeProvider(config({ connect: true })).createAccountLink({
      accountId: "acct_1Farmer",
      refreshUrl: "https://cho.example.vn/setup/payments/stripe/refresh",
      returnUrl: "https://cho.example.vn/setup/payments/stripe/return",
    });
    expect(link).toEqual({
      url: "https://connect.stripe.com/setup/e/acct_1Farmer/abc",
      expiresAt: new Date(expires * 1000),
    });
    expect(seen[0].path).toBe("/v1/account_links");
    expect(Object.fromEntries(seen[0].form)).toEqual({
      account: "acct_1Farmer",
      type: "account_onboarding",
      refresh_url: "https://cho.example.vn/setup/payments/stripe/refresh",
      return_url: "https://cho.example.vn/setup/payments/stripe/return",
    });
  });

  it("refuses both when Connect is off (Vietnamese deployments)", async () => {
    const stripe = createStripeProvider(config());
    await expect(stripe.createExpressAccount({ stallId: "s", country: "VN" })).rejects.toThrow(/STRIPE_CONNECT/);
    await expect(
      stripe.createAccountLink({ accountId: "acct_1", refreshUrl: "https://a/r", returnUrl: "https://a/b" }),
    ).rejects.toThrow(/STRIPE_CONNECT/);
    expect(seen).toEqual([]);
  });
});

// ---- reconciliation -------------------------------------------------------

describe("retrieveSession", () => {
  it("turns a paid session whose webhook never came into a success to apply", async () => {
    api.reply("GET /v1/checkout/sessions/cs_test_a1B2c3", () => ({ json: session() }));
    const state = await createStripeProvider(config()).retrieveSession("cs_test_a1B2c3");
    expect(seen[0].path).toBe("/v1/checkout/sessions/cs_test_a1B2c3");
    expect(state).toMatchObject({ sessionId: "cs_test_a1B2c3", attemptId: "att_1", status: "complete" });
    expect(state.notification).toMatchObject({
      provider: "stripe",
      eventId: "reconcile:cs_test_a1B2c3:succeeded",
      providerRef: "cs_test_a1B2c3",
      outcome: "succeeded",
      amountDong: 75000,
      currency: "VND",
      transactionRef: "pi_3Ghs",
    });
  });

  it("reports an expired session as expired and an open one as nothing to apply yet", async () => {
    api.reply("GET /v1/checkout/sessions/cs_exp", () => ({
      json: session({ id: "cs_exp", status: "expired", payment_status: "unpaid", payment_intent: null }),
    }));
    api.reply("GET /v1/checkout/sessions/cs_open", () => ({
      json: session({ id: "cs_open", status: "open", payment_status: "unpaid", payment_intent: null }),
    }));
    const stripe = createStripeProvider(config());
    expect((await stripe.retrieveSession("cs_exp")).notification).toMatchObject({ outcome: "expired" });
    expect((await stripe.retrieveSession("cs_open")).notification).toBeNull();
  });
});

// ---- webhooks -------------------------------------------------------------

const signer = new Stripe(KEY);

function webhook(payload: string, opts: { secret?: string; timestamp?: number; header?: string | null } = {}) {
  const header =
    opts.header !== undefined
      ? opts.header
      : signer.webhooks.generateTestHeaderString({ payload, secret: opts.secret ?? WHSEC, timestamp: opts.timestamp });
  const headers = new Headers({ "content-type": "application/json" });
  if (header !== null) headers.set("stripe-signature", header);
  return new Request("http://127.0.0.1/payments/stripe/webhook", { method: "POST", headers, body: payload });
}

const read = (e: object, cfg?: Partial<StripeConfig>) =>
  createStripeProvider(config(cfg)).readNotification(webhook(JSON.stringify(e)));

describe("readNotification", () => {
  it("a paid checkout.session.completed is a success for the session's attempt", async () => {
    const e = stripeEvent("checkout.session.completed", session());
    expect(await read(e)).toEqual({
      provider: "stripe",
      eventId: e.id,
      providerRef: "cs_test_a1B2c3",
      attemptId: "att_1",
      outcome: "succeeded",
      amountDong: 75000,
      currency: "VND",
      transactionRef: "pi_3Ghs",
      raw: e,
    });
  });

  it("a completed session still waiting for a delayed payment is not a success yet", async () => {
    const e = stripeEvent("checkout.session.completed", session({ payment_status: "unpaid" }));
    expect(await read(e)).toMatchObject({ outcome: "ignored", providerRef: "cs_test_a1B2c3" });
  });

  it("maps the asynchronous results and the expiry of a session", async () => {
    const cases = [
      ["checkout.session.async_payment_succeeded", "succeeded"],
      ["checkout.session.async_payment_failed", "failed"],
      ["checkout.session.expired", "expired"],
    ] as const;
    for (const [type, outcome] of cases) {
      const object =
        type === "checkout.session.expired"
          ? session({ status: "expired", payment_status: "unpaid", payment_intent: null })
          : session();
      const e = stripeEvent(type, object);
      expect(await read(e), type).toMatchObject({
        eventId: e.id,
        providerRef: "cs_test_a1B2c3",
        attemptId: "att_1",
        outcome,
        amountDong: 75000,
        currency: "VND",
      });
    }
  });

  it("charge.refunded reports the cumulative refunded amount and leads back to the attempt", async () => {
    const charge = (refunded: number) => ({
      id: "ch_3Ghs",
      object: "charge",
      amount: 75000,
      amount_refunded: refunded,
      currency: "vnd",
      livemode: false,
      metadata: { attemptId: "att_1", orderRef: "GHS-7K2M" },
      payment_intent: "pi_3Ghs",
      refunded: refunded === 75000,
    });
    const first = await read(stripeEvent("charge.refunded", charge(20000), { id: "evt_refund_1" }));
    const second = await read(stripeEvent("charge.refunded", charge(75000), { id: "evt_refund_2" }));
    expect(first).toMatchObject({
      eventId: "evt_refund_1",
      outcome: "refunded",
      amountDong: 20000,
      currency: "VND",
      providerRef: "pi_3Ghs",
      transactionRef: "pi_3Ghs",
      attemptId: "att_1",
    });
    expect(second).toMatchObject({ eventId: "evt_refund_2", outcome: "refunded", amountDong: 75000 });
  });

  it("account.updated carries a farmer's Connect readiness and changes no payment", async () => {
    const e = stripeEvent(
      "account.updated",
      {
        id: "acct_1Farmer",
        object: "account",
        charges_enabled: true,
        payouts_enabled: false,
        details_submitted: true,
      },
      { account: "acct_1Farmer" },
    );
    expect(await read(e, { connect: true })).toMatchObject({
      outcome: "ignored",
      providerRef: "acct_1Farmer",
      account: { id: "acct_1Farmer", chargesEnabled: true, payoutsEnabled: false, detailsSubmitted: true },
    });
  });

  it("ignores event types it does not handle", async () => {
    const e = stripeEvent("payment_intent.created", { id: "pi_3Ghs", object: "payment_intent", amount: 75000 });
    expect(await read(e)).toMatchObject({ eventId: e.id, outcome: "ignored", providerRef: "pi_3Ghs", amountDong: 0 });
  });

  it("verifies the exact bytes, Vietnamese text included", async () => {
    const e = stripeEvent(
      "checkout.session.completed",
      session({ metadata: { attemptId: "att_1", note: "Vải thiều – Thanh Hà" } }),
    );
    expect((await read(e)).outcome).toBe("succeeded");
  });

  it("accepts any of several secrets (the Connect endpoint's, or during rotation)", async () => {
    const payload = JSON.stringify(stripeEvent("checkout.session.completed", session()));
    const stripe = createStripeProvider(config({ webhookSecrets: ["whsec_old", WHSEC] }));
    expect((await stripe.readNotification(webhook(payload))).outcome).toBe("succeeded");
  });

  describe("refuses, with PaymentSignatureError, a notification", () => {
    const payload = JSON.stringify(stripeEvent("checkout.session.completed", session()));
    const stripe = () => createStripeProvider(config());

    it("whose body was changed after signing", async () => {
      const header = signer.webhooks.generateTestHeaderString({ payload, secret: WHSEC });
      const tampered = payload.replace('"amount_total":75000', '"amount_total":7500');
      expect(tampered).not.toBe(payload);
      await expect(stripe().readNotification(webhook(tampered, { header }))).rejects.toBeInstanceOf(
        PaymentSignatureError,
      );
    });

    it("whose signature was changed", async () => {
      const header = signer.webhooks.generateTestHeaderString({ payload, secret: WHSEC });
      const sig = header.split("v1=")[1];
      const flipped = header.replace(sig, (sig[0] === "a" ? "b" : "a") + sig.slice(1));
      await expect(stripe().readNotification(webhook(payload, { header: flipped }))).rejects.toBeInstanceOf(
        PaymentSignatureError,
      );
    });

    it("signed with another secret", async () => {
      await expect(
        stripe().readNotification(webhook(payload, { secret: "whsec_someone_else" })),
      ).rejects.toBeInstanceOf(PaymentSignatureError);
    });

    it("signed more than 300 seconds ago (a replay)", async () => {
      const timestamp = Math.floor(Date.now() / 1000) - 301;
      await expect(stripe().readNotification(webhook(payload, { timestamp }))).rejects.toBeInstanceOf(
        PaymentSignatureError,
      );
      // The same event signed just now passes: only the age was wrong.
      expect((await stripe().readNotification(webhook(payload))).outcome).toBe("succeeded");
    });

    it("without a Stripe-Signature header, or with a garbled one", async () => {
      await expect(stripe().readNotification(webhook(payload, { header: null }))).rejects.toBeInstanceOf(
        PaymentSignatureError,
      );
      await expect(stripe().readNotification(webhook(payload, { header: "t=abc,v1=" }))).rejects.toBeInstanceOf(
        PaymentSignatureError,
      );
    });

    it("from live mode when the key is a test key, and the other way round", async () => {
      const live = JSON.stringify(
        stripeEvent("checkout.session.completed", session({ livemode: true }), { livemode: true }),
      );
      await expect(stripe().readNotification(webhook(live))).rejects.toThrow(/live mode but the key is test mode/);
      const liveProvider = createStripeProvider(config({ secretKey: "sk_live_51GhsLiveKey" }));
      await expect(liveProvider.readNotification(webhook(payload))).rejects.toBeInstanceOf(PaymentSignatureError);
    });
  });
});

// ---- configuration --------------------------------------------------------

describe("stripeConfigFromEnv", () => {
  const base = { NODE_ENV: "test" };

  it("leaves Stripe off unless both the key and the webhook secret are set", () => {
    expect(stripeConfigFromEnv(parseEnv(base))).toBeNull();
    expect(stripeConfigFromEnv(parseEnv({ ...base, STRIPE_SECRET_KEY: "", STRIPE_WEBHOOK_SECRET: "" }))).toBeNull();
  });

  it("reads the key, several secrets, Connect and another API host", () => {
    const e = parseEnv({
      ...base,
      STRIPE_SECRET_KEY: KEY,
      STRIPE_WEBHOOK_SECRET: "whsec_platform, whsec_connect",
      STRIPE_CONNECT: "true",
      STRIPE_API_BASE: "http://127.0.0.1:12111",
    });
    expect(stripeConfigFromEnv(e)).toEqual({
      secretKey: KEY,
      webhookSecrets: ["whsec_platform", "whsec_connect"],
      connect: true,
      api: { host: "127.0.0.1", port: 12111, protocol: "http" },
    });
    expect(stripeConfigFromEnv(parseEnv({ ...base, STRIPE_SECRET_KEY: KEY, STRIPE_WEBHOOK_SECRET: WHSEC }))).toEqual({
      secretKey: KEY,
      webhookSecrets: [WHSEC],
      connect: false,
      api: undefined,
    });
  });

  it("stops the boot on half a setup or the wrong kind of key", () => {
    expect(() => parseEnv({ ...base, STRIPE_SECRET_KEY: KEY })).toThrow(/STRIPE_WEBHOOK_SECRET/);
    expect(() => parseEnv({ ...base, STRIPE_WEBHOOK_SECRET: WHSEC })).toThrow(/STRIPE_SECRET_KEY/);
    expect(() => parseEnv({ ...base, STRIPE_CONNECT: "true" })).toThrow(/STRIPE_SECRET_KEY/);
    expect(() => parseEnv({ ...base, STRIPE_SECRET_KEY: "pk_test_abc", STRIPE_WEBHOOK_SECRET: WHSEC })).toThrow(
      /publishable/,
    );
    expect(() => parseEnv({ ...base, STRIPE_SECRET_KEY: KEY, STRIPE_WEBHOOK_SECRET: "secret" })).toThrow(/whsec_/);
  });
});

// ---- the guard itself -----------------------------------------------------

describe("the no-network guard", () => {
  it("stops the SDK from reaching api.stripe.com", async () => {
    api.reply("POST /v1/checkout/sessions", sessionReply);
    const real = createStripeProvider(config({ api: undefined }));
    await expect(real.startPayment(start)).rejects.toBeInstanceOf(Stripe.errors.StripeConnectionError);
    expect(outside).toEqual(["api.stripe.com"]);
    expect(seen).toEqual([]);
    outside.length = 0;
  });
});
