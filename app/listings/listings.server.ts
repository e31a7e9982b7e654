/**
 * Listings: a stall's products, their photos and certifications. No HTTP here:
 * routes parse the form (schemas.ts), find the stall the seller may act for
 * (requireActingStall, app/stalls) and call one of these.
 *
 * Rules that hold whatever the caller:
 * - Every function that takes a listingId also takes the stallId it must belong
 *   to. Another stall's listing (or a malformed id) is "not_found" and is never
 *   touched.
 * - A listing in a public status (active, sold_out) has at least one photo:
 *   becoming active needs one, and the last one cannot be removed. A draft may
 *   have none.
 * - Bad input changes nothing: input is checked and photo counts are known
 *   before any photo is stored; photos are stored (each all-or-nothing, by
 *   app/media) before the rows are written in one transaction; when anything
 *   fails after that, the photos this call stored are released again
 *   (deletePhotoIfUnused keeps any that another listing uses).
 * - Slugs are unique within a stall (base, base-2, …). Two requests racing for
 *   the same slug are settled by the unique index: the loser retries.
 *   A slug follows the title until the listing first goes on sale
 *   (first_published_at) and never changes after that, whatever its status
 *   later: links shared on Zalo and printed QR posters are out there (ADR 032).
 */
import { and, asc, desc, eq, gte, inArray, isNull, lte, or, sql } from "drizzle-orm";
import {
  listingCertifications,
  listingPhotos,
  listings,
  mediaAssets,
  stalls,
  type CertificationType,
  type Listing,
  type ListingCertification,
  type ListingStatus,
  type MediaAsset,
} from "#db/schema";
import {
  CERTIFICATION_TYPES,
  LISTING_STATUSES,
  MAX_PHOTOS,
  MAX_PRICE_DONG,
  PUBLIC_LISTING_STATUSES,
  TITLE_MAX,
  canTransition,
  type CertificationTypeCode,
  type ListingStatusCode,
} from "./catalog";
import { todayInVietnam } from "./dates";
import { ListingInputSchema, listingFieldName, type CertificationInput, type ListingInput } from "./schemas";
import { fieldErrors, type FieldErrors } from "~/utils/forms";
import { RefusalError } from "~/utils/refusal";
import { uniqueSlug } from "./slug.server";
import { photoRefColumns, deletePhotoIfUnused, storePhoto, type PhotoSource } from "~/media/index.server";
import { isUniqueViolation, isUuid } from "~/utils/db-errors.server";
import { perDatabase } from "~/utils/per-database.server";
import { logger } from "~/utils/logger.server";
import type { Database, Tx } from "#db/client";

export { isCertificationValid, todayInVietnam } from "./dates";

// The catalog's lists must stay the database enums.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _statusesMatch: Same<ListingStatusCode, ListingStatus> = true;
const _certificationTypesMatch: Same<CertificationTypeCode, CertificationType> = true;
void _statusesMatch;
void _certificationTypesMatch;

// ---------------------------------------------------------------- errors

export type ListingErrorCode =
  /** No such listing in this stall (or a malformed id). */
  | "not_found"
  /** The input breaks a rule of ListingInputSchema; `fields` says which. */
  | "invalid_input"
  /** Becoming active (or being created active) without a photo. */
  | "photo_required"
  /** More than MAX_PHOTOS photos. */
  | "too_many_photos"
  /** Removing the last photo of an active or sold-out listing. */
  | "last_photo"
  /** The photo is not one of this listing's. */
  | "photo_not_found"
  /** reorderPhotos got something else than a permutation of the listing's photos. */
  | "invalid_photo_order"
  /** A status change that LISTING_TRANSITIONS does not allow. */
  | "illegal_transition"
  /** Becoming active with nothing to sell (no stock, not made to order, no pre-order capacity). */
  | "no_stock"
  /** Becoming active with a price outside 1 … MAX_PRICE_DONG. */
  | "invalid_price"
  /** No free slug after several attempts (heavy concurrent creation). */
  | "slug_taken"
  /** The id the phone chose for a new listing is another stall's (409). */
  | "id_taken"
  /** The id the phone chose for a new listing is already one of this stall's: it was created before (409). */
  | "already_created";

/** A refused listing operation; `fields` (for invalid_input) are keys of the "listings" namespace ("price", "cert[0].stars"). */
export class ListingError extends RefusalError<ListingErrorCode> {
  override name = "ListingError";
  readonly namespace = "listings";
  /** For illegal_transition. */
  readonly from?: ListingStatus;
  readonly to?: string;

  constructor(code: ListingErrorCode, details: { fields?: FieldErrors; from?: ListingStatus; to?: string } = {}) {
    super(code, { fields: details.fields });
    this.from = details.from;
    this.to = details.to;
  }

  get messageKey(): string {
    return `errors.listing.${this.code}`;
  }

  override get httpStatus(): number {
    return this.code === "id_taken" || this.code === "already_created" ? 409 : super.httpStatus;
  }
}

// ---------------------------------------------------------------- shapes

