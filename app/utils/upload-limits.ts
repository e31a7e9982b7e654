/**
 * Upload limits that both the HTTP layer (the body limit of the route that
 * takes the upload: app/http/route-policies.server.ts) and the capability
 * that reads the upload need. They live here, below both, so the HTTP layer
 * never imports a capability to learn a number. Browser-safe.
 */

/** Photos one listing may have. */
export const MAX_PHOTOS = 8;

/** How large a bank statement a farmer may upload for import. */
export const STATEMENT_MAX_BYTES = 2 * 1024 * 1024;

/** How large a commune's roster (CSV or XLSX) an officer may upload for import. */
export const ROSTER_MAX_BYTES = 5 * 1024 * 1024;
