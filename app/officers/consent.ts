/**
 * The officer's form for a household registered with its consent, and the
 * statement shown before the code is sent (acting.json `consent`): its version
 * is stored with every consent, so a new wording gets a new version.
 * Browser-safe.
 */
export const CONSENT_STATEMENT_VERSION = "2026-12";

export const ONBOARD_FIELDS = ["phone", "fullName", "kind", "communeCode", "addressLine", "rosterEntryId"] as const;
export type OnboardFormValues = Record<(typeof ONBOARD_FIELDS)[number], string>;
