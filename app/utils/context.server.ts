import type { Logger } from "./logger.server";

/** What server.js hands every loader and action (see getLoadContext there). */
export interface AppContext {
  requestId: string;
  logger: Logger;
  /** The client's address, from X-Forwarded-For when TRUST_PROXY says how many proxies to trust. */
  clientIp: string;
  /** This response's Content-Security-Policy nonce, for the scripts Remix inlines (app/http/headers.server.ts). */
  cspNonce: string;
}

declare module "@remix-run/node" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends Partial<AppContext> {}
}
