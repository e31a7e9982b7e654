/**
 * The client's IP as the HTTP server worked it out (server.js: Express with
 * `trust proxy` = TRUST_PROXY, passed through getLoadContext). Read
 * defensively: tests and odd hosts may not provide it.
 */
export function clientIpFrom(context: unknown): string {
  const ip = (context as { clientIp?: unknown } | null | undefined)?.clientIp;
  return typeof ip === "string" && ip.length > 0 && ip.length <= 64 ? ip : "unknown";
}
