/**
 * The browser-safe front door of app/payments: types, vocabularies, components.
 * Nothing here may reach zod or a server module.
 */
export { isPaid } from "./attempt-state";
export { BANKS, findBank } from "./banks";
export { PaymentError } from "./errors";
export { STATEMENT_MAX_BYTES } from "./limits";
export { PAYMENT_FIELDS } from "./payment-fields";
export type { PaymentMethods } from "./payment-methods";
