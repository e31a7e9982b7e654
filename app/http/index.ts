/** The HTTP layer's browser-safe part: the CSP nonce for the scripts Remix inlines, and refusals. */
export { NonceProvider, useNonce } from "./nonce";
export { Refusal, isRefusal, REFUSAL_STATUS, type RefusalKind } from "./refusal";
