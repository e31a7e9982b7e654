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
export { askFarmerForPayoutChange, farmerAgreedToPayout } from "./payout.server";

// ---- roster (roster import, ADR 028) ----
export {
  checkRoster,
  coveredCommunes,
  mapCommuneName,
  type CheckedRow,
  type RosterCheck,
  type RowError,
  type UnknownCommune,
} from "./roster/check.server";
export {
  applyDraft,
  correctDraftRow,
  createDraft,
  discardDraft,
  loadAppliedImport,
  loadDraft,
  pruneStaleRosterEntries,
  recentImports,
  REPORT_COLUMNS,
  ROSTER_RETENTION_DAYS,
  rosterReportCsv,
  type ReportColumn,
  type ReportLine,
} from "./roster/imports.server";
export {
  readRoster,
  REQUIRED_COLUMNS,
  ROSTER_MAX_BYTES,
  ROSTER_MAX_ROWS,
  type RosterColumn,
  type RosterFileProblem,
} from "./roster/read.server";
// ---- end roster ----

// progress (ADR 027): rollups, the workspace list, reminders
export {
  communeFunnels,
  ensureProgressRollups,
  FUNNEL_KEYS,
  lastMonths,
  listOfficerHouseholds,
  monthlySales,
  officerCommuneOptions,
  officerFunnel,
  progressRollupJob,
  provinceReport,
  rebuildProgressRollups,
  ReminderError,
  reportProvinces,
  rollupsComputedAt,
  sendReminder,
  sumFunnels,
  type Funnel,
  type FunnelKey,
  type FunnelRow,
  type MonthPoint,
  type ReminderRefusal,
  type WorkspaceFilters,
  type WorkspaceRow,
} from "./progress.server";
export {
  funnelSheet,
  monthsSheet,
  officerProgress,
  officerProgressSheets,
  provinceProgress,
  provinceSheets,
  reportCsv,
  reportXlsx,
  XLSX_TYPE,
  type OfficerProgress,
  type ProvinceProgress,
  type ReportSheet,
} from "./reports.server";
