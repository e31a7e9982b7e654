/**
 * Which payment methods exist here, and which a buyer may choose for a stall.
 *
 * Providers are set per deployment by environment (VNPAY_*, STRIPE_*): a
 * provider without its settings does not exist and is never offered. Which
 * methods a stall accepts is the farmer's choice (wizard payment step):
 * cash on delivery and VietQR to their own account always exist; VNPay and
 * cards only where the deployment has them and the farmer opted in; with
 * Stripe Connect, cards only once the farmer's account may take charges.
 */
import { ONLINE_METHODS } from "./attempts.server";
import { PaymentError } from "./errors";
import type { RefundInput } from "./provider";
import { createStripeProvider, stripeConfigFromEnv, type StripeProvider } from "../stripe/provider.server";
import { createVnpayProvider, vnpayConfigFromEnv, type VnpayProvider } from "../vnpay/provider.server";
import type { PaymentAttempt, PaymentMethod, Stall } from "#db/schema";

export interface PaymentProviders {
  vnpay: VnpayProvider | null;
  stripe: StripeProvider | null;
}

let configured: PaymentProviders | undefined;
let override: PaymentProviders | undefined;

/** The deployment's providers (built once from the environment). */
export function paymentProviders(): PaymentProviders {
  if (override) return override;
  if (!configured) {
    const vnpay = vnpayConfigFromEnv();
    const stripe = stripeConfigFromEnv();
    configured = {
      vnpay: vnpay ? createVnpayProvider(vnpay) : null,
      stripe: stripe ? createStripeProvider(stripe) : null,
    };
  }
  return configured;
}

/** Tests point the app at local doubles; undefined goes back to the environment's. */
export function setPaymentProviders(next: PaymentProviders | undefined): void {
  override = next;
}

export type StallPaymentFlags = Pick<
  Stall,
  | "codEnabled"
  | "vietqrEnabled"
  | "bankBin"
  | "bankAccountNumber"
  | "bankAccountName"
  | "vnpayEnabled"
  | "stripeEnabled"
  | "stripeAccountId"
  | "stripeChargesEnabled"
>;

/** Whether the deployment runs Stripe Connect (cards pay farmers' own accounts). */
export const stripeConnect = (providers: PaymentProviders = paymentProviders()) => providers.stripe?.connect ?? false;

/** The methods a buyer may choose for this stall, in the order the checkout shows them. */
export function offeredPaymentMethods(
  stall: StallPaymentFlags,
  providers: PaymentProviders = paymentProviders(),
): PaymentMethod[] {
  const methods: PaymentMethod[] = [];
  if (stall.codEnabled) methods.push("cod");
  if (stall.vietqrEnabled && stall.bankBin && stall.bankAccountNumber && stall.bankAccountName) methods.push("vietqr");
  if (stall.vnpayEnabled && providers.vnpay) methods.push("vnpay");
  if (
    stall.stripeEnabled &&
    providers.stripe &&
    (!stripeConnect(providers) || (stall.stripeAccountId && stall.stripeChargesEnabled))
  )
    methods.push("stripe");
  return methods;
}

export type OnlineMethod = (typeof ONLINE_METHODS)[number];

/** Paid through a provider (the platform collects the money; the provider gives it back). */
export const isOnlineMethod = (method: string): method is OnlineMethod =>
  (ONLINE_METHODS as readonly string[]).includes(method);

/**
 * The provider call of a refund of this attempt, through the deployment's
 * providers; it adds what VNPay needs to find the payment (amount and date of
 * the attempt). A deployment that lost the provider's settings cannot refund:
 * refund_failed, nothing recorded.
 */
export function providerRefunder(
  attempt: PaymentAttempt,
  { providers = paymentProviders(), requestedBy }: { providers?: PaymentProviders; requestedBy?: string } = {},
): (input: RefundInput) => Promise<{ refundRef: string }> {
  if (!isOnlineMethod(attempt.provider)) throw new Error(`${attempt.provider} payments are not refunded online`);
  const provider = providers[attempt.provider];
  if (!provider) throw new PaymentError("refund_failed");
  return (input) =>
    provider.refund({
      ...input,
      attemptAmountDong: attempt.amountDong,
      attemptCreatedAt: attempt.createdAt,
      requestedBy,
    });
}
