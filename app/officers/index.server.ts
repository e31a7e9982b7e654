/**
 * The front door of app/officers for server code: extension officers, the
 * communes they cover, acting for a household (the guard itself lives with
 * the stalls: app/stalls/ownership.server.ts), roster import and progress.
 */
export { officerCommuneCodes, requireOfficer } from "./access.server";

// ---- hand-over: what officers keep, and the trail in words (issue 16 items 4, 5)
export {
  handOverIfDue,
  HandoverError,
  HANDOVER_PATH,
  householdOfficers,
  parseAccess,
  setOfficerAccess,
  type HouseholdOfficer,
} from "./handover.server";
export {
  householdTrailPage,
  officersForTrailFilter,
  parseBefore,
  provinceTrailPage,
  type ProvinceTrailLine,
  type TrailLine,
  type TrailPage,
} from "./trail.server";
// ---- end hand-over ----

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

// ---- admin: officers' accounts and communes (/admin/officers, ADR 026)
export {
  assignCommunes,
  busiestProvinceCode,
  createOfficer,
  deactivateOfficer,
  getOfficer,
  listOfficers,
  MAX_COMMUNES_PER_OFFICER,
  OfficerAdminError,
  provinceToShow,
  reactivateOfficer,
  type CreatedOfficer,
  type OfficerSummary,
} from "./admin.server";
