/** The browser-safe front door of app/officers. */
export {
  ACTING_PREFIX,
  actingBase,
  actingHouseholdIdOf,
  actingPath,
  actingPathFor,
  useActingPath,
} from "./acting-paths";

// Assisted onboarding (ADR 029).
export { CONSENT_STATEMENT_VERSION } from "./consent";
export type { OnboardFormValues } from "./schemas";

// ---- hand-over and the trail in words (issue 16 items 4, 5)
export { actorText, describeAuditEntry, trailTime, type TrailEntry } from "./trail";
