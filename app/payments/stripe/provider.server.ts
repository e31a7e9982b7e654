import Stripe from "stripe";
import { env, type Env } from "~/utils/env.server";
import {
  PaymentSignatureError,
  type NotificationOutcome,
  type PaymentNotification,
  type PaymentProvider,
  type RefundInput,
  type StartedPayment,
  type StartPaymentInput,
} from "../core/provider";

/**
 * Card payments through Stripe Checkout, its webhooks, refunds and (where the
 * deployment's country allows it) Connect Express accounts for farmers.
 *
 * Stripe does not onboard Vietnamese businesses, so a Vietnamese deployment
 * runs with STRIPE_CONNECT=false: cards settle to the platform's own Stripe
 * account (an entity in a Stripe country) and the ledger owes each farmer.
 *
 * VND is a zero-decimal currency at Stripe: 75 000 ₫ is `unit_amount: 75000`,
 * so amounts cross this edge unchanged, but only as whole đồng.
 */

export interface StripeConfig {
  secretKey: string;
  /**
   * Signing secrets tried in turn: the platform endpoint's and, with Connect,
   * the Connect endpoint's (Stripe signs `account.updated` of connected
   * accounts with that one), or the old and new secret while rotating.
   */
  webhookSecrets: string[];
  /** Charges may pay a farmer's connected account directly (STRIPE_CONNECT). */
  connect: boolean;
  /** Somewhere else than api.stripe.com: a local double or a test server (STRIPE_API_BASE). */
  api?: { host: string; port: number; protocol: "http" | "https" };
  /** Our POSTs all carry idempotency keys, so the SDK's retries are safe. */
  maxNetworkRetries?: number;
}

/** Stripe is offered only when both the key and the webhook secret are set. */
export function stripeConfigFromEnv(e: Env = env()): StripeConfig | null {
  if (!e.STRIPE_SECRET_KEY || !e.STRIPE_WEBHOOK_SECRET) return null;
  return {
    secretKey: e.STRIPE_SECRET_KEY,
    webhookSecrets: e.STRIPE_WEBHOOK_SECRET.split(",")
      .map((s) => s.trim())
      .filter(Boolean),
    connect: e.STRIPE_CONNECT,
    api: e.STRIPE_API_BASE ? apiBase(e.STRIPE_API_BASE) : undefined,
  };
}

function apiBase(url: string): NonNullable<StripeConfig["api"]> {
  const u = new URL(url);
  const protocol = u.protocol === "http:" ? "http" : "https";
  return { host: u.hostname, port: u.port ? Number(u.port) : protocol === "http" ? 80 : 443, protocol };
}

/**
 * Checkout refuses `expires_at` less than 30 minutes or more than 24 hours
 * after the session is created. The minute of margin on each side absorbs
 * clock skew between us and Stripe.
 */
export const CHECKOUT_MIN_EXPIRY_MS = 31 * 60_000;
export const CHECKOUT_MAX_EXPIRY_MS = 24 * 60 * 60_000 - 60_000;

export interface StripeStartedPayment extends StartedPayment {
  /** When the session really expires, after clamping into Stripe's window. */
  expiresAt: Date;
}

export interface StripeSessionState {
  sessionId: string;
  attemptId?: string;
  /** open, complete or expired, as Stripe says. */
  status: string;
  /** paid, unpaid or no_payment_required, as Stripe says. */
  paymentStatus: string;
  /**
   * For the reconciliation job: what to apply when the session has settled
   * (paid or expired) and its webhook never came; null while it is still open
   * or waiting for an asynchronous payment. The event id starts with
   * `reconcile:` so it can never collide with a Stripe event id.
   */
  notification: PaymentNotification | null;
}

export interface ExpressAccount {
  accountId: string;
  chargesEnabled: boolean;
  payoutsEnabled: boolean;
  detailsSubmitted: boolean;
}

export interface StripeProvider extends PaymentProvider {
  readonly id: "stripe";
  readonly livemode: boolean;
  /** STRIPE_CONNECT: charges pay farmers' connected accounts. */
  readonly connect: boolean;
  startPayment(input: StartPaymentInput): Promise<StripeStartedPayment>;
  retrieveSession(sessionId: string): Promise<StripeSessionState>;
  createExpressAccount(input: { stallId: string; email?: string; country: string }): Promise<ExpressAccount>;
  createAccountLink(input: { accountId: string; refreshUrl: string; returnUrl: string }): Promise<{
    url: string;
    expiresAt: Date;
  }>;
}

