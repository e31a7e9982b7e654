/**
 * "What makes a stall sell": the seller dashboard's checklist. Publishing only
 * needs the minimum (onboarding.server.ts publishProblems); this says what
 * buyers look for beyond it, and where each gap is fixed: the first listing
 * that lacks something, or the wizard step that sets it.
 *
 * Items count towards the progress ("5/7"); tips are good practice that not
 * every farmer can follow (not everyone holds a VietGAP certificate), so they
 * never count as a failure.
 */
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { listingCertifications, listingPhotos, listings, type Stall } from "#db/schema";
import { PUBLIC_LISTING_STATUSES, isCertificationValid, todayInVietnam } from "~/listings";
import { stepPath } from "./steps";
import { offeredPaymentMethods } from "~/payments/index.server";
import type { Database } from "~/utils/db.server";

/** Shorter than this, a description rarely says variety, growing or packing. */
export const MIN_DESCRIPTION_CHARS = 40;
/** A cover, a close-up and the packing: what buyers compare stalls by. */
export const GOOD_PHOTO_COUNT = 3;

export const CHECKLIST_ITEMS = [
  "listing",
  "photos",
  "descriptions",
  "payment",
  "delivery",
  "banner",
  "stallDescription",
] as const;
export const CHECKLIST_TIPS = ["morePhotos", "certifications", "vietqr"] as const;
export type ChecklistKey = (typeof CHECKLIST_ITEMS)[number] | (typeof CHECKLIST_TIPS)[number];

export interface ChecklistItem {
  key: ChecklistKey;
  done: boolean;
  /** Listings on sale that still lack it, for the listing-level items. */
  count?: number;
  /** Where to fix it. */
  href: string;
}

export interface StallChecklist {
  items: ChecklistItem[];
  tips: ChecklistItem[];
  done: number;
  total: number;
}

const NEW_LISTING_PATH = "/seller/listings/new";
const listingPath = (id: string) => `/seller/listings/${id}`;

/**
 * The checklist of the stall, over the listings buyers can see (on sale or
 * sold out). `path` turns its links into the acting person's (an officer's
 * stay under the household's URL).
 */
export async function stallChecklist(
  db: Database,
  stall: Stall,
  path: (href: string) => string = (href) => href,
): Promise<StallChecklist> {
  // In the seller's own order, so "the first listing lacking it" is the one they see first.
  const onSale = await db
    .select({
      id: listings.id,
      descriptionChars: sql<number>`char_length(btrim(${listings.description}))`.mapWith(Number),
      photoCount:
        sql<number>`(select count(*) from ${listingPhotos} where ${listingPhotos.listingId} = ${listings.id})`.mapWith(
          Number,
        ),
    })
    .from(listings)
    .where(and(eq(listings.stallId, stall.id), inArray(listings.status, [...PUBLIC_LISTING_STATUSES])))
    .orderBy(asc(listings.position), desc(listings.createdAt), asc(listings.id));

  const certificates =
    onSale.length === 0
      ? []
      : await db
          .select({ validFrom: listingCertifications.validFrom, validUntil: listingCertifications.validUntil })
          .from(listingCertifications)
          .where(
            inArray(
              listingCertifications.listingId,
              onSale.map((l) => l.id),
            ),
          );
  const today = todayInVietnam();
  // An expired certificate shows no badge, so it does not count.
  const certified = certificates.some((c) => isCertificationValid(c, today));

  const firstListing = onSale[0] ? listingPath(onSale[0].id) : NEW_LISTING_PATH;
  /** Done when at least one listing is on sale and none of them lacks it. */
  const everyListing = (key: ChecklistKey, lacks: (l: (typeof onSale)[number]) => boolean): ChecklistItem => {
    const lacking = onSale.filter(lacks);
    return {
      key,
      done: onSale.length > 0 && lacking.length === 0,
      ...(onSale.length > 0 ? { count: lacking.length } : {}),
      href: lacking[0] ? listingPath(lacking[0].id) : NEW_LISTING_PATH,
    };
  };

  const vietqrReady = Boolean(stall.vietqrEnabled && stall.bankBin && stall.bankAccountNumber && stall.bankAccountName);
  const items: ChecklistItem[] = [
    { key: "listing", done: onSale.length > 0, href: NEW_LISTING_PATH },
    everyListing("photos", (l) => l.photoCount === 0),
    everyListing("descriptions", (l) => l.descriptionChars < MIN_DESCRIPTION_CHARS),
    // A way a buyer can pay today: VNPay and cards count where the deployment has them.
    { key: "payment", done: offeredPaymentMethods(stall).length > 0, href: stepPath("payment") },
    {
      key: "delivery",
      done: stall.pickupEnabled || stall.localDeliveryEnabled || stall.shippingEnabled,
      href: stepPath("delivery"),
    },
    { key: "banner", done: stall.bannerMediaId !== null, href: stepPath("stall") },
    { key: "stallDescription", done: stall.description.trim().length > 0, href: stepPath("stall") },
  ];
  const tips: ChecklistItem[] = [
    everyListing("morePhotos", (l) => l.photoCount < GOOD_PHOTO_COUNT),
    { key: "certifications", done: certified, href: firstListing },
    { key: "vietqr", done: vietqrReady, href: stepPath("payment") },
  ];
  const linked = (list: ChecklistItem[]) => list.map((item) => ({ ...item, href: path(item.href) }));
  return { items: linked(items), tips: linked(tips), done: items.filter((i) => i.done).length, total: items.length };
}
