/**
 * Every demo account signs in with this password (README, the seed script's
 * output and the end-to-end tests use it). A module of its own, so the
 * end-to-end tests can import it without the seed and what the seed loads.
 */
export const DEMO_PASSWORD = "nongsan2026";
