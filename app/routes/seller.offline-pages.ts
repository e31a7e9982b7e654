/**
 * GET /seller/offline-pages — the seller pages this phone keeps to read
 * without signal (ADR 031), for the seller app's worker to fetch and cache:
 * the dashboard, the listings list and the new-listing form, each listing's
 * page (at most 50), the orders list and the first 50 orders in to-do order
 * (open ones first, then the latest); and the translations those pages load
 * in the reader's language, without which a kept page could not hydrate.
 * JSON, never cached by the browser.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getLocale, resourcesVersion } from "~/i18n/index.server";
import { listStallListings } from "~/listings/index.server";
import { listStallOrders } from "~/orders/index.server";
import { requireActingStall } from "~/stalls/index.server";
import { db } from "~/utils/db.server";

/** Enough for a household's stall, little enough for a cheap phone's storage and a 3G link. */
export const OFFLINE_LISTINGS = 50;
export const OFFLINE_ORDERS = 50;

/** The namespaces the seller pages' handles name (seller*.tsx), for their translations to be kept too. */
const SELLER_NAMESPACES = ["common", "seller", "listings", "orders", "payments", "onboarding", "acting", "offline"];

export async function loader({ request }: LoaderFunctionArgs) {
  const { stall, path } = await requireActingStall(request);
  const [lng, listings, orders] = await Promise.all([
    getLocale(request),
    listStallListings(db, stall.id),
    listStallOrders(db, { stallId: stall.id, limit: OFFLINE_ORDERS }),
  ]);
  const pages = [
    "/seller",
    "/seller/listings",
    "/seller/listings/new",
    ...listings.slice(0, OFFLINE_LISTINGS).map((l) => `/seller/listings/${l.id}`),
    "/seller/orders",
    ...orders.orders.map((o) => `/seller/orders/${o.code}`),
  ].map((p) => path(p));
  const assets = SELLER_NAMESPACES.map((ns) => `/locales/${lng}/${ns}?v=${resourcesVersion}`);
  return Response.json({ pages, assets }, { headers: { "Cache-Control": "no-store" } });
}
