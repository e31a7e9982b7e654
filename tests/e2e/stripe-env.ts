/**
 * The Stripe the end-to-end server is configured with: a local double of the
 * API and of the hosted Checkout page (tests/doubles/stripe-checkout-double.ts)
 * that paying.spec.ts starts on this fixed port, two after the app's (the
 * VNPay double has the one after it). Cards are offered only where a farmer
 * ticks them, so the other journeys never meet it.
 */
const appPort = Number(process.env.E2E_PORT ?? 3100);

export const E2E_STRIPE = {
  port: Number(process.env.E2E_STRIPE_PORT ?? appPort + 2),
  secretKey: "sk_test_51GhsE2EStripeCheckoutDouble",
  webhookSecret: "whsec_gian_hang_so_e2e",
};

/** What the app server needs in its environment to offer cards through the double. */
export function stripeServerEnv(): Record<string, string> {
  return {
    STRIPE_SECRET_KEY: E2E_STRIPE.secretKey,
    STRIPE_WEBHOOK_SECRET: E2E_STRIPE.webhookSecret,
    STRIPE_API_BASE: `http://127.0.0.1:${E2E_STRIPE.port}`,
  };
}
