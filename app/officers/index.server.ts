/**
 * The front door of app/officers for server code: extension officers, the
 * communes they cover, acting for a household (the guard itself lives with
 * the stalls: app/stalls/ownership.server.ts), roster import and progress.
 */
export { officerCommuneCodes, requireOfficer } from "./access.server";
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
