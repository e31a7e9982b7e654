/**
 * The seller app in the field (ADRs 030–031), browser-safe: what the phone's
 * queue and the server agree on. Server code: `index.server.ts`.
 *
 * A state change the queue replays carries:
 * - `Idempotency-Key`: made on the phone when the farmer acted (a UUID); the
 *   server does the change once per key and answers every replay with the
 *   first answer (status, Location, body; never cookies), `Idempotent-Replayed: true`;
 * - `X-Queued-For`: the user id the action was queued by; another session is refused;
 * - `X-Done-At`: when the farmer did it, by the phone's clock (ISO 8601): recorded and shown, never
 *   used for a deadline.
 */
export const IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";
export const QUEUED_FOR_HEADER = "X-Queued-For";
export const DONE_AT_HEADER = "X-Done-At";
export const REPLAYED_HEADER = "Idempotent-Replayed";

/** A key the server takes: 16–64 letters, digits, `-` or `_` (a UUID fits). */
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{16,64}$/;

/** The seller app's manifest (ADR 031), which the seller pages link instead of the site's. */
export const SELLER_MANIFEST = "/seller.webmanifest";

/** The dashboard registers the seller app's worker with it; the rest of app/offline is its own. */
export { useSellerApp } from "./use-seller-app";
