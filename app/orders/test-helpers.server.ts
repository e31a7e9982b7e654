/**
 * Data for the order tests: a published stall with delivery options and
 * active listings (which need a photo), built with tests/factories.ts and
 * createListing, and a ready-made checkout input.
 */
import type { stalls } from "#db/schema";
import { createFarmerWithStall, listingInput, makePhotos, THANH_HA, type FarmerWithStall } from "../../tests/factories";
import type { CheckoutInput } from "./checkout.server";
import { createListing, type SellerListing } from "~/listings/listings.server";
import type { ListingInput } from "~/listings/schemas";
import type { Database } from "~/utils/db.server";

let photoSeed = 9000;

/** A farmer's bank account (Vietcombank's BIN), as the payment step saves it. */
export const BANK = { bankBin: "970436", bankAccountNumber: "0011001234567", bankAccountName: "NGUYEN VAN THINH" };
/** Stall fields for one that takes VietQR transfers into BANK. */
export const VIETQR_STALL = { vietqrEnabled: true, ...BANK };

/** A published stall offering pickup, local delivery to Xã Thanh Hà (15.000 ₫) and flat shipping (30.000 ₫). */
export function createSellingStall(
  db: Database,
  overrides: Partial<typeof stalls.$inferInsert> = {},
): Promise<FarmerWithStall> {
  return createFarmerWithStall(db, {
    stall: {
      pickupEnabled: true,
      pickupAddress: "Thôn Phú Lương, Thanh Hà",
      localDeliveryEnabled: true,
      localDeliveryCommunes: [THANH_HA.communeCode],
      localDeliveryFeeVnd: 15_000,
      shippingEnabled: true,
      shippingFeeMode: "flat",
      shippingFeeVnd: 30_000,
      ...overrides,
    },
  });
}

/** An active listing of the stall (lychee, 45.000 ₫/kg, 200 in stock unless overridden). */
export async function createActiveListing(
  db: Database,
  stallId: string,
  overrides: Partial<ListingInput> = {},
): Promise<SellerListing> {
  const photos = await makePhotos(1, photoSeed++);
  return createListing(db, { stallId, input: listingInput(overrides), photos, status: "active" });
}

/**
 * A guest checkout of these items, everything picked up, paid cash, by a
 * buyer who proved the phone (the richer messages); placed without the
 * checkout route's limits (`guard`), which their own tests cover.
 */
export function pickupCheckout(
  items: { listing: { id: string; priceDong: number; stallId: string }; qty: number }[],
  { buyer, ...overrides }: Partial<CheckoutInput> = {},
): CheckoutInput {
  const stallIds = [...new Set(items.map((i) => i.listing.stallId))];
  return {
    buyer: { name: "Trần Thị Mua", phone: "0912 345 678", phoneProved: true, ...buyer },
    stalls: stallIds.map((stallId) => ({ stallId, delivery: "pickup", paymentMethod: "cod" })),
    items: items.map((i) => ({ listingId: i.listing.id, qty: i.qty, priceDong: i.listing.priceDong })),
    ...overrides,
  };
}

export const ADDRESS_IN_THANH_HA = { ...THANH_HA, addressLine: "Số 5, thôn Phú Lương" };
