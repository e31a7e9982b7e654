/**
 * The browser-safe front door of app/cart: types, vocabularies, components.
 * Nothing here may reach zod or a server module.
 */
export { problemText } from "./problem-text";
