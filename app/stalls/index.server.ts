/**
 * The front door of app/stalls for server code: routes and other capabilities
 * import from here and from nowhere else inside app/stalls.
 */
export {
  type Acting,
  type ActingFor,
  type Actor,
  findActingFor,
  findOfficerActingFor,
  requireActingHousehold,
  requireActingStall,
} from "./ownership.server";
export { publicOrigin, qrSvg, stallUrl } from "./qr.server";
export { freeStallSlug, stallSlugTaken } from "./slug.server";
export { getPublishedStall, listPublishedStalls, type PublicStall, searchStalls } from "./stalls.server";
export { getStorefront, getPublicListing, type PublicListing } from "./storefront.server";
