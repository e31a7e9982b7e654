/**
 * Where a stall's feeds are: /feeds/:stallSlug/:file, with `?token=` when
 * they are private. These URLs are a public contract (marketplaces poll
 * them): the names never change. Browser-safe.
 */
import { FEED_FILE_NAMES, type FeedFile } from "./targets";

export function feedPath(stallSlug: string, file: FeedFile, token?: string | null): string {
  const path = `/feeds/${encodeURIComponent(stallSlug)}/${file}`;
  return token ? `${path}?token=${encodeURIComponent(token)}` : path;
}

/** Every feed of the stall, absolute, for the dashboard to show and copy. */
export function feedUrls(
  origin: string,
  stall: { slug: string; feedsPrivate: boolean; feedToken: string | null },
): Record<FeedFile, string> {
  const token = stall.feedsPrivate ? stall.feedToken : null;
  return Object.fromEntries(
    FEED_FILE_NAMES.map((file) => [file, new URL(feedPath(stall.slug, file, token), origin).toString()]),
  ) as Record<FeedFile, string>;
}