export function createStripeProvider(config: StripeConfig): StripeProvider {
  if (config.webhookSecrets.length === 0) throw new Error("Stripe needs at least one webhook signing secret");
  const stripe = new Stripe(config.secretKey, {
    maxNetworkRetries: config.maxNetworkRetries ?? 2,
    telemetry: false,
    appInfo: { name: "gian-hang-so" },
    ...(config.api ?? {}),
  });
  // A test-mode event must never pay a live order, nor the other way round.
  const livemode = /^(sk|rk)_live_/.test(config.secretKey);

  async function startPayment(input: StartPaymentInput): Promise<StripeStartedPayment> {
    const amount = wholeDong(input.amountDong, "amountDong");
    if (amount <= 0) throw new RangeError(`amountDong must be positive, got ${amount}`);
    const expiresAt = clampExpiry(input.expiresAt, Date.now());
    const metadata = { attemptId: input.attemptId, orderRef: input.orderRef };

    const paymentIntentData: Stripe.Checkout.SessionCreateParams.PaymentIntentData = {
      description: input.description,
      // Copied onto the charge when the payment is confirmed, which is how
      // `charge.refunded` (it knows only its PaymentIntent) finds the attempt.
      metadata,
    };
    if (input.transfer) {
      if (!config.connect) throw new Error("a transfer to a connected account needs STRIPE_CONNECT=true");
      if (!/^acct_\w+$/.test(input.transfer.destinationAccount))
        throw new Error(`not a Stripe account id: ${input.transfer.destinationAccount}`);
      const fee = wholeDong(input.transfer.applicationFeeDong, "applicationFeeDong");
      if (fee < 0 || fee > amount) throw new RangeError(`applicationFeeDong must be within 0..${amount}, got ${fee}`);
      paymentIntentData.transfer_data = { destination: input.transfer.destinationAccount };
      paymentIntentData.application_fee_amount = fee;
    }

    const session = await stripe.checkout.sessions.create(
      {
        mode: "payment",
        line_items: [
          {
            quantity: 1,
            price_data: { currency: "vnd", unit_amount: amount, product_data: { name: input.description } },
          },
        ],
        client_reference_id: input.attemptId,
        metadata,
        payment_intent_data: paymentIntentData,
        success_url: input.returnUrl,
        cancel_url: input.cancelUrl ?? input.returnUrl,
        expires_at: Math.floor(expiresAt.getTime() / 1000),
        locale: input.locale === "en" ? "en" : "vi",
      },
      { idempotencyKey: `start:${input.attemptId}` },
    );
    if (!session.url) throw new Error(`Stripe returned Checkout Session ${session.id} without a URL`);
    return { redirectUrl: session.url, providerRef: session.id, expiresAt: new Date(session.expires_at * 1000) };
  }

  async function readNotification(request: Request): Promise<PaymentNotification> {
    const signature = request.headers.get("stripe-signature");
    if (!signature) throw new PaymentSignatureError("Stripe-Signature header is missing");
    // The signature covers the exact bytes Stripe sent: read them before anything parses the body.
    const raw = await request.text();
    let event: Stripe.Event | undefined;
    let lastError: unknown;
    for (const secret of config.webhookSecrets) {
      try {
        event = stripe.webhooks.constructEvent(raw, signature, secret);
        break;
      } catch (error) {
        // Not only StripeSignatureVerificationError: a garbled header can make
        // the SDK throw a plain Error, and the header is the sender's to garble.
        lastError = error;
      }
    }
    if (!event) throw new PaymentSignatureError(`Stripe signature: ${(lastError as Error).message}`);
    if (event.livemode !== livemode)
      throw new PaymentSignatureError(
        `Stripe event ${event.id} is ${event.livemode ? "live" : "test"} mode but the key is ${livemode ? "live" : "test"} mode`,
      );
    return toNotification(event);
  }

  async function paymentIntentOf(input: RefundInput): Promise<string> {
    if (input.transactionRef) return input.transactionRef;
    const session = await stripe.checkout.sessions.retrieve(input.providerRef);
    const pi = idOf(session.payment_intent);
    if (!pi) throw new Error(`Checkout Session ${input.providerRef} has no payment to refund`);
    return pi;
  }

  async function refund(input: RefundInput): Promise<{ refundRef: string }> {
    const amount = wholeDong(input.amountDong, "amountDong");
    if (amount <= 0) throw new RangeError(`amountDong must be positive, got ${amount}`);
    const paymentIntent = await paymentIntentOf(input);
    const params: Stripe.RefundCreateParams = {
      payment_intent: paymentIntent,
      amount,
      metadata: { attemptId: input.attemptId, reason: input.reason.slice(0, 500) },
    };
    if (config.connect) {
      // A destination charge sent the money on to the farmer: take the refund
      // back from their account (and our fee back from us, pro rata) instead
      // of paying it out of the platform's balance.
      const intent = await stripe.paymentIntents.retrieve(paymentIntent);
      if (intent.transfer_data?.destination) {
        params.reverse_transfer = true;
        params.refund_application_fee = true;
      }
    }
    const refunded = await stripe.refunds.create(params, { idempotencyKey: input.idempotencyKey });
    return { refundRef: refunded.id };
  }

  async function retrieveSession(sessionId: string): Promise<StripeSessionState> {
    const session = await stripe.checkout.sessions.retrieve(sessionId);
    if (session.livemode !== livemode) throw new Error(`Checkout Session ${sessionId} is from the other mode`);
    const settled: NotificationOutcome | null =
      session.status === "complete" && session.payment_status === "paid"
        ? "succeeded"
        : session.status === "expired"
          ? "expired"
          : null;
    return {
      sessionId: session.id,
      attemptId: attemptIdOf(session),
      status: session.status ?? "open",
      paymentStatus: session.payment_status,
      notification: settled ? fromSession(`reconcile:${session.id}:${settled}`, settled, session, session) : null,
    };
  }

  function requireConnect() {
    if (!config.connect)
      throw new Error("Stripe Connect is off (STRIPE_CONNECT=false): farmers cannot have connected accounts");
  }

  async function createExpressAccount(input: {
    stallId: string;
    email?: string;
    country: string;
  }): Promise<ExpressAccount> {
    requireConnect();
    const country = input.country.toUpperCase();
    if (!/^[A-Z]{2}$/.test(country)) throw new Error(`not a two-letter country code: ${input.country}`);
    // The controller properties describe an Express account (Stripe-hosted
    // onboarding and dashboard, the platform pays fees and bears losses);
    // `type: "express"` is the deprecated spelling of the same thing.
    const account = await stripe.accounts.create(
      {
        country,
        email: input.email,
        controller: {
          stripe_dashboard: { type: "express" },
          fees: { payer: "application" },
          losses: { payments: "application" },
          requirement_collection: "stripe",
        },
        capabilities: { card_payments: { requested: true }, transfers: { requested: true } },
        metadata: { stallId: input.stallId },
      },
      // A double click must not give a stall two accounts.
      { idempotencyKey: `account:${input.stallId}` },
    );
    return readiness(account);
  }

  async function createAccountLink(input: { accountId: string; refreshUrl: string; returnUrl: string }) {
    requireConnect();
    // Single use and short-lived (minutes): the refresh URL must mint a new one.
    const link = await stripe.accountLinks.create({
      account: input.accountId,
      type: "account_onboarding",
      refresh_url: input.refreshUrl,
      return_url: input.returnUrl,
    });
    return { url: link.url, expiresAt: new Date(link.expires_at * 1000) };
  }

  return {
    id: "stripe",
    livemode,
    connect: config.connect,
    startPayment,
    readNotification,
    refund,
    retrieveSession,
    createExpressAccount,
    createAccountLink,
  };
}

