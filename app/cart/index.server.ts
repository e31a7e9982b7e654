/**
 * The front door of app/cart for server code: routes and other capabilities
 * import from here and from nowhere else inside app/cart.
 */
export { CART_FORM_FIELDS, changeCart } from "./cart-form.server";
export { cartLineCount, cartOwner, findRequestCart, mergeCartAtSignIn, serializeCartToken } from "./cart-cookie.server";
export {
  addToCart,
  type CartLine,
  type CartStallGroup,
  type CartView,
  cartView,
  getOrCreateCart,
  removeItem,
  setQuantity,
} from "./cart.server";