/** What <picture> needs for one photo, in the listing's order (position 0 is the cover). */
export interface ListingPhoto {
  mediaId: string;
  hash: string;
  width: number;
  height: number;
  widths: number[];
  dominantColor: string;
  placeholder: string;
  position: number;
  alt: string;
}

/** The seller's full view of a listing. */
export type SellerListing = Listing & {
  photos: ListingPhoto[];
  certifications: ListingCertification[];
};

/** A row of the seller's product list. */
export interface SellerListingSummary {
  id: string;
  slug: string;
  title: string;
  category: string;
  unit: string;
  priceDong: number;
  stockQty: number;
  madeToOrder: boolean;
  preorder: boolean;
  status: ListingStatus;
  position: number;
  updatedAt: Date;
  photoCount: number;
  cover: ListingPhoto | null;
}

export interface PublicCertification {
  type: CertificationType;
  number: string;
  issuer: string;
  ocopStars: number | null;
  validFrom: string | null;
  validUntil: string;
}

/** What buyers see of a listing. */
export interface PublicListingDetails {
  id: string;
  slug: string;
  title: string;
  description: string;
  category: string;
  unit: string;
  priceDong: number;
  minOrderQty: number;
  madeToOrder: boolean;
  stockQty: number;
  availableFrom: string | null;
  availableUntil: string | null;
  preorder: boolean;
  preorderCapacity: number | null;
  /** Made to order: days until ready, when the farmer said. */
  leadTimeDays: number | null;
  status: "active" | "sold_out";
  updatedAt: Date;
}

/** A product page's content (the stall's part is stalls' getPublicListing). */
export interface PublicProduct {
  listing: PublicListingDetails;
  photos: ListingPhoto[];
  /** Only certificates valid today (Vietnam's calendar). */
  certifications: PublicCertification[];
}

/** A product card on the stall page. */
export interface PublicListingCard {
  id: string;
  slug: string;
  title: string;
  category: string;
  unit: string;
  priceDong: number;
  status: "active" | "sold_out";
  madeToOrder: boolean;
  stockQty: number;
  preorder: boolean;
  availableFrom: string | null;
  availableUntil: string | null;
  cover: ListingPhoto | null;
  /** Valid certificates, for badges ("VietGAP", "OCOP 4★"). */
  badges: { type: CertificationType; ocopStars: number | null }[];
}

// ---------------------------------------------------------------- helpers

type Queryable = Database | Tx;

const SLUG_INDEX = "listings_stall_slug_idx";
const SLUG_ATTEMPTS = 5;

const isSlugConflict = (error: unknown) => isUniqueViolation(error, SLUG_INDEX);

async function withSlugRetry<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (!isSlugConflict(error)) throw error;
      if (attempt >= SLUG_ATTEMPTS) throw new ListingError("slug_taken");
    }
  }
}

function checkedInput(input: ListingInput): ListingInput {
  const result = ListingInputSchema.safeParse(input);
  if (!result.success)
    throw new ListingError("invalid_input", { fields: fieldErrors(result.error.issues, listingFieldName) });
  const v = result.data;
  return { ...v, stockQty: v.madeToOrder ? 0 : v.stockQty };
}

/** Something a buyer can order: stock, made to order, or pre-order capacity. */
function isSellable(l: Pick<Listing, "madeToOrder" | "stockQty" | "preorder" | "preorderCapacity">): boolean {
  return l.madeToOrder || l.stockQty > 0 || (l.preorder && (l.preorderCapacity ?? 0) > 0);
}

function listingColumns(v: ListingInput) {
  return {
    title: v.title,
    description: v.description,
    category: v.category,
    unit: v.unit,
    priceDong: v.priceDong,
    minOrderQty: v.minOrderQty,
    madeToOrder: v.madeToOrder,
    stockQty: v.stockQty,
    availableFrom: v.availableFrom,
    availableUntil: v.availableUntil,
    preorder: v.preorder,
    preorderCapacity: v.preorder ? v.preorderCapacity : null,
    // Undefined (a caller without these fields, such as the wizard) leaves the stored values.
    leadTimeDays: v.madeToOrder ? v.leadTimeDays : null,
    weightGrams: v.weightGrams,
    packageLengthCm: v.packageLengthCm,
    packageWidthCm: v.packageWidthCm,
    packageHeightCm: v.packageHeightCm,
  };
}

/** The listing row, locked until the transaction ends; not_found outside the stall. */
async function lockListing(tx: Tx, listingId: string, stallId: string): Promise<Listing> {
  if (!isUuid(listingId) || !isUuid(stallId)) throw new ListingError("not_found");
  const [row] = await tx
    .select()
    .from(listings)
    .where(and(eq(listings.id, listingId), eq(listings.stallId, stallId)))
    .for("update");
  if (!row) throw new ListingError("not_found");
  return row;
}

async function findListing(db: Queryable, listingId: string, stallId: string): Promise<Listing | null> {
  if (!isUuid(listingId) || !isUuid(stallId)) return null;
  const [row] = await db
    .select()
    .from(listings)
    .where(and(eq(listings.id, listingId), eq(listings.stallId, stallId)));
  return row ?? null;
}

