/**
 * Adds rows with very long unbroken values to the end-to-end database, as an
 * import or an officer could: a farmer whose name, household, stall, listings
 * and orders are one long word each; the buyer of those orders, with a cart;
 * a paid order and a payout with a long reference (the admin's payouts page);
 * and a second farmer with a plain stall whose forms page-width.spec.ts fills.
 * start-server.ts runs it after the demo seed and before the server starts,
 * with the server's environment, so it writes into the same data folder.
 * What it made is written to long-values.json in the data folder
 * (LONG_VALUES_FILE for the spec).
 *
 * The words are nonsense (longWord): no other journey's search finds them.
 */
import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import {
  cartItems,
  carts,
  householdDelegations,
  households,
  ledgerEntries,
  listingCertifications,
  listings,
  orderItems,
  officerCommunes,
  orders,
  payouts,
  rosterImports,
  users,
} from "#db/schema";
import { DEMO_PASSWORD } from "#db/seed/demo-password";
import { createUser } from "#tests/fixtures/factories";
import { ADDRESS_IN_THANH_HA, createActiveListing, createSellingStall, VIETQR_STALL } from "#tests/fixtures/orders";
import { hashPassword } from "~/auth/password.server";
import type { SellerListing } from "~/listings/listings.server";
import { placeCheckout } from "~/orders/index.server";
import { afterCheckout, checkoutPayments, markPaidByFarmer, recordPayout } from "~/payments/index.server";
import { closeDatabase, db } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { formatPhone } from "~/utils/phone";
import { longWord, type LongValues } from "./long-values";

/** Accounts that sign in with the demo password, their phone proved. */
const account = { passwordHash: await hashPassword(DEMO_PASSWORD), phoneConfirmedAt: new Date() };

// The farmer: every text they or an officer could type is one long word, longer than the forms allow.
const farmer = await createSellingStall(db, {
  slug: "wqzx".repeat(15), // the longest a stall link may be
  name: longWord(300),
  description: longWord(3000),
  pickupAddress: longWord(400),
  pickupHours: longWord(200),
  ...VIETQR_STALL,
  bankAccountName: longWord(120).toUpperCase(),
});
await db
  .update(users)
  .set({ ...account, fullName: longWord(300) })
  .where(eq(users.id, farmer.user.id));
await db
  .update(households)
  .set({ name: longWord(300), addressLine: longWord(400) })
  .where(eq(households.id, farmer.household.id));

// Two listings made as the form would (the longest title it takes), then lengthened as an import could.
const made: SellerListing[] = [];
for (const n of [1, 2]) {
  const listing = await createActiveListing(db, farmer.stall.id, {
    title: longWord(120),
    priceDong: 125_000 * n,
    stockQty: 10_000,
  });
  await db
    .update(listings)
    .set({ title: longWord(300 + n), description: longWord(3000) })
    .where(eq(listings.id, listing.id));
  await db.insert(listingCertifications).values({
    listingId: listing.id,
    type: "vietgap",
    number: longWord(200),
    issuer: longWord(300),
    validUntil: "2099-12-31",
  });
  made.push(listing);
}

// The buyer: a long name, a cart holding both listings, and orders.
const buyer = await createUser(db, { ...account, role: "buyer", fullName: longWord(300) });
const [cart] = await db.insert(carts).values({ userId: buyer.id }).returning();
await db
  .insert(cartItems)
  .values(made.map((l) => ({ cartId: cart.id, listingId: l.id, qty: 2, priceAtAddDong: l.priceDong })));

/** One checkout of both listings by the buyer, paid by VietQR, delivered to a long address, with a long note. */
async function order() {
  const placed = await placeCheckout(db, {
    buyer: { userId: buyer.id, name: longWord(100), phone: buyer.phone, phoneProved: true },
    address: { ...ADDRESS_IN_THANH_HA, addressLine: longWord(200) },
    stalls: [{ stallId: farmer.stall.id, delivery: "local", paymentMethod: "vietqr", note: longWord(500) }],
    items: made.map((l) => ({ listingId: l.id, qty: 3, priceDong: l.priceDong })),
    payments: checkoutPayments(),
  });
  await afterCheckout(db, placed, { origin: "http://localhost", ip: "127.0.0.1", locale: "vi" });
  const [placedOrder] = placed.orders;
  await db
    .update(orders)
    .set({ buyerName: longWord(300), addressLine: longWord(400), buyerNote: longWord(1000) })
    .where(eq(orders.id, placedOrder.id));
  await db
    .update(orderItems)
    .set({ title: longWord(300) })
    .where(eq(orderItems.orderId, placedOrder.id));
  return placedOrder;
}

