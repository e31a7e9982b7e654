/**
 * What the HTTP layer allows a request to each path before Remix sees it:
 * how many body bytes it reads at most, which kinds of body it accepts,
 * whether the cross-site check applies, and which per-IP rate limit is
 * counted before the body is read. One table: a new route gets the form
 * defaults without anyone remembering to; a route that takes files, JSON or
 * a signed webhook says so here.
 *
 * Paths are the route's URL; Remix's data requests for it (`/x.data`,
 * `/_root.data`, `?_data=`) get the same policy.
 */
import { MAX_PHOTO_BYTES } from "~/media";
import { actingBase, actingHouseholdIdOf } from "~/utils/acting-paths";
import { MAX_PHOTOS, ROSTER_MAX_BYTES, STATEMENT_MAX_BYTES } from "~/utils/upload-limits";
import type { RateLimitName } from "./rate-limits.server";

export type BodyKind = "form" | "multipart" | "json";

export interface RoutePolicy {
  /** Bytes of body read at most; over it: 413 and the connection closed. */
  maxBodyBytes: number;
  /** Content types a state change may send (anything else: 415). */
  accepts: readonly BodyKind[];
  /** "exempt" only where the sender signs the body and no cookie is involved (Stripe's webhook). */
  crossSite: "check" | "exempt";
  /** Counted per client IP on every state change, before the body is read. */
  ipLimit?: RateLimitName;
}

const KB = 1024;
const MB = 1024 * KB;

/** Multipart framing, the text fields of the form: room over the files themselves. */
const FORM_ROOM = 256 * KB;

/** An ordinary form: a wizard step, a checkout, a status change. */
export const FORM_POLICY: RoutePolicy = { maxBodyBytes: 64 * KB, accepts: ["form"], crossSite: "check" };

const photos = (count: number): Partial<RoutePolicy> => ({
  maxBodyBytes: count * MAX_PHOTO_BYTES + FORM_ROOM,
  accepts: ["form", "multipart"],
  ipLimit: "upload.ip",
});

/** [path pattern (`:name` matches one segment), what differs from FORM_POLICY]. */
export const ROUTE_POLICIES: readonly (readonly [string, Partial<RoutePolicy>])[] = [
  // Signed by Stripe (verified in the route), sent by Stripe's servers without cookies.
  ["/payments/stripe/webhook", { maxBodyBytes: 1 * MB, accepts: ["json"], crossSite: "exempt" }],
  // Photos: one request per photo with JavaScript, all of them at once without.
  ["/seller/listings/new", photos(MAX_PHOTOS)],
  ["/seller/listings/:listingId/photos", photos(MAX_PHOTOS)],
  ["/setup/product", photos(MAX_PHOTOS)],
  ["/setup/stall", photos(1)],
  ["/seller/payments/import", { maxBodyBytes: STATEMENT_MAX_BYTES + FORM_ROOM, accepts: ["form", "multipart"] }],
  // An officer's commune roster (CSV or XLSX); the preview's forms (mapping, corrections) are ordinary posts.
  [
    "/officer/import",
    { maxBodyBytes: ROSTER_MAX_BYTES + FORM_ROOM, accepts: ["form", "multipart"], ipLimit: "upload.ip" },
  ],
  // A checkout form carries a note per stall.
  ["/checkout", { maxBodyBytes: 128 * KB, ipLimit: "checkout.ip" }],
  ["/signup", { ipLimit: "signup.ip" }],
  ["/signup/code", { ipLimit: "code.ip" }],
  ["/signup/details", { ipLimit: "signup.ip" }],
  ["/login", { ipLimit: "login.ip" }],
  ["/login/code", { ipLimit: "code.ip" }],
  ["/password/forgot", { ipLimit: "reset.ip" }],
  ["/password/forgot/code", { ipLimit: "code.ip" }],
  ["/password/new", { ipLimit: "reset.ip" }],
];

const compiled = ROUTE_POLICIES.map(([pattern, policy]) => ({
  segments: pattern.split("/").filter(Boolean),
  policy: { ...FORM_POLICY, ...policy } satisfies RoutePolicy,
}));

/** The route path a request is for: `/setup/stall.data` and `/_root.data` are Remix's data requests. */
export function routePathOf(pathname: string): string {
  if (pathname === "/_root.data") return "/";
  return pathname.endsWith(".data") ? pathname.slice(0, -".data".length) : pathname;
}

/**
 * The policy of a path. An officer acting for a household reaches the
 * seller's and wizard's routes under /officer/h/:householdId (ADR 029): the
 * same routes, so the same policies.
 */
export function policyFor(pathname: string): RoutePolicy {
  const routePath = routePathOf(pathname);
  const householdId = actingHouseholdIdOf(routePath);
  const own = householdId ? routePath.slice(actingBase(householdId).length) || "/" : routePath;
  const segments = own.split("/").filter(Boolean);
  for (const route of compiled) {
    if (
      route.segments.length === segments.length &&
      route.segments.every((s, i) => s.startsWith(":") || s === segments[i])
    ) {
      return route.policy;
    }
  }
  return FORM_POLICY;
}