async function nextPosition(tx: Queryable, stallId: string): Promise<number> {
  const [row] = await tx
    .select({ next: sql<number>`coalesce(max(${listings.position}) + 1, 0)`.mapWith(Number) })
    .from(listings)
    .where(eq(listings.stallId, stallId));
  return row?.next ?? 0;
}

async function insertCertifications(tx: Queryable, listingId: string, certs: readonly CertificationInput[]) {
  if (certs.length === 0) return;
  await tx.insert(listingCertifications).values(
    certs.map((c) => ({
      listingId,
      type: c.type,
      number: c.number,
      issuer: c.issuer,
      ocopStars: c.type === "ocop" ? c.ocopStars : null,
      validFrom: c.validFrom,
      validUntil: c.validUntil,
    })),
  );
}

async function photoIdsInOrder(tx: Queryable, listingId: string): Promise<string[]> {
  const rows = await tx
    .select({ mediaId: listingPhotos.mediaId })
    .from(listingPhotos)
    .where(eq(listingPhotos.listingId, listingId))
    .orderBy(asc(listingPhotos.position), asc(listingPhotos.mediaId));
  return rows.map((r) => r.mediaId);
}

/** Locks the listing (in this stall) and returns its photo ids in order, checking that `mediaId` is one of them. */
async function lockListingPhotos(tx: Tx, listingId: string, stallId: string, mediaId: string) {
  const listing = await lockListing(tx, listingId, stallId);
  const ids = await photoIdsInOrder(tx, listing.id);
  if (!isUuid(mediaId) || !ids.includes(mediaId)) throw new ListingError("photo_not_found");
  return { listing, ids };
}

/** Positions 0…n-1 in the given order (0 is the cover). */
async function renumberPhotos(tx: Tx, listingId: string, mediaIds: readonly string[]) {
  for (const [position, mediaId] of mediaIds.entries()) {
    await tx
      .update(listingPhotos)
      .set({ position })
      .where(and(eq(listingPhotos.listingId, listingId), eq(listingPhotos.mediaId, mediaId)));
  }
}

/** The database's clock, to tell photos this call created from ones that were already there. */
async function databaseNow(db: Database): Promise<Date> {
  const result = await db.execute(sql`SELECT now() AS now`);
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { now: string | Date }[];
  return new Date(rows[0].now);
}

/**
 * Stores the photos one after the other (sharp is memory-hungry on a small
 * server). If one fails, those already stored by this call are released and
 * the PhotoError goes up. The same photo twice is one asset.
 */
async function storePhotos(
  db: Database,
  photos: readonly PhotoSource[],
  userId: string | null | undefined,
): Promise<{ assets: MediaAsset[]; since: Date }> {
  if (photos.length === 0) return { assets: [], since: new Date() };
  const since = await databaseNow(db);
  const assets: MediaAsset[] = [];
  try {
    for (const photo of photos) {
      const asset = await storePhoto(db, photo, { uploadedByUserId: userId ?? undefined });
      if (!assets.some((a) => a.id === asset.id)) assets.push(asset);
    }
  } catch (error) {
    await releasePhotos(db, assets, since);
    throw error;
  }
  return { assets, since };
}

/**
 * Undoes storePhotos after a later failure: deletes the assets this call
 * created, unless something uses them by now. Assets that existed before
 * (the same photo uploaded earlier) are left alone.
 */
async function releasePhotos(db: Database, assets: readonly MediaAsset[], since: Date) {
  for (const asset of assets) {
    if (asset.createdAt < since) continue;
    try {
      await deletePhotoIfUnused(db, asset.id);
    } catch (error) {
      // The original failure matters more; an orphan photo only costs disk space.
      logger.warn({ err: error, mediaId: asset.id }, "could not release a photo after a failed listing change");
    }
  }
}

const photoColumns = {
  mediaId: mediaAssets.id,
  ...photoRefColumns(),
  position: listingPhotos.position,
  alt: listingPhotos.alt,
};

async function photosOf(db: Queryable, listingId: string): Promise<ListingPhoto[]> {
  return db
    .select(photoColumns)
    .from(listingPhotos)
    .innerJoin(mediaAssets, eq(mediaAssets.id, listingPhotos.mediaId))
    .where(eq(listingPhotos.listingId, listingId))
    .orderBy(asc(listingPhotos.position), asc(listingPhotos.mediaId));
}

/** Cover photo (position 0) of each listing. */
async function coversOf(db: Queryable, listingIds: string[]): Promise<Map<string, ListingPhoto>> {
  if (listingIds.length === 0) return new Map();
  const rows = await db
    .select({ listingId: listingPhotos.listingId, ...photoColumns })
    .from(listingPhotos)
    .innerJoin(mediaAssets, eq(mediaAssets.id, listingPhotos.mediaId))
    .where(and(inArray(listingPhotos.listingId, listingIds), eq(listingPhotos.position, 0)));
  return new Map(rows.map(({ listingId, ...photo }) => [listingId, photo]));
}

