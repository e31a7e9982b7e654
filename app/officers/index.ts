/** The browser-safe front door of app/officers. */

// Assisted onboarding (ADR 029).
export { CONSENT_STATEMENT_VERSION, type OnboardFormValues } from "./consent";

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

// ---- hand-over and the trail in words (issue 16 items 4, 5)
export { actorText, describeAuditEntry, trailTime, type TrailEntry } from "./trail";
