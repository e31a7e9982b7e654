/** The HTTP layer's browser-safe part: the CSP nonce for the scripts Remix inlines. */
export { NonceProvider, useNonce } from "./nonce";