const certificationTypeOrder = sql`array_position(${sql.raw(
  `ARRAY[${CERTIFICATION_TYPES.map((t) => `'${t}'`).join(",")}]::certification_type[]`,
)}, ${listingCertifications.type})`;

/** Certificates that count on `today`: from validFrom (when set) through validUntil, inclusive. */
const validOn = (today: string) =>
  and(
    gte(listingCertifications.validUntil, today),
    or(isNull(listingCertifications.validFrom), lte(listingCertifications.validFrom, today)),
  );

// ---------------------------------------------------------------- writing

/**
 * A new listing of the stall, a draft unless `status: "active"` (which needs at
 * least one photo and something to sell). Photos are stored first (each one
 * through app/media), then the listing, its photos and certifications are
 * written in one transaction; on any failure nothing is left behind.
 * Throws ListingError (invalid_input, too_many_photos, photo_required,
 * no_stock, not_found for an unknown stall) or PhotoError from app/media.
 */
export async function createListing(
  db: Database,
  {
    stallId,
    userId,
    input,
    photos = [],
    status = "draft",
  }: {
    stallId: string;
    /** Who uploads the photos (the farmer, or an officer on their behalf). */
    userId?: string | null;
    input: ListingInput;
    photos?: readonly PhotoSource[];
    status?: "draft" | "active";
  },
): Promise<SellerListing> {
  const values = checkedInput(input);
  if (photos.length > MAX_PHOTOS) throw new ListingError("too_many_photos");
  if (status === "active") {
    if (photos.length === 0) throw new ListingError("photo_required");
    if (!isSellable(values)) throw new ListingError("no_stock");
  }
  if (!isUuid(stallId)) throw new ListingError("not_found");
  const [stall] = await db.select({ id: stalls.id }).from(stalls).where(eq(stalls.id, stallId));
  if (!stall) throw new ListingError("not_found");
  // An id chosen on the phone (app/offline): used once, by this stall.
  const id = input.id;
  if (id !== undefined) await refuseTakenId(db, id, stallId);

  const { assets, since } = await storePhotos(db, photos, userId);
  try {
    const listingId = await withSlugRetry(() =>
      db.transaction(async (tx) => {
        const slug = await uniqueSlug(tx, stallId, values.title);
        const position = await nextPosition(tx, stallId);
        const [row] = await tx
          .insert(listings)
          .values({
            ...(id ? { id } : {}),
            stallId,
            slug,
            status,
            position,
            ...(status === "active" ? { firstPublishedAt: sql`now()` } : {}),
            ...listingColumns(values),
          })
          .returning({ id: listings.id });
        if (assets.length > 0) {
          await tx
            .insert(listingPhotos)
            .values(assets.map((a, i) => ({ listingId: row.id, mediaId: a.id, position: i })));
        }
        await insertCertifications(tx, row.id, values.certifications);
        return row.id;
      }),
    );
    return (await getSellerListing(db, { listingId, stallId }))!;
  } catch (error) {
    await releasePhotos(db, assets, since);
    // The same id created at the same moment by another request.
    if (id !== undefined && isUniqueViolation(error, "listings_pkey")) await refuseTakenId(db, id, stallId);
    throw error;
  }
}

async function refuseTakenId(db: Database, id: string, stallId: string) {
  if (!isUuid(id)) throw new ListingError("invalid_input", { fields: { id: "errors.id.invalid" } });
  const [taken] = await db.select({ stallId: listings.stallId }).from(listings).where(eq(listings.id, id));
  if (taken) throw new ListingError(taken.stallId === stallId ? "already_created" : "id_taken");
}

/**
 * Replaces the listing's details and certifications (the edit form sends the
 * whole list). The slug follows a new title only until the listing first goes
 * on sale: a draft again after being archived and restored keeps its address.
 * Stock decides between active and sold out: an active listing left with
 * nothing to sell becomes sold_out, and a sold-out one that gets stock back
 * becomes active again. Paused, draft and archived stay as they are.
 */
export async function updateListing(
  db: Database,
  { listingId, stallId, input }: { listingId: string; stallId: string; input: ListingInput },
): Promise<SellerListing> {
  const values = checkedInput(input);
  await withSlugRetry(() =>
    db.transaction(async (tx) => {
      const current = await lockListing(tx, listingId, stallId);
      const slug =
        current.firstPublishedAt === null && values.title !== current.title
          ? await uniqueSlug(tx, stallId, values.title, current.id)
          : current.slug;
      let status = current.status;
      if (status === "active" && !isSellable(values)) status = "sold_out";
      else if (status === "sold_out" && !isSellable(current) && isSellable(values)) status = "active";
      await tx
        .update(listings)
        .set({ ...listingColumns(values), slug, status })
        .where(eq(listings.id, current.id));
      await tx.delete(listingCertifications).where(eq(listingCertifications.listingId, current.id));
      await insertCertifications(tx, current.id, values.certifications);
    }),
  );
  return (await getSellerListing(db, { listingId, stallId }))!;
}