/**
 * A verified event, reduced to what the payment domain needs.
 *
 * Checkout events carry the session, so providerRef is the session id (the
 * attempt's providerRef) and transactionRef its PaymentIntent. `charge.refunded`
 * carries a charge, which knows its PaymentIntent but not its session: there
 * providerRef and transactionRef are the PaymentIntent id, and attemptId comes
 * from the metadata that the PaymentIntent copied onto the charge. The domain
 * finds the attempt by attemptId first, then by providerRef, then by
 * transactionRef (stored when the payment succeeded).
 */
export function toNotification(event: Stripe.Event): PaymentNotification {
  switch (event.type) {
    case "checkout.session.completed": {
      const session = event.data.object;
      // Card payments arrive paid; delayed methods complete "unpaid" and are
      // settled later by async_payment_succeeded or _failed.
      const outcome = session.payment_status === "paid" ? "succeeded" : "ignored";
      return fromSession(event.id, outcome, session, event);
    }
    case "checkout.session.async_payment_succeeded":
      return fromSession(event.id, "succeeded", event.data.object, event);
    case "checkout.session.async_payment_failed":
      return fromSession(event.id, "failed", event.data.object, event);
    case "checkout.session.expired":
      return fromSession(event.id, "expired", event.data.object, event);
    case "charge.refunded": {
      const charge = event.data.object;
      const paymentIntent = idOf(charge.payment_intent);
      return {
        provider: "stripe",
        eventId: event.id,
        providerRef: paymentIntent ?? charge.id,
        // Not ours (a charge without a PaymentIntent was never made by Checkout).
        outcome: paymentIntent ? "refunded" : "ignored",
        // Cumulative: everything refunded on this charge so far.
        amountDong: zeroDecimal(charge.amount_refunded),
        currency: charge.currency.toUpperCase(),
        transactionRef: paymentIntent,
        attemptId: charge.metadata?.attemptId || undefined,
        raw: event,
      };
    }
    case "account.updated": {
      const account = event.data.object;
      return {
        provider: "stripe",
        eventId: event.id,
        providerRef: account.id,
        outcome: "ignored",
        amountDong: 0,
        currency: "",
        raw: event,
        account: {
          id: account.id,
          chargesEnabled: account.charges_enabled ?? false,
          payoutsEnabled: account.payouts_enabled ?? false,
          detailsSubmitted: account.details_submitted ?? false,
          updatedAt: new Date(event.created * 1000),
        },
      };
    }
    default: {
      const object = event.data.object as { id?: string };
      return {
        provider: "stripe",
        eventId: event.id,
        providerRef: object.id ?? "",
        outcome: "ignored",
        amountDong: 0,
        currency: "",
        raw: event,
      };
    }
  }
}

