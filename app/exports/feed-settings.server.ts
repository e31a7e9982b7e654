/**
 * Who may read a stall's feeds: anyone (public), or only with its secret
 * (private). A farmer makes them private, renews the secret (the old URLs
 * stop at once), withdraws it (every URL stops until a new one is made), or
 * makes them public again. The secret is 32 random bytes, base64url.
 */
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Database } from "~/utils/db.server";
import { stalls, type Stall } from "#db/schema";

export type FeedAccess = { kind: "public" } | { kind: "private"; token: string } | { kind: "revoked" };

export function feedAccessOf(stall: Pick<Stall, "feedsPrivate" | "feedToken">): FeedAccess {
  if (!stall.feedsPrivate) return { kind: "public" };
  return stall.feedToken ? { kind: "private", token: stall.feedToken } : { kind: "revoked" };
}

const newToken = () => randomBytes(32).toString("base64url");

async function setAccess(db: Database, stallId: string, values: Pick<Stall, "feedsPrivate" | "feedToken">) {
  await db.update(stalls).set(values).where(eq(stalls.id, stallId));
}

/** Private with a fresh secret (also how a withdrawn secret is replaced). */
export const makeFeedsPrivate = (db: Database, stallId: string) =>
  setAccess(db, stallId, { feedsPrivate: true, feedToken: newToken() });

/** A new secret: URLs with the old one answer 404 from now on. */
export const renewFeedToken = makeFeedsPrivate;

/** Still private, with no secret: every feed URL answers 404 until a new one is made. */
export const revokeFeedToken = (db: Database, stallId: string) =>
  setAccess(db, stallId, { feedsPrivate: true, feedToken: null });

export const makeFeedsPublic = (db: Database, stallId: string) =>
  setAccess(db, stallId, { feedsPrivate: false, feedToken: null });

/** The URL of one of the stall's feeds, with its secret when private (null: none works now). */
export function feedUrl(
  origin: string,
  stall: Pick<Stall, "slug" | "feedsPrivate" | "feedToken">,
  file: string,
): string | null {
  const access = feedAccessOf(stall);
  if (access.kind === "revoked") return null;
  const url = new URL(`/feeds/${encodeURIComponent(stall.slug)}/${file}`, origin);
  if (access.kind === "private") url.searchParams.set("token", access.token);
  return url.toString();
}
