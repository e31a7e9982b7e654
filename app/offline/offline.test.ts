import { describe, expect, it } from "vitest";
import { manifestOf, SITE_MANIFEST } from "~/utils/route-handle";
import { SELLER_MANIFEST } from "~/offline";
import { formatSyncTime } from "./OfflineBanner";
import { isSellerPath } from "./sw/caches";

describe("the seller app's pieces", () => {
  it("shows the figures' time as a farmer in Vietnam reads it", () => {
    expect(formatSyncTime("2026-12-07T07:05:00Z")).toBe("14:05 07/12");
    expect(formatSyncTime("2026-12-31T17:30:00Z")).toBe("00:30 01/01");
  });

  it("links the seller app's manifest on the farmer's pages only, never on an officer's mount of them", () => {
    const root = { id: "root", handle: { i18n: ["common"] } };
    const seller = { id: "routes/seller", handle: { manifest: SELLER_MANIFEST } };
    expect(manifestOf([root, seller, { id: "routes/seller._index", handle: {} }])).toBe(SELLER_MANIFEST);
    expect(manifestOf([root, { id: "routes/_index" }])).toBe(SITE_MANIFEST);
    expect(manifestOf([root, { id: "acting", handle: {} }, { ...seller, id: "acting/seller" }])).toBe(SITE_MANIFEST);
  });

  it("keeps the worker to /seller and what is under it", () => {
    expect(["/seller", "/seller/orders/ABCD-2345"].every(isSellerPath)).toBe(true);
    expect(["/sellers", "/s/ca-rot", "/officer/h/1/seller"].some(isSellerPath)).toBe(false);
  });
});
