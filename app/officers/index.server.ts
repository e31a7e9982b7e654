/**
 * The front door of app/officers for server code: extension officers, the
 * communes they cover, acting for a household (the guard itself lives with
 * the stalls: app/stalls/ownership.server.ts), roster import and progress.
 */
export { officerCommuneCodes, requireOfficer } from "./access.server";

// Acting for a household: the audit trail (ADR 029).
export {
  auditingOfficerChanges,
  type AuditChange,
  diffSnapshots,
  householdAuditTrail,
  latestAuditEntries,
  recordChanges,
  snapshotHousehold,
} from "./audit.server";
export { checkOnboarding, OnboardError, onboardHousehold, rosterEntryToOnboard } from "./onboard.server";
export { parseOnboardForm } from "./schemas";
