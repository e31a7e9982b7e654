/**
 * The browser-safe front door of app/payments: types, vocabularies, components.
 * Nothing here may reach zod or a server module.
 */
export { isPaid } from "./core/attempt-state";
export { BANKS, findBank } from "./vietqr/banks";
export { PaymentError } from "./core/errors";
export { STATEMENT_MAX_BYTES } from "./farmer/statement-limits";
export { PAYMENT_FIELDS } from "./farmer/payment-fields";
export type { PaymentMethods } from "./farmer/payment-methods-form";
export { payoutChange, type PayoutAccount } from "./farmer/payout-change";
