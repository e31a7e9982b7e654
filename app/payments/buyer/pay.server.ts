/**
 * The buyer's side of paying, between the routes and the payment domain:
 * - after a checkout is placed: a VietQR attempt per VietQR order (its QR is
 *   payable at once), and the checkout's online orders started with their
 *   provider (one attempt per provider, for all of that provider's orders);
 * - "Thanh toán" / "Thanh toán lại" on the order page: back to the provider's
 *   page of the open attempt for what is still unpaid, while it has time
 *   left; only when there is none (expired, failed, given up) a new attempt
 *   (a new vnp_TxnRef, a new Checkout Session);
 * - the return pages: what the app knows of the attempt the buyer comes back from
 *   (what is left to pay of the checkout: checkout-plan.server.ts).
 * The provider's notification that marks it paid is answered by the
 * provider's folder (vnpay/ipn.server.ts, stripe/webhook.server.ts).
 * A provider that is down never fails a checkout: the orders stay placed and
 * unpaid, and the order page offers to pay again.
 */
import { and, asc, eq, inArray } from "drizzle-orm";
import { checkouts, orders, paymentAttemptOrders, paymentAttempts, type PaymentAttempt } from "#db/schema";
import { abandonAttempt, createAttempt, markAttemptStarted, openAttemptFor } from "../core/attempts.server";
import { PaymentError, type PaymentErrorCode } from "../core/errors";
import type { ProviderId } from "../core/provider";
import {
  isOnlineMethod,
  paymentProviders,
  stripeConnect,
  type OnlineMethod,
  type PaymentProviders,
} from "../core/providers.server";
import { vnpayTakes } from "../vnpay/provider.server";
import { nextGroup, planOf } from "./checkout-plan.server";
import { i18nInstance } from "~/i18n/index.server";
import { formatCode } from "~/orders";
import type { Database } from "~/utils/db.server";
import { isUuid } from "~/utils/db-errors.server";
import { logger } from "~/utils/logger.server";

/** How long a buyer has to finish paying online before the attempt expires (and its orders are cancelled). */
export const ONLINE_PAYMENT_MINUTES = 30;
/** An open attempt with less time left than this is not worth going back to: "Thanh toán lại" starts another. */
export const REUSE_MIN_REMAINING_MS = 5 * 60_000;
/** How long a tap waits for another tap's attempt that is being started with the provider, before starting its own. */
const STARTING_WAIT_MS = 10_000;
const STARTING_POLL_MS = 100;

/** What the buyer's request tells the provider. */
export interface PayRequest {
  /** Where return URLs start: PUBLIC_URL's origin, else the request's (publicOrigin). */
  origin: string;
  /** The buyer's IP (VNPay wants it). */
  ip: string;
  /** vi | en: the provider's page and the description. */
  locale: string;
  providers?: PaymentProviders;
  now?: Date;
}

export type StartResult =
  | { ok: true; provider: OnlineMethod; attemptId: string; redirectUrl: string }
  | {
      ok: false;
      provider: OnlineMethod;
      /**
       * unavailable: this deployment has no such provider (any more);
       * amount: outside what the provider takes; provider_down: it did not
       * answer or refused to start; else the domain's refusal.
       */
      reason: "unavailable" | "amount" | "provider_down" | PaymentErrorCode;
    };

/**
 * Paying the checkout's orders that chose `provider` and are still unpaid.
 * When an attempt for exactly those orders is open with the provider and has
 * time left, the buyer goes back to its page (ten taps of "Thanh toán lại":
 * one vnp_TxnRef, one Checkout Session; a tap while another is being started
 * waits for it). Otherwise a new attempt is started with the provider, and
 * older open attempts of those orders are given up once it has started (a
 * payment that still arrives for one is accepted, and refunded if it pays
 * twice).
 */
