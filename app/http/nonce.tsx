/**
 * The Content-Security-Policy nonce of the page being rendered, for the
 * scripts Remix inlines: entry.server.tsx provides it, root.tsx reads it.
 * In the browser it is empty (browsers hide nonces from the page anyway).
 */
import { createContext, useContext } from "react";

const NonceContext = createContext<string>("");

export const NonceProvider = NonceContext.Provider;

export function useNonce(): string {
  return useContext(NonceContext);
}
