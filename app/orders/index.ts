/**
 * The browser-safe front door of app/orders: types, vocabularies, components.
 * Nothing here may reach zod or a server module.
 */
export { CANCEL_REASON_MAX, cancelReasonText, SYSTEM_CANCEL_REASONS } from "./cancel-reasons";
export { CODE_ALPHABET, CODE_LENGTH, formatCode, normalizeCode } from "./codes";
export { type DeliveryOption, deliveryOptions } from "./delivery";
export { type ItemProblem, itemProblem, OrderAccessRefused, OrderError, refusedItems } from "./errors";
export { problemText } from "./problem-text";
export {
  type ActorRole,
  type DeliveryMethodCode,
  nextStatuses,
  ORDER_STATUSES,
  type OrderStatusCode,
  transition,
} from "./state-machine";