/**
 * Moves a listing along LISTING_TRANSITIONS (draft → active → paused/sold_out,
 * anything → archived, archived → draft). Becoming active needs a photo, a
 * valid price and something to sell. Setting the status it already has is a
 * no-op (a double tap on a slow phone).
 */
export async function setListingStatus(
  db: Database,
  { listingId, stallId, status }: { listingId: string; stallId: string; status: ListingStatus },
): Promise<SellerListing> {
  await db.transaction(async (tx) => {
    const current = await lockListing(tx, listingId, stallId);
    if (current.status === status) return;
    if (!(LISTING_STATUSES as readonly string[]).includes(status) || !canTransition(current.status, status)) {
      throw new ListingError("illegal_transition", { from: current.status, to: String(status) });
    }
    if (status === "active") {
      const [{ photos }] = await tx
        .select({ photos: sql<number>`count(*)`.mapWith(Number) })
        .from(listingPhotos)
        .where(eq(listingPhotos.listingId, current.id));
      if (photos === 0) throw new ListingError("photo_required");
      if (!Number.isSafeInteger(current.priceDong) || current.priceDong < 1 || current.priceDong > MAX_PRICE_DONG) {
        throw new ListingError("invalid_price");
      }
      if (!isSellable(current)) throw new ListingError("no_stock");
    }
    await tx
      .update(listings)
      .set({
        status,
        ...(status === "active" ? { firstPublishedAt: sql`coalesce(${listings.firstPublishedAt}, now())` } : {}),
      })
      .where(eq(listings.id, current.id));
  });
  return (await getSellerListing(db, { listingId, stallId }))!;
}

/** "Vải thiều" → "Vải thiều (bản sao)", shortened to fit; a copy of a copy keeps one suffix. */
function copyTitle(title: string, label: string): string {
  const suffix = ` (${label})`;
  if (title.endsWith(suffix)) return title;
  return `${title.slice(0, TITLE_MAX - suffix.length).trimEnd()}${suffix}`;
}

/**
 * A new draft with the same details, photos (the same media rows: photos are
 * content-addressed and shared) and certifications, titled "… (bản sao)" with
 * a slug of its own. `copyLabel` lets an English page say "copy".
 */
export async function duplicateListing(
  db: Database,
  { listingId, stallId, copyLabel = "bản sao" }: { listingId: string; stallId: string; copyLabel?: string },
): Promise<SellerListing> {
  const newId = await withSlugRetry(() =>
    db.transaction(async (tx) => {
      const source = await lockListing(tx, listingId, stallId);
      const title = copyTitle(source.title, copyLabel);
      const slug = await uniqueSlug(tx, stallId, title);
      const position = await nextPosition(tx, stallId);
      const [row] = await tx
        .insert(listings)
        .values({
          stallId,
          slug,
          title,
          status: "draft",
          position,
          description: source.description,
          category: source.category,
          unit: source.unit,
          priceDong: source.priceDong,
          minOrderQty: source.minOrderQty,
          madeToOrder: source.madeToOrder,
          stockQty: source.stockQty,
          availableFrom: source.availableFrom,
          availableUntil: source.availableUntil,
          preorder: source.preorder,
          preorderCapacity: source.preorderCapacity,
          leadTimeDays: source.leadTimeDays,
          weightGrams: source.weightGrams,
          packageLengthCm: source.packageLengthCm,
          packageWidthCm: source.packageWidthCm,
          packageHeightCm: source.packageHeightCm,
        })
        .returning({ id: listings.id });
      const photos = await tx
        .select({ mediaId: listingPhotos.mediaId, position: listingPhotos.position, alt: listingPhotos.alt })
        .from(listingPhotos)
        .where(eq(listingPhotos.listingId, source.id));
      if (photos.length > 0) {
        await tx.insert(listingPhotos).values(photos.map((p) => ({ ...p, listingId: row.id })));
      }
      const certs = await tx
        .select()
        .from(listingCertifications)
        .where(eq(listingCertifications.listingId, source.id))
        .orderBy(asc(listingCertifications.createdAt), asc(listingCertifications.id));
      await insertCertifications(tx, row.id, certs);
      return row.id;
    }),
  );
  return (await getSellerListing(db, { listingId: newId, stallId }))!;
}

// ---------------------------------------------------------------- photos

/**
 * Adds photos after the existing ones. More than MAX_PHOTOS in total is
 * refused before anything is stored. A photo the listing already has is not
 * added twice. Returns the listing's photos in order.
 */
