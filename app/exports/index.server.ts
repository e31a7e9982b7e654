/**
 * The front door of app/exports for server code: routes and other
 * capabilities import from here and from nowhere else inside app/exports.
 */
export { exportListingBatches, type BatchOptions, type ExportScope } from "./feed-items.server";
export {
  describeSkipped,
  FEED_FORMATS,
  feedTokenMatches,
  type FeedStats,
  newFeedStats,
  openStallFeed,
  type StallFeed,
  streamFeed,
  type StreamFeedOptions,
} from "./feeds.server";
export {
  type FeedSettings,
  getFeedSettings,
  makeFeedsPrivate,
  makeFeedsPublic,
  renewFeedToken,
  revokeFeedToken,
} from "./feed-settings.server";
export type { FeedChannel, FeedContext, FeedDocument, FeedFormat } from "./formats/feed-format";
