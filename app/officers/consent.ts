/**
 * The consent statement an officer shows a household before the code is sent
 * (acting.json `consent`). Its version is stored with every consent: a new
 * wording gets a new version. Browser-safe.
 */
export const CONSENT_STATEMENT_VERSION = "2026-12";
