/**
 * How large a bank statement the farmer may upload: read by the parser
 * (statement-import.server.ts) and by the HTTP layer's body limit for its
 * route (app/http/route-policies.server.ts), which must not pull in the
 * payments code to know it.
 */
export const STATEMENT_MAX_BYTES = 2 * 1024 * 1024;
