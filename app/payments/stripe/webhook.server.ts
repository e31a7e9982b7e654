/**
 * Stripe's webhook (POST /payments/stripe/webhook): payments, refunds and
 * Connect account updates. Verified by the provider (signature), applied once
 * by the payment core (applyNotification); money that is not the farmer's is
 * refunded after the commit, and a farmer whose card payments Stripe stopped
 * (or started again) is told by SMS (account-updates.server.ts).
 */
import { applyNotification, refundAfterCommit, type NotificationResult } from "../core/notifications.server";
import { PaymentSignatureError } from "../core/provider";
import { paymentProviders, type PaymentProviders } from "../core/providers.server";
import { tellFarmerAboutCards } from "./account-updates.server";
import type { Database } from "~/utils/db.server";
import { logger } from "~/utils/logger.server";

/**
 * 400 for a bad signature (nothing is recorded), 200 for everything verified,
 * replays included. Anything else throws: the route answers 500 and Stripe
 * sends it again.
 */
export async function answerStripeWebhook(
  db: Database,
  request: Request,
  {
    providers = paymentProviders(),
    origin,
  }: {
    providers?: PaymentProviders;
    /** Where the farmer's dashboard is (PUBLIC_URL, else the request's): the SMS links to it. */
    origin: string;
  },
): Promise<{ status: 200 | 400 | 404; result?: NotificationResult["result"] }> {
  const stripe = providers.stripe;
  if (!stripe) return { status: 404 };
  let n;
  try {
    n = await stripe.readNotification(request);
  } catch (error) {
    if (error instanceof PaymentSignatureError) {
      logger.warn({ reason: error.message }, "Stripe webhook with a bad signature refused");
      return { status: 400 };
    }
    throw error;
  }
  const result = await applyNotification(db, n, providers);
  await refundAfterCommit(db, result, providers);
  if (result.result === "account_updated" && result.cards) await tellFarmerAboutCards(db, result.cards, { origin });
  return { status: 200, result: result.result };
}