export async function addPhotos(
  db: Database,
  {
    listingId,
    stallId,
    userId,
    photos,
  }: { listingId: string; stallId: string; userId?: string | null; photos: readonly PhotoSource[] },
): Promise<ListingPhoto[]> {
  const listing = await findListing(db, listingId, stallId);
  if (!listing) throw new ListingError("not_found");
  const present = await photoIdsInOrder(db, listing.id);
  if (present.length + photos.length > MAX_PHOTOS) throw new ListingError("too_many_photos");
  if (photos.length === 0) return photosOf(db, listing.id);

  const { assets, since } = await storePhotos(db, photos, userId);
  try {
    await db.transaction(async (tx) => {
      await lockListing(tx, listing.id, stallId);
      // Counted again under the lock: another upload may have landed meanwhile.
      const current = await photoIdsInOrder(tx, listing.id);
      const fresh = assets.filter((a) => !current.includes(a.id));
      if (current.length + fresh.length > MAX_PHOTOS) throw new ListingError("too_many_photos");
      if (fresh.length > 0) {
        await tx
          .insert(listingPhotos)
          .values(fresh.map((a, i) => ({ listingId: listing.id, mediaId: a.id, position: current.length + i })));
        // As every other photo change: the feeds' version (app/exports) moves with updated_at.
        await tx.update(listings).set({ updatedAt: new Date() }).where(eq(listings.id, listing.id));
      }
    });
  } catch (error) {
    await releasePhotos(db, assets, since);
    throw error;
  }
  return photosOf(db, listing.id);
}

/**
 * Takes a photo off the listing, then deletes the photo itself unless another
 * listing (a duplicate) still shows it. An active or sold-out listing keeps
 * its last photo ("last_photo"): pause it first, or add another.
 */
export async function removePhoto(
  db: Database,
  { listingId, stallId, mediaId }: { listingId: string; stallId: string; mediaId: string },
): Promise<ListingPhoto[]> {
  await db.transaction(async (tx) => {
    const { listing, ids } = await lockListingPhotos(tx, listingId, stallId, mediaId);
    if (ids.length === 1 && (PUBLIC_LISTING_STATUSES as readonly string[]).includes(listing.status)) {
      throw new ListingError("last_photo");
    }
    await tx
      .delete(listingPhotos)
      .where(and(eq(listingPhotos.listingId, listing.id), eq(listingPhotos.mediaId, mediaId)));
    await renumberPhotos(
      tx,
      listing.id,
      ids.filter((id) => id !== mediaId),
    );
    await tx.update(listings).set({ updatedAt: new Date() }).where(eq(listings.id, listing.id));
  });
  try {
    await deletePhotoIfUnused(db, mediaId);
  } catch (error) {
    // The listing no longer shows it; the file is only an orphan to sweep later.
    logger.warn({ err: error, mediaId }, "could not delete a removed photo");
  }
  return photosOf(db, listingId);
}

/** Puts the photos in this order; `mediaIds` must be exactly the listing's photos (else "invalid_photo_order"). */
export async function reorderPhotos(
  db: Database,
  { listingId, stallId, mediaIds }: { listingId: string; stallId: string; mediaIds: readonly string[] },
): Promise<ListingPhoto[]> {
  await db.transaction(async (tx) => {
    const listing = await lockListing(tx, listingId, stallId);
    const ids = await photoIdsInOrder(tx, listing.id);
    const isPermutation =
      mediaIds.length === ids.length &&
      new Set(mediaIds).size === ids.length &&
      mediaIds.every((id) => ids.includes(id));
    if (!isPermutation) throw new ListingError("invalid_photo_order");
    await renumberPhotos(tx, listing.id, mediaIds);
    await tx.update(listings).set({ updatedAt: new Date() }).where(eq(listings.id, listing.id));
  });
  return photosOf(db, listingId);
}

/** Swaps a photo with its neighbour ("earlier" or "later"); at either end nothing moves. */
export async function movePhoto(
  db: Database,
  {
    listingId,
    stallId,
    mediaId,
    direction,
  }: { listingId: string; stallId: string; mediaId: string; direction: "earlier" | "later" },
): Promise<ListingPhoto[]> {
  await db.transaction(async (tx) => {
    const { listing, ids } = await lockListingPhotos(tx, listingId, stallId, mediaId);
    const from = ids.indexOf(mediaId);
    const to = from + (direction === "earlier" ? -1 : 1);
    if (to < 0 || to >= ids.length) return;
    [ids[from], ids[to]] = [ids[to], ids[from]];
    await renumberPhotos(tx, listing.id, ids);
    await tx.update(listings).set({ updatedAt: new Date() }).where(eq(listings.id, listing.id));
  });
  return photosOf(db, listingId);
}

/** Makes a photo the cover (position 0); the others keep their order. */
export async function setCoverPhoto(
  db: Database,
  { listingId, stallId, mediaId }: { listingId: string; stallId: string; mediaId: string },
): Promise<ListingPhoto[]> {
  await db.transaction(async (tx) => {
    const { listing, ids } = await lockListingPhotos(tx, listingId, stallId, mediaId);
    await renumberPhotos(tx, listing.id, [mediaId, ...ids.filter((id) => id !== mediaId)]);
    await tx.update(listings).set({ updatedAt: new Date() }).where(eq(listings.id, listing.id));
  });
  return photosOf(db, listingId);
}

// ---------------------------------------------------------------- reading (seller)