export async function startOnlinePayment(
  db: Database,
  { checkoutId, provider }: { checkoutId: string; provider: OnlineMethod },
  request: PayRequest,
): Promise<StartResult> {
  const providers = request.providers ?? paymentProviders();
  const gateway = providers[provider];
  if (!gateway) return { ok: false, provider, reason: "unavailable" };
  const [checkout] = isUuid(checkoutId)
    ? await db.select({ code: checkouts.code }).from(checkouts).where(eq(checkouts.id, checkoutId))
    : [];
  if (!checkout) return { ok: false, provider, reason: "not_found" };

  const now = request.now ?? new Date();
  let created: Awaited<ReturnType<typeof createAttempt>> | undefined;
  for (let waited = 0; !created; waited += STARTING_POLL_MS) {
    const patient = waited < STARTING_WAIT_MS;
    let step: { reuse: PaymentAttempt } | { starting: true } | { created: Awaited<ReturnType<typeof createAttempt>> };
    try {
      // One transaction holds the orders' locks: taps decide one after the other.
      step = await db.transaction(async (tx) => {
        const open = await openAttemptFor(tx, { checkoutId, provider });
        if (
          open?.status === "pending" &&
          open.redirectUrl &&
          open.expiresAt &&
          open.expiresAt.getTime() - now.getTime() > REUSE_MIN_REMAINING_MS
        ) {
          return { reuse: open };
        }
        if (patient && open?.status === "created" && Date.now() - open.createdAt.getTime() < STARTING_WAIT_MS) {
          return { starting: true as const };
        }
        return {
          created: await createAttempt(tx, {
            checkoutCode: checkout.code,
            provider,
            expiresAt: new Date(now.getTime() + ONLINE_PAYMENT_MINUTES * 60_000),
            stripeConnect: stripeConnect(providers),
          }),
        };
      });
    } catch (error) {
      if (error instanceof PaymentError) return { ok: false, provider, reason: error.code };
      throw error;
    }
    if ("reuse" in step) {
      return { ok: true, provider, attemptId: step.reuse.id, redirectUrl: step.reuse.redirectUrl! };
    }
    if ("created" in step) created = step.created;
    // Another tap is starting it with the provider right now: its page will be ours.
    else await new Promise((resolve) => setTimeout(resolve, STARTING_POLL_MS));
  }
  const { attempt } = created;
  if (provider === "vnpay" && !vnpayTakes(attempt.amountDong)) {
    await abandonAttempt(db, { attemptId: attempt.id, to: "failed" });
    return { ok: false, provider, reason: "amount" };
  }

  const t = i18nInstance(request.locale).getFixedT(request.locale, "payments");
  const codes = created.orders.map((o) => formatCode(o.code));
  const returnUrl =
    provider === "vnpay"
      ? `${request.origin}/payments/vnpay/return`
      : `${request.origin}/payments/stripe/return?attempt=${attempt.id}`;
  let started: { redirectUrl: string; providerRef: string; expiresAt?: Date };
  try {
    started = await gateway.startPayment({
      attemptId: attempt.id,
      amountDong: attempt.amountDong,
      orderRef: formatCode(checkout.code),
      description: t("pay.description", { count: codes.length, codes: codes.join(", ") }),
      returnUrl,
      cancelUrl: provider === "stripe" ? `${returnUrl}&cancelled=1` : undefined,
      ip: request.ip,
      locale: request.locale,
      expiresAt: attempt.expiresAt!,
      createdAt: attempt.createdAt,
      transfer: created.transfer,
    });
  } catch (error) {
    logger.warn(
      { err: error, provider, attemptId: attempt.id, checkout: checkout.code },
      "payment provider did not start a payment",
    );
    await abandonAttempt(db, { attemptId: attempt.id, to: "failed" });
    return { ok: false, provider, reason: "provider_down" };
  }
  await markAttemptStarted(db, {
    attemptId: attempt.id,
    providerRef: started.providerRef,
    redirectUrl: started.redirectUrl,
    ...(started.expiresAt ? { expiresAt: started.expiresAt } : {}),
  });
  await cancelOlderAttempts(db, attempt, provider);
  return { ok: true, provider, attemptId: attempt.id, redirectUrl: started.redirectUrl };
}

/** Open attempts of the same provider for the new attempt's orders: the new one replaces them. */
async function cancelOlderAttempts(db: Database, attempt: PaymentAttempt, provider: OnlineMethod): Promise<void> {
  const shares = await db
    .select({ orderId: paymentAttemptOrders.orderId })
    .from(paymentAttemptOrders)
    .where(eq(paymentAttemptOrders.attemptId, attempt.id));
  if (shares.length === 0) return;
  const older = await db
    .selectDistinct({ id: paymentAttempts.id })
    .from(paymentAttempts)
    .innerJoin(paymentAttemptOrders, eq(paymentAttemptOrders.attemptId, paymentAttempts.id))
    .where(
      and(
        eq(paymentAttempts.provider, provider),
        inArray(paymentAttempts.status, ["created", "pending"]),
        inArray(
          paymentAttemptOrders.orderId,
          shares.map((s) => s.orderId),
        ),
      ),
    );
  for (const { id } of older) {
    if (id !== attempt.id) await abandonAttempt(db, { attemptId: id, to: "cancelled" });
  }
}

