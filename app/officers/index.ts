/** The browser-safe front door of app/officers. */
export {
  ACTING_PREFIX,
  actingBase,
  actingHouseholdIdOf,
  actingPath,
  actingPathFor,
  useActingPath,
} from "./acting-paths";
// progress (ADR 027)
export {
  FUNNEL_COLUMNS,
  ONBOARDING_STEPS_FOR_LIST,
  SHARE_COLUMNS,
  sharePercent,
  shares,
  type FunnelCounts,
  type ListStep,
} from "./progress";
export { FunnelChart, MonthlyChart, type ChartBar } from "./charts/charts";