/**
 * The stall's listings for its seller, in stall-page order with archived ones
 * last; `statuses` narrows the list (e.g. everything but archived).
 */
export async function listStallListings(
  db: Database,
  stallId: string,
  { statuses }: { statuses?: readonly ListingStatus[] } = {},
): Promise<SellerListingSummary[]> {
  if (!isUuid(stallId) || statuses?.length === 0) return [];
  const rows = await db
    .select({
      id: listings.id,
      slug: listings.slug,
      title: listings.title,
      category: listings.category,
      unit: listings.unit,
      priceDong: listings.priceDong,
      stockQty: listings.stockQty,
      madeToOrder: listings.madeToOrder,
      preorder: listings.preorder,
      status: listings.status,
      position: listings.position,
      updatedAt: listings.updatedAt,
      photoCount:
        sql<number>`(select count(*) from ${listingPhotos} where ${listingPhotos.listingId} = ${listings.id})`.mapWith(
          Number,
        ),
    })
    .from(listings)
    .where(and(eq(listings.stallId, stallId), statuses ? inArray(listings.status, [...statuses]) : undefined))
    .orderBy(sql`${listings.status} = 'archived'`, asc(listings.position), desc(listings.createdAt), asc(listings.id));
  const covers = await coversOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({ ...r, cover: covers.get(r.id) ?? null }));
}

/** One listing of the stall with its photos in order and all its certifications; null outside the stall. */
export async function getSellerListing(
  db: Database,
  { listingId, stallId }: { listingId: string; stallId: string },
): Promise<SellerListing | null> {
  const listing = await findListing(db, listingId, stallId);
  if (!listing) return null;
  const [photos, certifications] = await Promise.all([
    photosOf(db, listing.id),
    db
      .select()
      .from(listingCertifications)
      .where(eq(listingCertifications.listingId, listing.id))
      .orderBy(certificationTypeOrder, desc(listingCertifications.validUntil), asc(listingCertifications.id)),
  ]);
  return { ...listing, photos, certifications };
}

// ---------------------------------------------------------------- reading (public)

const publicListingColumns = {
  id: listings.id,
  slug: listings.slug,
  title: listings.title,
  description: listings.description,
  category: listings.category,
  unit: listings.unit,
  priceDong: listings.priceDong,
  minOrderQty: listings.minOrderQty,
  madeToOrder: listings.madeToOrder,
  stockQty: listings.stockQty,
  availableFrom: listings.availableFrom,
  availableUntil: listings.availableUntil,
  preorder: listings.preorder,
  preorderCapacity: listings.preorderCapacity,
  leadTimeDays: listings.leadTimeDays,
  status: listings.status,
  updatedAt: listings.updatedAt,
};

const isPublicStatus = (s: ListingStatus): s is "active" | "sold_out" =>
  (PUBLIC_LISTING_STATUSES as readonly string[]).includes(s);

/**
 * The product page: a listing that is on sale or sold out, of a published
 * stall, with its photos and the certificates valid today in Vietnam. Draft,
 * paused and archived listings, and any listing of an unpublished stall, are null.
 */
export async function getPublicProduct(
  db: Database,
  { stallId, productSlug, today = todayInVietnam() }: { stallId: string; productSlug: string; today?: string },
): Promise<PublicProduct | null> {
  const [listing] = await db
    .select(publicListingColumns)
    .from(listings)
    .where(
      and(
        eq(listings.stallId, stallId),
        eq(listings.slug, productSlug),
        inArray(listings.status, [...PUBLIC_LISTING_STATUSES]),
      ),
    );
  if (!listing || !isPublicStatus(listing.status)) return null;
  const [photos, certifications] = await Promise.all([
    photosOf(db, listing.id),
    db
      .select({
        type: listingCertifications.type,
        number: listingCertifications.number,
        issuer: listingCertifications.issuer,
        ocopStars: listingCertifications.ocopStars,
        validFrom: listingCertifications.validFrom,
        validUntil: listingCertifications.validUntil,
      })
      .from(listingCertifications)
      .where(and(eq(listingCertifications.listingId, listing.id), validOn(today)))
      .orderBy(certificationTypeOrder, desc(listingCertifications.validUntil), asc(listingCertifications.id)),
  ]);
  return { listing: { ...listing, status: listing.status }, photos, certifications };
}

/**
 * The products on a stall page: on sale first, then sold out, each in the
 * seller's order; nothing when the stall is not published.
 */
export async function listPublicStallListings(
  db: Database,
  stallId: string,
  { today = todayInVietnam() }: { today?: string } = {},
): Promise<PublicListingCard[]> {
  if (!isUuid(stallId)) return [];
  return toPublicCards(await publicStallListingsQuery(db).execute({ stallId, today }));
}

/**
 * The stall page's products, their cover photos and certificate badges in one
 * prepared statement: the page is the one buyers and crawlers hit most, and
 * on the embedded engine each round trip costs about a millisecond.
 */
/**
 * The columns of a product card: the listing, its stall's slug and name, the
 * cover photo (listing_photos and media_assets joined as in `publicCards`) and
 * the certificate badges valid `today` (a value, or a placeholder for a
 * prepared statement). Shared by the stall page, the home page and search.
 */
