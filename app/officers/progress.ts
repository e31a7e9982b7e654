/** Browser-safe pieces of the progress reports (ADR 027): the steps the workspace list filters on, shares. */

/** The onboarding steps, and "roster": a household on a commune's roster, not registered yet. */
export const ONBOARDING_STEPS_FOR_LIST = [
  "roster",
  "household",
  "stall",
  "product",
  "payment",
  "delivery",
  "review",
  "done",
] as const;
export type ListStep = (typeof ONBOARDING_STEPS_FOR_LIST)[number];

/** part / whole as a percentage with one decimal (0 when whole is 0). */
export const sharePercent = (part: number, whole: number): number =>
  whole > 0 ? Math.round((part * 1000) / whole) / 10 : 0;

/** The counts of one funnel (a commune, an officer, a province). */
export interface FunnelCounts {
  roster: number;
  registered: number;
  stallCreated: number;
  firstProduct: number;
  published: number;
  firstOrder: number;
  active30d: number;
  paidOnline: number;
  stuck: number;
}

/** The columns of a funnel table, in order (the page's table, the CSV, the XLSX). */
export const FUNNEL_COLUMNS = [
  "roster",
  "registered",
  "stallCreated",
  "firstProduct",
  "published",
  "firstOrder",
  "active30d",
  "paidOnline",
  "stuck",
] as const satisfies readonly (keyof FunnelCounts)[];

/** The province's shares (in the spirit of the digital-transformation index), per cent of registered households. */
export const SHARE_COLUMNS = ["publishedShare", "orderShare", "paidOnlineShare"] as const;

export const shares = (f: FunnelCounts) => ({
  publishedShare: sharePercent(f.published, f.registered),
  orderShare: sharePercent(f.firstOrder, f.registered),
  paidOnlineShare: sharePercent(f.paidOnline, f.registered),
});
