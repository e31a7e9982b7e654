/**
 * The front door of app/payments for server code: routes and other capabilities
 * import from here and from nowhere else inside app/payments (README.md says
 * what lives where).
 */

// The buyer: checkout's port, paying, the order page's payment block, the return pages, what is left to pay.
export { checkoutPayments } from "./buyer/checkout-payments.server";
export { orderPaymentView } from "./buyer/order-payment.server";
export { afterCheckout, returnLinks, returnView, startOnlinePayment } from "./buyer/pay.server";
export {
  type CheckoutBuyer,
  checkoutPaymentPlan,
  nextGroup,
  returnNext,
  waitingBesides,
} from "./buyer/checkout-plan.server";

// The farmer: money received (and cash on delivery), refunds and cancelling, settings, bank statements.
export { markPaidByFarmer, recordCashOnDelivery } from "./farmer/money-received.server";
export {
  cancelBySeller,
  moveOrderOn,
  orderMoney,
  parseDongInput,
  parseMarkReceivedForm,
  parseRefundForm,
  refundOrder,
} from "./farmer/order-money.server";
export { parsePaymentMethodsForm } from "./farmer/payment-methods-form";
export {
  onlineAvailability,
  previewQr,
  stallPaymentFormValues,
  stallPaymentMethods,
} from "./farmer/payment-settings.server";
export {
  type ImportedLine,
  importStatement,
  STATEMENT_MAX_BYTES,
  type StatementProblem,
} from "./farmer/statement-import.server";

// The providers: VNPay's IPN and limits, Stripe's webhook and Connect onboarding.
export { answerVnpayIpn } from "./vnpay/ipn.server";
export { VNPAY_MAX_DONG, VNPAY_MIN_DONG } from "./vnpay/provider.server";
export { answerStripeWebhook } from "./stripe/webhook.server";
export { cardsNotice } from "./stripe/account-updates.server";
export {
  connectStatus,
  ConnectUnavailableError,
  onboardingLinks,
  refreshStripeOnboarding,
  startStripeOnboarding,
} from "./stripe/connect.server";

// The core: which providers and methods exist, the jobs, alerts, refund limits.
export {
  isOnlineMethod,
  offeredPaymentMethods,
  type PaymentProviders,
  paymentProviders,
} from "./core/providers.server";
export { expireAbandonedAttempts, reconcilePayments, refundHeldMoney } from "./core/reconcile.server";
export { listPaymentAlerts, resolveAlert } from "./core/alerts.server";
export { REFUND_REASON_MAX } from "./core/refunds.server";

// The ledger: payouts to farmers.
export { markPayoutPaid, recordPayout } from "./ledger/ledger.server";
export { PAYOUT_CSV_COLUMNS, type PayoutCsvColumn, payoutsCsv, payoutsOverview } from "./ledger/payouts.server";
export { PAYOUT_FORM_FIELDS, PAYOUT_REFERENCE_MAX, parsePayoutForm, payoutsPage } from "./ledger/payout-form.server";