export interface AfterCheckout {
  /** The provider's page to send the buyer to, when an online payment started. */
  redirectUrl: string | null;
  /** An online payment that could not start: the buyer lands on this order to pay again. */
  failed: { provider: OnlineMethod; orderCode: string; reason: Extract<StartResult, { ok: false }>["reason"] } | null;
}

/**
 * Right after placeCheckout has committed. VietQR orders get their attempt
 * (the order page shows its QR); the checkout's first online group
 * (checkout-plan.server.ts: VNPay, then cards) is started, and the return
 * page takes the buyer on to the next one. Never throws for a provider's
 * sake: the orders are placed whatever happens here.
 */
export async function afterCheckout(
  db: Database,
  placed: { checkoutId: string; checkoutCode: string; orders: { id: string; code: string; paymentMethod: string }[] },
  request: PayRequest,
): Promise<AfterCheckout> {
  for (const order of placed.orders.filter((o) => o.paymentMethod === "vietqr")) {
    try {
      await createAttempt(db, { orderIds: [order.id], provider: "vietqr", expiresAt: null });
    } catch (error) {
      // The page builds the QR from the order itself; the farmer's "money received" makes an attempt if needed.
      logger.warn({ err: error, order: order.code }, "VietQR attempt not created");
    }
  }
  if (!placed.orders.some((o) => isOnlineMethod(o.paymentMethod))) return { redirectUrl: null, failed: null };
  const plan = await planOf(db, { id: placed.checkoutId, code: placed.checkoutCode }, request.providers);
  const first = nextGroup(plan);
  if (!first) return { redirectUrl: null, failed: null };
  const result = await startOnlinePayment(db, { checkoutId: placed.checkoutId, provider: first.provider }, request);
  if (result.ok) return { redirectUrl: result.redirectUrl, failed: null };
  return {
    redirectUrl: null,
    failed: { provider: first.provider, orderCode: first.orders[0].code, reason: result.reason },
  };
}

// ---------------------------------------------------------------- return pages

export interface ReturnView {
  provider: ProviderId;
  attemptStatus: PaymentAttempt["status"];
  amountDong: number;
  checkoutCode: string;
  orderCodes: string[];
}

/** What a return page shows about an attempt: its state as the app knows it, and which orders it pays. */
export async function returnView(
  db: Database,
  ref: { provider: ProviderId; providerRef: string } | { provider: ProviderId; attemptId: string },
): Promise<ReturnView | null> {
  const where =
    "attemptId" in ref
      ? isUuid(ref.attemptId)
        ? eq(paymentAttempts.id, ref.attemptId)
        : null
      : ref.providerRef
        ? eq(paymentAttempts.providerRef, ref.providerRef)
        : null;
  if (!where) return null;
  const [row] = await db
    .select({ attempt: paymentAttempts, checkoutCode: checkouts.code })
    .from(paymentAttempts)
    .innerJoin(checkouts, eq(checkouts.id, paymentAttempts.checkoutId))
    .where(and(eq(paymentAttempts.provider, ref.provider), where));
  if (!row) return null;
  const paid = await db
    .select({ code: orders.code })
    .from(paymentAttemptOrders)
    .innerJoin(orders, eq(orders.id, paymentAttemptOrders.orderId))
    .where(eq(paymentAttemptOrders.attemptId, row.attempt.id))
    .orderBy(asc(orders.createdAt), asc(orders.code));
  return {
    provider: ref.provider,
    attemptStatus: row.attempt.status,
    amountDong: row.attempt.amountDong,
    checkoutCode: row.checkoutCode,
    orderCodes: paid.map((o) => o.code),
  };
}

/** Each paid order's page, opened with the checkout's code (as after checkout: it unlocks the page for a guest). */
export function returnLinks(view: ReturnView): { code: string; href: string }[] {
  return view.orderCodes.map((code) => ({
    code,
    href: `/orders/${code}?${new URLSearchParams({ checkout: view.checkoutCode })}`,
  }));
}
