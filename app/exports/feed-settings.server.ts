/**
 * A stall's feed settings, for the seller's dashboard: public feeds answer
 * anyone; private ones only with `?token=` (32 random bytes, base64url) —
 * which the farmer can renew (the old URL stops working) or revoke (every
 * URL stops working until a new token is made). The token is stored as it
 * is, not hashed: the dashboard shows the feed URL again whenever the
 * farmer needs to paste it into a marketplace, as a calendar's secret
 * address is shown again (ADR 023).
 */
import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { stalls } from "#db/schema";
import { isUuid } from "~/utils/db-errors.server";
import type { Database } from "~/utils/db.server";

export interface FeedSettings {
  feedsPrivate: boolean;
  /** Null when public, or private with the token revoked. */
  feedToken: string | null;
}

/** A new feed token: 32 random bytes as base64url (43 characters). */
export const newFeedToken = () => randomBytes(32).toString("base64url");

async function setFeeds(
  db: Database,
  stallId: string,
  values: { feedsPrivate: boolean; feedToken: string | null | ReturnType<typeof sql> },
): Promise<FeedSettings | null> {
  if (!isUuid(stallId)) return null;
  const [row] = await db
    .update(stalls)
    .set(values)
    .where(eq(stalls.id, stallId))
    .returning({ feedsPrivate: stalls.feedsPrivate, feedToken: stalls.feedToken });
  return row ?? null;
}

/** The stall's settings as they are; null for an unknown stall. */
export async function getFeedSettings(db: Database, stallId: string): Promise<FeedSettings | null> {
  if (!isUuid(stallId)) return null;
  const [row] = await db
    .select({ feedsPrivate: stalls.feedsPrivate, feedToken: stalls.feedToken })
    .from(stalls)
    .where(eq(stalls.id, stallId));
  return row ?? null;
}

/**
 * Private feeds. A stall already private keeps its token (a second tap does
 * not break the URL just pasted into a marketplace); one without a token
 * (public, or revoked) gets a new one.
 */
export const makeFeedsPrivate = (db: Database, stallId: string) =>
  setFeeds(db, stallId, { feedsPrivate: true, feedToken: sql`coalesce(${stalls.feedToken}, ${newFeedToken()})` });

/** A new token: URLs with the old one answer 404 from now on. The feeds become private if they were not. */
export const renewFeedToken = (db: Database, stallId: string) =>
  setFeeds(db, stallId, { feedsPrivate: true, feedToken: newFeedToken() });

/** No token at all: the feeds stay private and every URL answers 404 until a new token is made. */
export const revokeFeedToken = (db: Database, stallId: string) =>
  setFeeds(db, stallId, { feedsPrivate: true, feedToken: null });

/** Public feeds; the token is forgotten, so making them private again gives a new one. */
export const makeFeedsPublic = (db: Database, stallId: string) =>
  setFeeds(db, stallId, { feedsPrivate: false, feedToken: null });

export type FeedAccess = "public" | "private" | "revoked";

/** What the farmer's page says about the feeds: public, private with a secret, or private with none (revoked). */
export function feedAccessOf(settings: FeedSettings): FeedAccess {
  if (!settings.feedsPrivate) return "public";
  return settings.feedToken ? "private" : "revoked";
}
