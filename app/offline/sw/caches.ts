/**
 * The seller app's caches (ADR 031), named in one place for the worker, the
 * pages (logout deletes them all) and the tests. Browser-safe, no imports.
 */
/** The part of the site the seller app's worker controls, and the worker. */
export const SELLER_SCOPE = "/seller";
export const SELLER_WORKER = "/seller-sw.js";
/** The page the worker answers a seller page with when it has no copy of it and no signal. */
export const SELLER_OFFLINE_PAGE = "/seller-offline.html";
/** The seller pages the phone keeps for reading offline (JSON: `{ pages, assets }`: paths). */
export const OFFLINE_PAGES_PATH = "/seller/offline-pages";

export const PAGE_CACHE = "ghs-seller-pages";
export const DATA_CACHE = "ghs-seller-data";
export const MEDIA_CACHE = "ghs-photos";
export const REMOTE_PHOTO_CACHE = "ghs-photos-s3";
export const STATIC_CACHE = "ghs-static";
export const META_CACHE = "ghs-meta";
/** The key in META_CACHE under which the worker keeps the id of the user its page caches belong to. */
export const USER_KEY = "/__ghs/user";

/** `/seller` and what is under it (not `/sellers…`). */
export function isSellerPath(pathname: string): boolean {
  return pathname === "/seller" || pathname.startsWith("/seller/");
}

export type WorkerMessage =
  { type: "SKIP_WAITING" } | { type: "user"; userId: string } | { type: "sync"; userId: string };

export interface SyncResult {
  ok: boolean;
  pages: number;
  at: string;
}
