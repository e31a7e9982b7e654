/**
 * The front door of app/orders for server code: routes and other capabilities
 * import from here and from nowhere else inside app/orders.
 */
export { CheckoutLimited, PhoneCodeNeeded } from "./checkout-guard.server";
export { type CheckoutItemInput, NOTE_MAX, paymentChoices, placeCheckout } from "./checkout.server";
export {
  blankCheckout,
  type CheckoutValues,
  checkoutRefusal,
  checkoutValues,
  parseCheckoutForm,
  placeCheckoutForm,
} from "./checkout-form.server";
export { buyerOrderPage, cancelOrderAsBuyer, orderToPay, unlockOrder } from "./order-access.server";
export { deliveryAddress, itemsByOrder, orderForPage, stallContact, stallNames } from "./order-views.server";
export type { CheckoutPayments, DeliveredPayment, OnDelivered } from "./payment-ports";
export {
  CANCEL_REASON_MAX,
  cancelExpiredOrders,
  changeOrderStatus,
  countStallOrders,
  getCheckoutOrders,
  getOrder,
  listBuyerOrders,
  listStallOrders,
  type OrderDetails,
  STALL_ORDER_GROUPS,
  type StatusChange,
} from "./orders.server";
export { reservationOf } from "./stock.server";
