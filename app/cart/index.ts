/**
 * The browser-safe front door of app/cart: types, vocabularies, components.
 * Nothing here may reach zod or a server module. (An item problem's sentence,
 * problemText, is the orders' vocabulary: app/orders.)
 */
export {};