// The one the pages show waits for the transfer (its QR and bank details); the other is paid, with a
// long note on its timeline. The platform owes the farmer some money (as if a VNPay payment had come in:
// a VietQR transfer goes to the farmer, not through the ledger), so the admin's payouts page lists the
// stall, with a pending payout of a long reference.
const waiting = await order();
const paid = await order();
await markPaidByFarmer(db, {
  order: { orderId: paid.id },
  stallId: farmer.stall.id,
  actor: { role: "farmer", userId: farmer.user.id },
  amountDong: paid.totalDong,
  note: longWord(300),
});
await db.insert(ledgerEntries).values({
  stallId: farmer.stall.id,
  orderId: paid.id,
  kind: "owed_to_farmer",
  amountDong: 250_000,
  collectedBy: "platform",
});
const payout = await recordPayout(db, {
  stallId: farmer.stall.id,
  amountDong: 1_000,
  createdByUserId: null,
  reference: longWord(200),
});
await db
  .update(payouts)
  .set({ reference: longWord(400) })
  .where(eq(payouts.id, payout.id));

// An officer with a long name covering the long-value farmer's commune and acting for it (/admin/officers/:officerId).
const officer = await createUser(db, { ...account, role: "officer", fullName: longWord(300) });
await db.insert(officerCommunes).values({ officerUserId: officer.id, communeCode: farmer.household.communeCode });
await db.insert(householdDelegations).values({ householdId: farmer.household.id, officerUserId: officer.id });

// The farmer whose forms the spec fills: a published stall (its link fixed), nothing long yet.
const formFarmer = await createSellingStall(db, { slug: "vuon-thu-do-rong", name: "Vườn thử độ rộng" });
await db.update(users).set(account).where(eq(users.id, formFarmer.user.id));

// A roster import of the demo officer (if the seed has one) whose file name and row are as long as a file allows.
const [demoOfficer] = await db.select({ id: users.id }).from(users).where(eq(users.phone, "+84903000301"));
// The demo officer acts for the long-value household too (/officer/h/:householdId/…, opened as the demo officer).
if (demoOfficer) {
  await db
    .insert(officerCommunes)
    .values({ officerUserId: demoOfficer.id, communeCode: farmer.household.communeCode })
    .onConflictDoNothing();
  await db.insert(householdDelegations).values({ householdId: farmer.household.id, officerUserId: demoOfficer.id });
}
const [rosterImport] = await db
  .insert(rosterImports)
  .values({
    officerUserId: demoOfficer?.id ?? null,
    fileName: `${longWord(116)}.csv`,
    rowsTotal: 1,
    rowsImported: 1,
    report: {
      state: "applied",
      format: "csv",
      lines: [
        {
          line: 2,
          name: longWord(100),
          phone: "0912 345 699",
          commune: longWord(100),
          hamlet: longWord(200),
          communeCode: "10813",
          outcome: ["imported"],
        },
      ],
    },
  })
  .returning({ id: rosterImports.id });

const [listing] = made;
const written: LongValues = {
  farmerPhone: formatPhone(farmer.user.phone),
  formFarmerPhone: formatPhone(formFarmer.user.phone),
  formStallSlug: formFarmer.stall.slug,
  buyerPhone: formatPhone(buyer.phone),
  params: {
    stallSlug: farmer.stall.slug,
    productSlug: listing.slug,
    listingId: listing.id,
    orderCode: waiting.code,
    officerId: officer.id,
    importId: rosterImport.id,
    householdId: farmer.household.id,
  },
};
fs.writeFileSync(path.join(env().DATA_DIR, "long-values.json"), JSON.stringify(written, null, 2));
console.log(`Added the long-value farmer, buyer and orders (/s/${farmer.stall.slug}, order ${waiting.code}).`);
await closeDatabase();