export function publicCardColumns(today: unknown) {
  // Distinct types (an OCOP badge per star level), valid today, in catalog order.
  const badges = sql<{ type: CertificationType; ocopStars: number | null }[] | null>`(
    SELECT json_agg(json_build_object('type', b.type, 'ocopStars', b.ocop_stars) ORDER BY b.type_order, b.ocop_stars DESC NULLS LAST)
    FROM (
      SELECT DISTINCT ${listingCertifications.type} AS type, ${listingCertifications.ocopStars} AS ocop_stars,
        ${certificationTypeOrder} AS type_order
      FROM ${listingCertifications}
      WHERE ${listingCertifications.listingId} = ${listings.id}
        AND ${listingCertifications.validUntil} >= ${today}::date
        AND (${listingCertifications.validFrom} IS NULL OR ${listingCertifications.validFrom} <= ${today}::date)
    ) b
  )`;
  return {
    id: listings.id,
    slug: listings.slug,
    title: listings.title,
    category: listings.category,
    unit: listings.unit,
    priceDong: listings.priceDong,
    status: listings.status,
    madeToOrder: listings.madeToOrder,
    stockQty: listings.stockQty,
    preorder: listings.preorder,
    availableFrom: listings.availableFrom,
    availableUntil: listings.availableUntil,
    stallSlug: stalls.slug,
    stallName: stalls.name,
    cover: {
      mediaId: mediaAssets.id,
      ...photoRefColumns(),
      position: listingPhotos.position,
      alt: listingPhotos.alt,
    },
    badges,
  };
}

/** A row of `publicCardColumns` as a card, or null when buyers may not see it. */
export function toPublicCard<
  R extends {
    status: ListingStatus;
    cover: { mediaId: string | null } | null;
    badges: PublicListingCard["badges"] | null;
  },
>(row: R) {
  const { cover, badges, status, ...rest } = row;
  if (!isPublicStatus(status)) return null;
  // A left join with no photo gives a cover whose columns are all null.
  return { ...rest, status, cover: cover?.mediaId ? (cover as ListingPhoto) : null, badges: badges ?? [] };
}

/**
 * Listings as product cards of published stalls, on sale or sold out; callers
 * add their own filter and order. `today` is a placeholder, so the statement
 * can be prepared.
 */
function publicCards(db: Database) {
  return (
    db
      .select(publicCardColumns(sql.placeholder("today")))
      .from(listings)
      .innerJoin(stalls, eq(stalls.id, listings.stallId))
      // The cover is the photo at position 0.
      .leftJoin(listingPhotos, and(eq(listingPhotos.listingId, listings.id), eq(listingPhotos.position, 0)))
      .leftJoin(mediaAssets, eq(mediaAssets.id, listingPhotos.mediaId))
      .$dynamic()
  );
}

const isPublicCard = and(eq(stalls.status, "published"), inArray(listings.status, [...PUBLIC_LISTING_STATUSES]));

type PublicCardRow = Awaited<ReturnType<ReturnType<typeof publicCards>["execute"]>>[number];

const toPublicCards = (rows: PublicCardRow[]) => rows.flatMap((row) => toPublicCard(row) ?? []);

const publicStallListingsQuery = perDatabase((db: Database) =>
  publicCards(db)
    .where(and(eq(listings.stallId, sql.placeholder("stallId")), isPublicCard))
    .orderBy(sql`${listings.status} <> 'active'`, asc(listings.position), desc(listings.createdAt), asc(listings.id))
    .prepare("public_stall_listings"),
);

/**
 * Products in season today (their harvest window holds today), on sale, from
 * any published stall: the home page's "đang vào mùa". Those whose season ends
 * soonest first, so buyers see what will not last.
 */
export async function listInSeasonListings(
  db: Database,
  { today = todayInVietnam(), limit = 12 }: { today?: string; limit?: number } = {},
): Promise<(PublicListingCard & { stallSlug: string; stallName: string })[]> {
  const rows = await inSeasonQuery(db).execute({ today, limit: Math.min(Math.max(1, Math.trunc(limit)), 48) });
  return toPublicCards(rows);
}

const inSeasonQuery = perDatabase((db: Database) => {
  const today = sql.placeholder("today");
  return publicCards(db)
    .where(
      and(
        isPublicCard,
        eq(listings.status, "active"),
        sql`(${listings.availableFrom} IS NOT NULL OR ${listings.availableUntil} IS NOT NULL)`,
        sql`(${listings.availableFrom} IS NULL OR ${listings.availableFrom} <= ${today}::date)`,
        sql`(${listings.availableUntil} IS NULL OR ${listings.availableUntil} >= ${today}::date)`,
      ),
    )
    .orderBy(sql`${listings.availableUntil} ASC NULLS LAST`, desc(listings.createdAt), asc(listings.id))
    .limit(sql.placeholder("limit"))
    .prepare("in_season_listings");
});
