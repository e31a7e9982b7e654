/**
 * Farmers' Stripe Connect Express accounts, where the deployment runs Connect
 * (STRIPE_CONNECT=true; never in Vietnam, where Stripe onboards no business):
 * the payment step's "Kết nối Stripe" creates the stall's account once and
 * sends the farmer to Stripe's hosted onboarding through a single-use account
 * link. Readiness (charges_enabled) comes back later in `account.updated`,
 * which applyNotification writes to stalls.stripe_charges_enabled; only then
 * does the checkout offer cards for the stall (offeredPaymentMethods).
 */
import { and, eq, isNull } from "drizzle-orm";
import { stalls, type Stall } from "#db/schema";
import { paymentProviders, stripeConnect, type PaymentProviders } from "../core/providers.server";
import type { StripeProvider } from "./provider.server";
import type { Database } from "~/utils/db.server";
import { env } from "~/utils/env.server";

/** What the payment step shows about the stall's Stripe account. */
export type ConnectStatus =
  /** No Connect in this deployment: nothing about accounts is shown. */
  | "off"
  /** Connect is on; the farmer has not started. */
  | "none"
  /** The account exists; Stripe has not said it may take charges yet (onboarding unfinished or under review). */
  | "pending"
  | "ready";

export function connectStatus(
  stall: Pick<Stall, "stripeAccountId" | "stripeChargesEnabled">,
  providers: PaymentProviders = paymentProviders(),
): ConnectStatus {
  if (!stripeConnect(providers)) return "off";
  if (!stall.stripeAccountId) return "none";
  return stall.stripeChargesEnabled ? "ready" : "pending";
}

/** Thrown when Connect is off: the routes answer 404, as for a page that does not exist. */
export class ConnectUnavailableError extends Error {
  constructor() {
    super("Stripe Connect is not enabled in this deployment");
    this.name = "ConnectUnavailableError";
  }
}

function connectProvider(providers: PaymentProviders): StripeProvider {
  if (!providers.stripe || !stripeConnect(providers)) throw new ConnectUnavailableError();
  return providers.stripe;
}

export interface OnboardingLinks {
  /** Where Stripe sends the farmer when the link has expired or was used: mints a new one. */
  refreshUrl: string;
  /** Where Stripe sends the farmer back when they leave onboarding (finished or not). */
  returnUrl: string;
}

/** The wizard's payment step, which is also the stall's payment settings. */
export const PAYMENT_STEP_PATH = "/setup/payment";
/** The payment step; `?stripe=return` makes it say what happens next. */
export const CONNECT_RETURN_PATH = `${PAYMENT_STEP_PATH}?stripe=return`;
/** A resource route that mints a new link (app/routes/setup.payment_.stripe.ts). */
export const CONNECT_REFRESH_PATH = "/setup/payment/stripe";

/** Stripe needs absolute URLs: the public origin (PUBLIC_URL, else the request's). */
export const onboardingLinks = (origin: string): OnboardingLinks => ({
  refreshUrl: `${origin}${CONNECT_REFRESH_PATH}`,
  returnUrl: `${origin}${CONNECT_RETURN_PATH}`,
});

/**
 * The stall's Express account (created on the first call, kept in
 * stalls.stripe_account_id) and a fresh onboarding link to send the farmer to.
 * Two taps at once create one account: Stripe answers the same idempotency
 * key (`account:<stallId>`) with the same account, and only the first write
 * of the id counts.
 */
export async function startStripeOnboarding(
  db: Database,
  {
    stall,
    links,
    email,
    providers = paymentProviders(),
  }: { stall: Stall; links: OnboardingLinks; email?: string; providers?: PaymentProviders },
): Promise<{ url: string; accountId: string; created: boolean }> {
  const stripe = connectProvider(providers);
  let accountId = stall.stripeAccountId;
  let created = false;
  if (!accountId) {
    const account = await stripe.createExpressAccount({
      stallId: stall.id,
      email,
      country: env().STRIPE_CONNECT_COUNTRY,
    });
    const [stored] = await db
      .update(stalls)
      .set({ stripeAccountId: account.accountId, stripeChargesEnabled: account.chargesEnabled })
      .where(and(eq(stalls.id, stall.id), isNull(stalls.stripeAccountId)))
      .returning({ accountId: stalls.stripeAccountId });
    if (stored?.accountId) {
      accountId = stored.accountId;
      created = true;
    } else {
      // Another tap stored it first (the same account, by the idempotency key): use what is stored.
      const [row] = await db.select({ accountId: stalls.stripeAccountId }).from(stalls).where(eq(stalls.id, stall.id));
      accountId = row?.accountId ?? account.accountId;
    }
  }
  const link = await stripe.createAccountLink({ accountId, ...links });
  return { url: link.url, accountId, created };
}

/**
 * A new onboarding link for the stall's existing account (Stripe's refresh_url:
 * links are single use and last minutes). Null when the stall has no account
 * yet: the payment step's button starts from the beginning.
 */
export async function refreshStripeOnboarding({
  stall,
  links,
  providers = paymentProviders(),
}: {
  stall: Stall;
  links: OnboardingLinks;
  providers?: PaymentProviders;
}): Promise<{ url: string } | null> {
  const stripe = connectProvider(providers);
  if (!stall.stripeAccountId) return null;
  const link = await stripe.createAccountLink({ accountId: stall.stripeAccountId, ...links });
  return { url: link.url };
}
