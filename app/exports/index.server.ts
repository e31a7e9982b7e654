/**
 * The server front door of app/exports: marketplace feeds and files, export
 * readiness of a stall, bulk exports. Routes and other capabilities import
 * app/exports only through this file and index.ts.
 */
export { stallReadiness, type ListingReadiness, type StallReadiness } from "./readiness.server";
export {
  type FeedAccess,
  feedAccessOf,
  feedUrl,
  makeFeedsPrivate,
  makeFeedsPublic,
  renewFeedToken,
  revokeFeedToken,
} from "./feed-settings.server";
