/**
 * The browser-safe front door of app/orders: types, vocabularies, components.
 * Nothing here may reach zod or a server module.
 */
export { cancelReasonText, SYSTEM_CANCEL_REASONS } from "./cancel-reasons";
export { CODE_ALPHABET, CODE_LENGTH, formatCode, normalizeCode } from "./codes";
export { type DeliveryOption, deliveryOptions } from "./delivery";
export { type ItemProblem, itemProblem, OrderError } from "./errors";
export {
  type ActorRole,
  type DeliveryMethodCode,
  nextStatuses,
  ORDER_STATUSES,
  type OrderStatusCode,
  transition,
} from "./state-machine";