function fromSession(
  eventId: string,
  outcome: NotificationOutcome,
  session: Stripe.Checkout.Session,
  raw: unknown,
): PaymentNotification {
  return {
    provider: "stripe",
    eventId,
    providerRef: session.id,
    outcome,
    amountDong: zeroDecimal(session.amount_total ?? 0),
    currency: (session.currency ?? "").toUpperCase(),
    transactionRef: idOf(session.payment_intent),
    attemptId: attemptIdOf(session),
    raw,
  };
}

function attemptIdOf(session: Stripe.Checkout.Session): string | undefined {
  return session.metadata?.attemptId || session.client_reference_id || undefined;
}

function readiness(account: Stripe.Account): ExpressAccount {
  return {
    accountId: account.id,
    chargesEnabled: account.charges_enabled ?? false,
    payoutsEnabled: account.payouts_enabled ?? false,
    detailsSubmitted: account.details_submitted ?? false,
  };
}

function idOf(ref: string | { id: string } | null | undefined): string | undefined {
  if (!ref) return undefined;
  return typeof ref === "string" ? ref : ref.id;
}

/** Stripe's VND amounts are đồng already; anything else is not a VND amount. */
function zeroDecimal(amount: number): number {
  if (!Number.isSafeInteger(amount)) throw new Error(`Stripe sent a non-integer VND amount: ${amount}`);
  return amount;
}

function wholeDong(value: number, name: string): number {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${name} must be a whole number of đồng, got ${value}`);
  return value;
}

function clampExpiry(wanted: Date, now: number): Date {
  const t = Math.min(Math.max(wanted.getTime(), now + CHECKOUT_MIN_EXPIRY_MS), now + CHECKOUT_MAX_EXPIRY_MS);
  return new Date(t);
}
