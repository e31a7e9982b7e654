/**
 * /seller/offline-pages: the pages the seller app keeps on the phone to read
 * without signal (ADR 031) are the farmer's own dashboard, listings (each
 * one's page) and orders (each one's page), with the translations they load;
 * never another stall's.
 */
import { describe, expect, it } from "vitest";
import { createUser } from "#tests/fixtures/factories";
import { createActiveListing, createSellingStall, pickupCheckout } from "#tests/fixtures/orders";
import { signedIn } from "#tests/harness/routes";
import { placeCheckout } from "~/orders/checkout.server";
import { db } from "~/utils/db.server";
import { loader } from "./seller.offline-pages";

const seller = await createSellingStall(db);
const rival = await createSellingStall(db);
const buyer = await createUser(db, { role: "buyer", fullName: "Trần Thị Mua" });
const listing = await createActiveListing(db, seller.stall.id, { title: "Vải thiều", unit: "kg" });
const rivalListing = await createActiveListing(db, rival.stall.id, { title: "Cà rốt", unit: "kg" });
const placed = await placeCheckout(
  db,
  pickupCheckout([{ listing, qty: 2 }], { buyer: { userId: buyer.id, name: "Trần Thị Mua", phone: "0912345678" } }),
);

async function pagesFor(userId: string) {
  const cookie = await signedIn(userId);
  const response = (await loader({
    request: new Request("http://localhost/seller/offline-pages", { headers: { Cookie: cookie } }),
    params: {},
    context: {},
  })) as Response;
  expect(response.headers.get("Cache-Control")).toBe("no-store");
  return (await response.json()) as { pages: string[]; assets: string[] };
}

describe("the pages a farmer's phone keeps to read offline", () => {
  it("are the dashboard, the listings with each listing's page, and the orders with each order's page", async () => {
    const { pages, assets } = await pagesFor(seller.user.id);
    const order = placed.orders[0];
    expect(pages).toEqual(
      expect.arrayContaining([
        "/seller",
        "/seller/listings",
        "/seller/listings/new",
        `/seller/listings/${listing.id}`,
        "/seller/orders",
      ]),
    );
    expect(pages).toContain(`/seller/orders/${order.code}`);
    expect(pages).not.toContain(`/seller/listings/${rivalListing.id}`);
    expect(assets).toContainEqual(expect.stringMatching(/^\/locales\/vi\/seller\?v=\w+$/));
  });

  it("are not listed for someone without a stall", async () => {
    await expect(pagesFor(buyer.id)).rejects.toBeDefined();
  });
});
