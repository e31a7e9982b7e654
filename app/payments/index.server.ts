/**
 * The front door of app/payments for server code: routes and other capabilities
 * import from here and from nowhere else inside app/payments.
 */
export { listPaymentAlerts, resolveAlert } from "./alerts.server";
export { markPaidByFarmer, recordCashOnDelivery } from "./farmer-payments.server";
export { markPayoutPaid, recordPayout } from "./ledger.server";
export {
  cancelBySeller,
  orderMoney,
  parseDongInput,
  parseMarkReceivedForm,
  parseRefundForm,
  refundOrder,
} from "./order-money.server";
export { orderPaymentView } from "./order-payment.server";
export {
  afterCheckout,
  answerStripeWebhook,
  answerVnpayIpn,
  returnLinks,
  returnView,
  startOnlinePayment,
} from "./pay.server";
export { onlineAvailability, previewQr, stallPaymentFormValues, stallPaymentMethods } from "./payment-settings.server";
export { PAYOUT_CSV_COLUMNS, type PayoutCsvColumn, payoutsCsv, payoutsOverview } from "./payouts.server";
export { isOnlineMethod, offeredPaymentMethods, type PaymentProviders, paymentProviders } from "./providers.server";
export { expireAbandonedAttempts, reconcilePayments, refundHeldMoney } from "./reconcile.server";
export { REFUND_REASON_MAX } from "./refunds.server";
export {
  type ImportedLine,
  importStatement,
  STATEMENT_MAX_BYTES,
  type StatementProblem,
} from "./statement-import.server";
export {
  connectStatus,
  ConnectUnavailableError,
  onboardingLinks,
  refreshStripeOnboarding,
  startStripeOnboarding,
} from "./stripe-connect.server";
export { VNPAY_MAX_DONG, VNPAY_MIN_DONG } from "./vnpay.server";
export { parsePaymentMethodsForm } from "./payment-methods";
