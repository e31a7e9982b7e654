/**
 * The one Drizzle schema. Both drivers (PGlite and postgres.js) use it, and
 * `drizzle-kit generate` turns changes into the SQL files in db/migrations.
 *
 * Conventions: ids are uuid; money is integer đồng (bigint where it can grow);
 * timestamps are timestamptz; admin-unit codes are zero-padded strings.
 */
import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  jsonb,
  serial,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import {
  CERTIFICATION_TYPES,
  DELIVERY_METHODS,
  LISTING_STATUSES,
  OFFICER_ACCESS_LEVELS,
  ORDER_ACTOR_ROLES,
  ORDER_STATUSES,
  PAYMENT_ATTEMPT_STATUSES,
  PAYMENT_METHODS,
  USER_ROLES,
} from "./vocabulary";

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updatedAt = () =>
  timestamp("updated_at", { withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date());

/** lower(f_unaccent(col)): the folded form diacritic-insensitive search compares against. */
export const folded = (column: unknown) => sql`lower(f_unaccent(${column}))`;

// ---------------------------------------------------------------- admin units

export const provinces = pgTable(
  "provinces",
  {
    code: text("code").primaryKey(),
    name: text("name").notNull(),
    nameEn: text("name_en").notNull(),
    fullName: text("full_name").notNull(),
    fullNameEn: text("full_name_en").notNull(),
    codeName: text("code_name").notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [index("provinces_name_search_idx").using("gin", sql`lower(f_unaccent(${t.name})) gin_trgm_ops`)],
);

export const communes = pgTable(
  "communes",
  {
    code: text("code").primaryKey(),
    provinceCode: text("province_code")
      .notNull()
      .references(() => provinces.code),
    name: text("name").notNull(),
    nameEn: text("name_en").notNull(),
    fullName: text("full_name").notNull(),
    fullNameEn: text("full_name_en").notNull(),
    codeName: text("code_name").notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("communes_province_idx").on(t.provinceCode),
    index("communes_name_search_idx").using("gin", sql`lower(f_unaccent(${t.name})) gin_trgm_ops`),
  ],
);

/** Which admin-unit dataset is loaded, and what each load changed. */
export const adminUnitDatasets = pgTable("admin_unit_datasets", {
  id: serial("id").primaryKey(),
  version: text("version").notNull(),
  source: text("source").notNull(),
  provinces: integer("provinces").notNull(),
  communes: integer("communes").notNull(),
  added: integer("added").notNull().default(0),
  changed: integer("changed").notNull().default(0),
  loadedAt: timestamp("loaded_at", { withTimezone: true }).notNull().defaultNow(),
});

// ---------------------------------------------------------------- accounts

export const userRole = pgEnum("user_role", USER_ROLES);

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** E.164, e.g. +84912345678. */
    phone: text("phone").notNull(),
    /** scrypt, "scrypt$N$r$p$salt$hash"; null for accounts made by an officer before hand-over. */
    passwordHash: text("password_hash"),
    fullName: text("full_name").notNull(),
    role: userRole("role").notNull().default("buyer"),
    locale: text("locale").notNull().default("vi"),
    /** When the owner last proved they hold the phone (an SMS code); null: never proved (ADR 016). */
    phoneConfirmedAt: timestamp("phone_confirmed_at", { withTimezone: true }),
    /** An officer an admin deactivated: cannot sign in; their delegations lapsed (ADR 026). */
    deactivatedAt: timestamp("deactivated_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("users_phone_idx").on(t.phone)],
);

/** A database session. The cookie carries a random token; only its SHA-256 is stored here. */
export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    ip: text("ip"),
    userAgent: text("user_agent"),
    createdAt: createdAt(),
  },
  (t) => [index("sessions_user_idx").on(t.userId), index("sessions_expires_idx").on(t.expiresAt)],
);

/** One-time codes sent by SMS (log in, sign up, reset a password); stored hashed, short-lived, few attempts. */
export const oneTimeCodes = pgTable(
  "one_time_codes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    phone: text("phone").notNull(),
    purpose: text("purpose").notNull().default("login"),
    codeHash: text("code_hash").notNull(),
    attempts: integer("attempts").notNull().default(0),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    consumedAt: timestamp("consumed_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index("one_time_codes_phone_idx").on(t.phone, t.purpose)],
);

/**
 * A proved phone: what a browser holds between verifying an SMS code and the
 * one step it allows (create the account, set a password). The cookie carries
 * a random token; the id is its SHA-256. Single use, 15 minutes (ADR 016).
 */
export const phoneProofs = pgTable(
  "phone_proofs",
  {
    id: text("id").primaryKey(),
    /** E.164. */
    phone: text("phone").notNull(),
    /** The one next step it allows: "create-account" or "set-password". */
    allows: text("allows").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index("phone_proofs_expires_idx").on(t.expiresAt)],
);

/** Fixed-window counters shared by every app instance (login, signup, code requests). */
export const rateLimits = pgTable("rate_limits", {
  key: text("key").primaryKey(),
  count: integer("count").notNull(),
  resetAt: timestamp("reset_at", { withTimezone: true }).notNull(),
});

// ---------------------------------------------------------------- households and stalls

export const householdKind = pgEnum("household_kind", ["household", "cooperative"]);

/**
 * How far a household got in the onboarding wizard: the step it resumes at.
 * "done" once its stall has been published (later edits go through the same
 * screens from the seller dashboard). Officers' progress reports read it.
 */
export const onboardingStep = pgEnum("onboarding_step", [
  "household",
  "stall",
  "product",
  "payment",
  "delivery",
  "review",
  "done",
]);

export const households = pgTable(
  "households",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: householdKind("kind").notNull().default("household"),
    /** "Họ và tên" of the representative, or the cooperative's name. */
    name: text("name").notNull(),
    /** The farmer's account; null while an officer onboards before hand-over. */
    ownerUserId: uuid("owner_user_id").references(() => users.id, { onDelete: "set null" }),
    /** Who created the record (the farmer, or an officer on their behalf). */
    createdByUserId: uuid("created_by_user_id").references(() => users.id, { onDelete: "set null" }),
    phone: text("phone"),
    provinceCode: text("province_code")
      .notNull()
      .references(() => provinces.code),
    communeCode: text("commune_code")
      .notNull()
      .references(() => communes.code),
    /** Hamlet (thôn/xóm), street and house number. */
    addressLine: text("address_line").notNull().default(""),
    onboardingStep: onboardingStep("onboarding_step").notNull().default("stall"),
    /** When onboarding_step last changed (set by a trigger): "stuck" counts from here (ADR 027). */
    stepReachedAt: timestamp("step_reached_at", { withTimezone: true }).notNull().defaultNow(),
    /** When the farmer took over an account an officer made (set a password on their own phone). */
    handedOverAt: timestamp("handed_over_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("households_commune_idx").on(t.communeCode, t.onboardingStep),
    index("households_owner_idx").on(t.ownerUserId),
    index("households_created_by_idx").on(t.createdByUserId),
  ],
);

export const shippingFeeMode = pgEnum("shipping_fee_mode", ["flat", "per_kg"]);

export const stallStatus = pgEnum("stall_status", ["draft", "published", "unpublished"]);

export const stalls = pgTable(
  "stalls",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    householdId: uuid("household_id")
      .notNull()
      .references(() => households.id, { onDelete: "cascade" }),
    /** Public link /s/:slug: lowercase ASCII, stable once published (QR codes are printed). */
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    /** Wide photo at the top of the stall page (same pipeline as listing photos). */
    bannerMediaId: uuid("banner_media_id").references((): AnyPgColumn => mediaAssets.id, { onDelete: "restrict" }),
    status: stallStatus("status").notNull().default("draft"),
    /** First publication: from then on the slug is fixed (QR posters are printed). */
    publishedAt: timestamp("published_at", { withTimezone: true }),

    // Payment methods the farmer accepts. Cash on delivery is on unless turned off.
    codEnabled: boolean("cod_enabled").notNull().default(true),
    /** VietQR (NAPAS 247) transfer straight to the farmer's own account. */
    vietqrEnabled: boolean("vietqr_enabled").notNull().default(false),
    /** NAPAS bank identification number (6 digits), e.g. 970436 for Vietcombank. */
    bankBin: text("bank_bin"),
    bankAccountNumber: text("bank_account_number"),
    /** As banks print it: upper case, no diacritics. */
    bankAccountName: text("bank_account_name"),
    /**
     * Online payments collected by the platform, which then owes the farmer
     * (the ledger): offered only when the deployment configures the provider
     * (VNPAY_*, STRIPE_*) and the farmer opts in.
     */
    vnpayEnabled: boolean("vnpay_enabled").notNull().default(false),
    stripeEnabled: boolean("stripe_enabled").notNull().default(false),

    // Delivery options.
    pickupEnabled: boolean("pickup_enabled").notNull().default(false),
    pickupAddress: text("pickup_address").notNull().default(""),
    pickupHours: text("pickup_hours").notNull().default(""),
    localDeliveryEnabled: boolean("local_delivery_enabled").notNull().default(false),
    /** Commune codes the farmer delivers to themselves. */
    localDeliveryCommunes: text("local_delivery_communes")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    localDeliveryFeeDong: integer("local_delivery_fee_dong").notNull().default(0),
    shippingEnabled: boolean("shipping_enabled").notNull().default(false),
    shippingFeeMode: shippingFeeMode("shipping_fee_mode").notNull().default("flat"),
    /** Per order (flat) or per started kilogram (per_kg). */
    shippingFeeDong: integer("shipping_fee_dong").notNull().default(0),

    // Stripe Connect Express (only when the deployment sets STRIPE_CONNECT=true).
    /** acct_…: the farmer's connected account, card charges pay it directly. */
    stripeAccountId: text("stripe_account_id"),
    /** From Stripe's `account.updated`: the account may take charges. */
    stripeChargesEnabled: boolean("stripe_charges_enabled").notNull().default(false),
    /**
     * When Stripe turned the account's charges off after they had been on
     * (`account.updated`); null while they are on, or were never on. The
     * farmer's notice reads it.
     */
    stripeChargesStoppedAt: timestamp("stripe_charges_stopped_at", { withTimezone: true }),

    // Marketplace feeds (/feeds/:slug/*, app/exports).
    /** Private feeds answer only with `?token=feedToken`; public ones to anyone. */
    feedsPrivate: boolean("feeds_private").notNull().default(false),
    /**
     * The private feeds' secret (32 random bytes, base64url). Kept as it is,
     * not hashed: the farmer copies the feed URL from the dashboard again and
     * again, as with a calendar's secret address. Null while private = revoked
     * (every request answers 404 until a new one is made).
     */
    feedToken: text("feed_token"),

    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("stalls_fees_nonnegative", sql`${t.localDeliveryFeeDong} >= 0 AND ${t.shippingFeeDong} >= 0`),
    check(
      "stalls_vietqr_complete",
      sql`NOT ${t.vietqrEnabled} OR (${t.bankBin} IS NOT NULL AND ${t.bankAccountNumber} IS NOT NULL AND ${t.bankAccountName} IS NOT NULL)`,
    ),
    uniqueIndex("stalls_slug_idx").on(t.slug),
    uniqueIndex("stalls_stripe_account_idx")
      .on(t.stripeAccountId)
      .where(sql`${t.stripeAccountId} IS NOT NULL`),
    index("stalls_household_idx").on(t.householdId),
    index("stalls_name_search_idx").using("gin", sql`lower(f_unaccent(${t.name})) gin_trgm_ops`),
  ],
);

// ---------------------------------------------------------------- photos

/**
 * A processed photo. Files live in object storage (local folder or S3) under
 * keys derived from the content hash: photos/<hash>/<width>.<avif|webp|jpg>.
 * The same upload twice is one row and one set of files.
 */
export const mediaAssets = pgTable(
  "media_assets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** SHA-256 (hex) of the uploaded bytes. */
    hash: text("hash").notNull(),
    /** Of the auto-oriented original. */
    width: integer("width").notNull(),
    height: integer("height").notNull(),
    /** Variant widths stored (320/640/1280, fewer when the photo is smaller). */
    widths: integer("widths").array().notNull(),
    /** "#rrggbb", painted while the photo loads. */
    dominantColor: text("dominant_color").notNull(),
    /** A tiny blurred WebP as a data: URI. */
    placeholder: text("placeholder").notNull(),
    bytes: integer("bytes").notNull(),
    uploadedByUserId: uuid("uploaded_by_user_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("media_assets_hash_idx").on(t.hash)],
);

// ---------------------------------------------------------------- listings

export const listingStatus = pgEnum("listing_status", LISTING_STATUSES);

export const listings = pgTable(
  "listings",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    stallId: uuid("stall_id")
      .notNull()
      .references(() => stalls.id, { onDelete: "cascade" }),
    /** Unique within the stall: /s/:stallSlug/:productSlug. */
    slug: text("slug").notNull(),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    /** A code of the fixed category list (app/listings/catalog.ts). */
    category: text("category").notNull(),
    /** A code of the fixed unit list (kg, bo, chuc, …). */
    unit: text("unit").notNull(),
    /** Integer đồng per unit. */
    priceDong: integer("price_dong").notNull(),
    minOrderQty: integer("min_order_qty").notNull().default(1),
    /** Made to order: no stock is counted. */
    madeToOrder: boolean("made_to_order").notNull().default(false),
    stockQty: integer("stock_qty").notNull().default(0),
    /** Harvest window (Vietnam dates). */
    availableFrom: date("available_from"),
    availableUntil: date("available_until"),
    /** Orders are taken before the harvest, up to the capacity. */
    preorder: boolean("preorder").notNull().default(false),
    preorderCapacity: integer("preorder_capacity"),
    status: listingStatus("status").notNull().default("draft"),
    /**
     * When the listing first went on sale. From then on its slug (its address,
     * shared on Zalo and printed on posters) never changes, whatever its
     * status or title later (ADR 032).
     */
    firstPublishedAt: timestamp("first_published_at", { withTimezone: true }),
    /** Order on the stall page (ascending). */
    position: integer("position").notNull().default(0),

    // What marketplaces ask for and the stall page does not (app/exports); all optional.
    /** Made to order: days from the order until it is ready. */
    leadTimeDays: integer("lead_time_days"),
    /** Grams in one selling unit, where the unit is not a weight (a bó, a thùng, a quả). */
    weightGrams: integer("weight_grams"),
    /** The packed unit's size in whole centimetres. */
    packageLengthCm: integer("package_length_cm"),
    packageWidthCm: integer("package_width_cm"),
    packageHeightCm: integer("package_height_cm"),

    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("listings_stall_slug_idx").on(t.stallId, t.slug),
    index("listings_stall_status_idx").on(t.stallId, t.status, t.position),
    // Buyer search (app/catalog, ADR 013): trigram indexes on the folded text
    // serve both substring (LIKE) and typo (word similarity) matches, the one
    // on the unfolded title finds the words as typed, with their diacritics;
    // the btree ones are walked in the order of each sort.
    index("listings_title_search_idx").using("gin", sql`lower(f_unaccent(${t.title})) gin_trgm_ops`),
    index("listings_title_typed_idx").using("gin", sql`lower(${t.title}) gin_trgm_ops`),
    index("listings_text_search_idx").using(
      "gin",
      sql`lower(f_unaccent(${t.title} || ' ' || ${t.description})) gin_trgm_ops`,
    ),
    index("listings_created_idx").on(t.createdAt, t.id),
    index("listings_category_created_idx").on(t.category, t.createdAt, t.id),
    index("listings_price_idx").on(t.priceDong, t.id),
    check("listings_price_positive", sql`${t.priceDong} > 0`),
    check("listings_stock_nonnegative", sql`${t.stockQty} >= 0`),
    check("listings_min_order_positive", sql`${t.minOrderQty} >= 1`),
    check(
      "listings_export_sizes_positive",
      sql`(${t.leadTimeDays} IS NULL OR ${t.leadTimeDays} >= 0) AND (${t.weightGrams} IS NULL OR ${t.weightGrams} > 0)
        AND (${t.packageLengthCm} IS NULL OR ${t.packageLengthCm} > 0) AND (${t.packageWidthCm} IS NULL OR ${t.packageWidthCm} > 0)
        AND (${t.packageHeightCm} IS NULL OR ${t.packageHeightCm} > 0)`,
    ),
  ],
);

export const listingPhotos = pgTable(
  "listing_photos",
  {
    listingId: uuid("listing_id")
      .notNull()
      .references(() => listings.id, { onDelete: "cascade" }),
    mediaId: uuid("media_id")
      .notNull()
      .references(() => mediaAssets.id, { onDelete: "restrict" }),
    /** 0 is the cover photo. */
    position: integer("position").notNull(),
    alt: text("alt").notNull().default(""),
  },
  (t) => [primaryKey({ columns: [t.listingId, t.mediaId] }), index("listing_photos_media_idx").on(t.mediaId)],
);

export const certificationType = pgEnum("certification_type", CERTIFICATION_TYPES);

export const listingCertifications = pgTable(
  "listing_certifications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    listingId: uuid("listing_id")
      .notNull()
      .references(() => listings.id, { onDelete: "cascade" }),
    type: certificationType("type").notNull(),
    number: text("number").notNull(),
    issuer: text("issuer").notNull().default(""),
    /** OCOP only: 3, 4 or 5 stars. */
    ocopStars: integer("ocop_stars"),
    validFrom: date("valid_from"),
    validUntil: date("valid_until").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("listing_certifications_listing_idx").on(t.listingId)],
);

export type User = typeof users.$inferSelect;
export type Role = (typeof userRole.enumValues)[number];
export type Household = typeof households.$inferSelect;
export type Stall = typeof stalls.$inferSelect;
export type Province = typeof provinces.$inferSelect;
export type Commune = typeof communes.$inferSelect;
export type Listing = typeof listings.$inferSelect;
export type ListingStatus = (typeof listingStatus.enumValues)[number];
export type MediaAsset = typeof mediaAssets.$inferSelect;
export type ListingCertification = typeof listingCertifications.$inferSelect;
export type CertificationType = (typeof certificationType.enumValues)[number];

// ---------------------------------------------------------------- carts and orders (app/cart, app/orders)

/**
 * A buyer's cart. Anonymous carts are found by the SHA-256 of a random cookie
 * token (the cookie carries the token, like sessions); a signed-in buyer has
 * one cart of their own, into which the anonymous one is merged at login.
 */
export const carts = pgTable(
  "carts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    /** SHA-256 (hex) of the anonymous cart cookie; null for a signed-in buyer's cart. */
    tokenHash: text("token_hash"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("carts_user_idx").on(t.userId),
    uniqueIndex("carts_token_idx").on(t.tokenHash),
    check("carts_owner", sql`${t.userId} IS NOT NULL OR ${t.tokenHash} IS NOT NULL`),
  ],
);

export const cartItems = pgTable(
  "cart_items",
  {
    cartId: uuid("cart_id")
      .notNull()
      .references(() => carts.id, { onDelete: "cascade" }),
    listingId: uuid("listing_id")
      .notNull()
      .references(() => listings.id, { onDelete: "cascade" }),
    /** In the listing's unit. */
    qty: integer("qty").notNull(),
    /** The price when added, so the cart can show what changed since. */
    priceAtAddDong: integer("price_at_add_dong").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.cartId, t.listingId] }),
    index("cart_items_listing_idx").on(t.listingId),
    check("cart_items_qty_positive", sql`${t.qty} > 0`),
  ],
);

/** One buyer's "place order": the orders it split into (one per stall) share its code. */
export const checkouts = pgTable(
  "checkouts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    code: text("code").notNull(),
    buyerUserId: uuid("buyer_user_id").references(() => users.id, { onDelete: "set null" }),
    /**
     * Where the buyer placed it (PUBLIC_URL, else the request's origin): the
     * link to the order's page in the buyer's messages. Null before 0011.
     */
    siteUrl: text("site_url"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("checkouts_code_idx").on(t.code)],
);

export const orderStatus = pgEnum("order_status", ORDER_STATUSES);

export const deliveryMethod = pgEnum("delivery_method", DELIVERY_METHODS);

export const paymentMethod = pgEnum("payment_method", PAYMENT_METHODS);

export const orderActorRole = pgEnum("order_actor_role", ORDER_ACTOR_ROLES);

/**
 * Where the order's money stands (app/payments). Cash on delivery stays unpaid
 * until the order is delivered (delivering records the cash as paid); online
 * methods are pending while an attempt is under way.
 */
export const orderPaymentStatus = pgEnum("order_payment_status", [
  "unpaid",
  "pending",
  "paid",
  "partially_refunded",
  "refunded",
]);

/** What placing the order took from the listing, so cancelling gives back exactly that. */
export const stockReservation = pgEnum("stock_reservation", ["stock", "preorder", "none"]);

export const orders = pgTable(
  "orders",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Short, unambiguous, random (app/orders/codes.ts): /orders/:orderCode. */
    code: text("code").notNull(),
    checkoutId: uuid("checkout_id")
      .notNull()
      .references(() => checkouts.id, { onDelete: "restrict" }),
    stallId: uuid("stall_id")
      .notNull()
      .references(() => stalls.id, { onDelete: "restrict" }),
    buyerUserId: uuid("buyer_user_id").references(() => users.id, { onDelete: "set null" }),
    buyerName: text("buyer_name").notNull(),
    /** E.164. */
    buyerPhone: text("buyer_phone").notNull(),
    deliveryMethod: deliveryMethod("delivery_method").notNull(),
    /** Delivery address (null for pickup). */
    provinceCode: text("province_code").references(() => provinces.code),
    communeCode: text("commune_code").references(() => communes.code),
    addressLine: text("address_line").notNull().default(""),
    buyerNote: text("buyer_note").notNull().default(""),
    /** Language of the buyer's notifications (vi | en), from the checkout page. */
    buyerLocale: text("buyer_locale").notNull().default("vi"),
    /**
     * When whoever placed the order proved they hold `buyer_phone` (an SMS
     * code at checkout, or a signed-in account whose phone is confirmed).
     * Null: messages to that number carry nothing anyone typed, only the
     * order's code and link (app/notifications/orders.server.ts, ADR 019).
     */
    buyerPhoneConfirmedAt: timestamp("buyer_phone_confirmed_at", { withTimezone: true }),
    subtotalDong: bigint("subtotal_dong", { mode: "number" }).notNull(),
    deliveryFeeDong: integer("delivery_fee_dong").notNull(),
    totalDong: bigint("total_dong", { mode: "number" }).notNull(),
    paymentMethod: paymentMethod("payment_method").notNull(),
    paymentStatus: orderPaymentStatus("payment_status").notNull().default("unpaid"),
    paidAt: timestamp("paid_at", { withTimezone: true }),
    status: orderStatus("status").notNull().default("placed"),
    /** Set with the cancellation (also in the timeline). */
    cancelReason: text("cancel_reason"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("orders_code_idx").on(t.code),
    index("orders_checkout_idx").on(t.checkoutId),
    index("orders_stall_status_idx").on(t.stallId, t.status, t.createdAt),
    index("orders_buyer_idx").on(t.buyerUserId, t.createdAt),
    // A phone's orders waiting for their farmers: the checkout cap (RATE_LIMITS checkout.waiting*).
    index("orders_waiting_phone_idx")
      .on(t.buyerPhone, t.createdAt)
      .where(sql`${t.status} = 'placed'`),
    // The payment jobs (ADR 033): cancelled orders whose payment has not all gone back (refundHeldMoney).
    // One expression, which heldMoneyQuery writes the same way: statistics on it (orders_cancelled_paid_stats,
    // migration 0017) tell the planner how few orders it holds.
    index("orders_cancelled_paid_idx")
      .on(t.id)
      .where(sql`(${t.status} = 'cancelled' AND ${t.paymentStatus} IN ('paid', 'partially_refunded')) IS TRUE`),
    // Live VNPay/Stripe orders not paid yet (expireAttempts' abandoned orders).
    index("orders_unpaid_online_idx")
      .on(t.createdAt)
      .where(
        sql`${t.paymentStatus} = 'unpaid' AND ${t.status} IN ('placed', 'confirmed') AND ${t.paymentMethod} IN ('vnpay', 'stripe')`,
      ),
    check(
      "orders_amounts",
      sql`${t.subtotalDong} >= 0 AND ${t.deliveryFeeDong} >= 0 AND ${t.totalDong} = ${t.subtotalDong} + ${t.deliveryFeeDong}`,
    ),
    check(
      "orders_address",
      sql`${t.deliveryMethod} = 'pickup' OR (${t.provinceCode} IS NOT NULL AND ${t.communeCode} IS NOT NULL)`,
    ),
  ],
);

export const orderItems = pgTable(
  "order_items",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orderId: uuid("order_id")
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    /** Null once the listing is deleted; the snapshot below stays. */
    listingId: uuid("listing_id").references(() => listings.id, { onDelete: "set null" }),
    title: text("title").notNull(),
    unit: text("unit").notNull(),
    unitPriceDong: integer("unit_price_dong").notNull(),
    qty: integer("qty").notNull(),
    lineTotalDong: bigint("line_total_dong", { mode: "number" }).notNull(),
    reservation: stockReservation("reservation").notNull(),
  },
  (t) => [
    index("order_items_order_idx").on(t.orderId),
    index("order_items_listing_idx").on(t.listingId),
    check("order_items_qty_positive", sql`${t.qty} > 0`),
    check("order_items_line_total", sql`${t.lineTotalDong} = ${t.unitPriceDong}::bigint * ${t.qty}`),
  ],
);

/**
 * The order's timeline: one row per status change (and one for placing it,
 * from_status null). A payment change (paid, refunded) is a row too: it sets
 * payment_status and amount_dong and keeps from_status = to_status = the
 * order's status at the time; delivering a cash-on-delivery order is one row
 * carrying both changes.
 */
export const orderEvents = pgTable(
  "order_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orderId: uuid("order_id")
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    actorUserId: uuid("actor_user_id").references(() => users.id, { onDelete: "set null" }),
    actorRole: orderActorRole("actor_role").notNull(),
    fromStatus: orderStatus("from_status"),
    toStatus: orderStatus("to_status").notNull(),
    /** Set on rows that change the payment: the order's payment status after the change. */
    paymentStatus: orderPaymentStatus("payment_status"),
    /** Integer đồng the payment change speaks of (paid, or refunded by this change). */
    amountDong: bigint("amount_dong", { mode: "number" }),
    note: text("note").notNull().default(""),
  },
  (t) => [index("order_events_order_idx").on(t.orderId, t.at)],
);

export type Cart = typeof carts.$inferSelect;
export type CartItem = typeof cartItems.$inferSelect;
export type Checkout = typeof checkouts.$inferSelect;
export type Order = typeof orders.$inferSelect;
export type OrderItem = typeof orderItems.$inferSelect;
export type OrderEvent = typeof orderEvents.$inferSelect;
export type OrderStatus = (typeof orderStatus.enumValues)[number];
export type DeliveryMethod = (typeof deliveryMethod.enumValues)[number];
export type PaymentMethod = (typeof paymentMethod.enumValues)[number];
export type OrderActorRole = (typeof orderActorRole.enumValues)[number];
export type OrderPaymentStatus = (typeof orderPaymentStatus.enumValues)[number];

// ---------------------------------------------------------------- payments (app/payments, ADR 012)

/**
 * One try at paying (attempt-state.ts):
 *   created → pending → succeeded → partially_refunded → refunded
 *                     → failed | expired | cancelled
 * A success the provider reports after we gave up (failed, expired, cancelled)
 * is still money taken: it is recorded, and refunded when its orders are gone.
 */
export const paymentAttemptStatus = pgEnum("payment_attempt_status", PAYMENT_ATTEMPT_STATUSES);

/** Who holds money: the platform's account (VNPay, Stripe) or the farmer's own (cash, VietQR, Stripe Connect). */
export const moneyHolder = pgEnum("money_holder", ["platform", "farmer"]);

export const paymentAttempts = pgTable(
  "payment_attempts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** cod only for cash recorded by the farmer; vietqr, vnpay, stripe. */
    provider: paymentMethod("provider").notNull(),
    checkoutId: uuid("checkout_id")
      .notNull()
      .references(() => checkouts.id, { onDelete: "restrict" }),
    status: paymentAttemptStatus("status").notNull().default("created"),
    /** Integer đồng: the sum of its orders' totals, computed on the server. */
    amountDong: bigint("amount_dong", { mode: "number" }).notNull(),
    refundedDong: bigint("refunded_dong", { mode: "number" }).notNull().default(0),
    currency: text("currency").notNull().default("VND"),
    collectedBy: moneyHolder("collected_by").notNull(),
    /** Stripe Connect: the farmer's account the charge pays (the platform keeps its fee at source). */
    connectAccountId: text("connect_account_id"),
    /** VNPay vnp_TxnRef, Stripe Checkout Session id; null until the provider has it. */
    providerRef: text("provider_ref"),
    /**
     * The provider's page where the buyer pays this attempt (VNPay's signed
     * pay URL, Stripe Checkout's session URL): "Thanh toán lại" returns there
     * while the attempt is open. Null until started, and before 0011.
     */
    redirectUrl: text("redirect_url"),
    /** The provider's payment id (VNPay vnp_TransactionNo, Stripe PaymentIntent). */
    transactionRef: text("transaction_ref"),
    /** Null: no deadline (a VietQR transfer the farmer confirms). */
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    succeededAt: timestamp("succeeded_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("payment_attempts_provider_ref_idx")
      .on(t.provider, t.providerRef)
      .where(sql`${t.providerRef} IS NOT NULL`),
    index("payment_attempts_transaction_ref_idx")
      .on(t.provider, t.transactionRef)
      .where(sql`${t.transactionRef} IS NOT NULL`),
    index("payment_attempts_checkout_idx").on(t.checkoutId),
    index("payment_attempts_open_idx")
      .on(t.expiresAt)
      .where(sql`${t.status} IN ('created', 'pending')`),
    // payments.reconcile's open VNPay/Stripe attempts, oldest first (ADR 033). Not the index above: a VietQR
    // attempt has no deadline and stays pending when its order is cancelled, so that one grows with history.
    index("payment_attempts_online_open_idx")
      .on(t.createdAt)
      .where(
        sql`${t.status} IN ('created', 'pending') AND ${t.provider} IN ('vnpay', 'stripe') AND ${t.providerRef} IS NOT NULL`,
      ),
    check("payment_attempts_amounts", sql`${t.amountDong} >= 0 AND ${t.refundedDong} BETWEEN 0 AND ${t.amountDong}`),
    // The farmer holds cash, VietQR transfers and Stripe Connect charges; the platform VNPay and plain Stripe.
    check(
      "payment_attempts_holder",
      sql`(${t.connectAccountId} IS NULL OR ${t.provider} = 'stripe') AND ${t.collectedBy} = CASE WHEN ${t.provider} IN ('cod', 'vietqr') OR ${t.connectAccountId} IS NOT NULL THEN 'farmer'::money_holder ELSE 'platform'::money_holder END`,
    ),
  ],
);

/** The orders an attempt pays: one (VietQR, cash) or a checkout's orders of one method (VNPay, Stripe). */
export const paymentAttemptOrders = pgTable(
  "payment_attempt_orders",
  {
    attemptId: uuid("attempt_id")
      .notNull()
      .references(() => paymentAttempts.id, { onDelete: "cascade" }),
    orderId: uuid("order_id")
      .notNull()
      .references(() => orders.id, { onDelete: "restrict" }),
    /** This order's share of the attempt (its total). */
    amountDong: bigint("amount_dong", { mode: "number" }).notNull(),
    /** The platform's fee on this share (PLATFORM_FEE_BPS when the attempt was made). */
    feeDong: bigint("fee_dong", { mode: "number" }).notNull().default(0),
    /**
     * Set when the payment succeeds: whether it paid the order (true) or came
     * for an order already cancelled or paid (false: the buyer's money, to refund).
     */
    credited: boolean("credited"),
    refundedDong: bigint("refunded_dong", { mode: "number" }).notNull().default(0),
    /** Asked of the provider, not answered yet: counts against what may still be refunded. */
    refundingDong: bigint("refunding_dong", { mode: "number" }).notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.attemptId, t.orderId] }),
    index("payment_attempt_orders_order_idx").on(t.orderId),
    // Money no order was credited with and not all refunded yet: what refundHeldMoney looks for (ADR 033).
    // One expression, with statistics of its own (payment_attempt_orders_uncredited_held_stats, migration 0017).
    index("payment_attempt_orders_uncredited_held_idx")
      .on(t.attemptId)
      .where(sql`(${t.credited} = false AND ${t.amountDong} > ${t.refundedDong}) IS TRUE`),
    check(
      "payment_attempt_orders_amounts",
      sql`${t.amountDong} >= 0 AND ${t.feeDong} BETWEEN 0 AND ${t.amountDong} AND ${t.refundedDong} >= 0 AND ${t.refundingDong} >= 0 AND ${t.refundedDong} + ${t.refundingDong} <= ${t.amountDong}`,
    ),
  ],
);

/** Every verified provider notification, once: (provider, event_id) is the idempotency key. */
export const paymentEvents = pgTable(
  "payment_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    provider: paymentMethod("provider").notNull(),
    eventId: text("event_id").notNull(),
    attemptId: uuid("attempt_id").references(() => paymentAttempts.id, { onDelete: "set null" }),
    /** succeeded | failed | expired | refunded | ignored (provider.ts NotificationOutcome). */
    outcome: text("outcome").notNull(),
    amountDong: bigint("amount_dong", { mode: "number" }).notNull(),
    currency: text("currency").notNull(),
    /** What applyNotification did with it: applied | duplicate | amount_mismatch | ignored | account_updated. */
    result: text("result").notNull(),
    payload: jsonb("payload"),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("payment_events_provider_event_idx").on(t.provider, t.eventId),
    index("payment_events_attempt_idx").on(t.attemptId),
  ],
);

export const paymentRefundStatus = pgEnum("payment_refund_status", ["requested", "succeeded", "failed"]);

/**
 * A refund of (part of) an attempt. Ours are "requested" before the provider
 * is asked (the amount is held in refunding_dong, so two clicks cannot refund
 * twice) and "succeeded" once it answers; one made on the provider's side
 * arrives as a notification and is recorded succeeded.
 */
export const paymentRefunds = pgTable(
  "payment_refunds",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    attemptId: uuid("attempt_id")
      .notNull()
      .references(() => paymentAttempts.id, { onDelete: "cascade" }),
    /** 1, 2, … per attempt: the idempotency key is refund:<attemptId>:<n>. */
    n: integer("n").notNull(),
    idempotencyKey: text("idempotency_key").notNull(),
    amountDong: bigint("amount_dong", { mode: "number" }).notNull(),
    /** Which orders' shares it gives back: [{ orderId, amountDong }]. */
    allocations: jsonb("allocations").$type<{ orderId: string; amountDong: number }[]>().notNull(),
    status: paymentRefundStatus("status").notNull().default("requested"),
    /** "ours" (asked from the app) or "provider" (made at the provider, learnt from a notification). */
    source: text("source").notNull().default("ours"),
    reason: text("reason").notNull().default(""),
    actorUserId: uuid("actor_user_id").references(() => users.id, { onDelete: "set null" }),
    refundRef: text("refund_ref"),
    error: text("error"),
    createdAt: createdAt(),
    completedAt: timestamp("completed_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("payment_refunds_attempt_n_idx").on(t.attemptId, t.n),
    uniqueIndex("payment_refunds_key_idx").on(t.idempotencyKey),
    // Our refunds the provider has not answered yet: retryStuckRefunds, oldest first (ADR 033).
    index("payment_refunds_requested_idx")
      .on(t.createdAt)
      .where(sql`${t.status} = 'requested' AND ${t.source} = 'ours'`),
    check("payment_refunds_amount_positive", sql`${t.amountDong} > 0`),
  ],
);

export const ledgerEntryKind = pgEnum("ledger_entry_kind", [
  "buyer_paid",
  "platform_fee",
  "owed_to_farmer",
  "refund",
  "paid_out",
]);

export const payoutStatus = pgEnum("payout_status", ["pending", "paid"]);

/** Money the platform hands to a farmer outside the payment providers (a bank transfer); admins record it. */
export const payouts = pgTable(
  "payouts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    stallId: uuid("stall_id")
      .notNull()
      .references(() => stalls.id, { onDelete: "restrict" }),
    amountDong: bigint("amount_dong", { mode: "number" }).notNull(),
    status: payoutStatus("status").notNull().default("pending"),
    /** The bank transfer's reference, as the admin typed it. */
    reference: text("reference").notNull().default(""),
    createdByUserId: uuid("created_by_user_id").references(() => users.id, { onDelete: "set null" }),
    paidByUserId: uuid("paid_by_user_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    paidAt: timestamp("paid_at", { withTimezone: true }),
  },
  (t) => [
    index("payouts_stall_status_idx").on(t.stallId, t.status),
    check("payouts_amount_positive", sql`${t.amountDong} > 0`),
  ],
);

/**
 * Money movements, per stall, signed (ADR 012). The rule: an owed_to_farmer
 * entry is the change in what the platform owes the farmer (money it holds
 * for them minus money they hold for it), and paid_out is negative, so
 *   owed = SUM(amount_dong) WHERE kind IN ('owed_to_farmer', 'paid_out') GROUP BY stall_id.
 * buyer_paid (+) and refund (−) record the buyer's money and who holds it;
 * platform_fee is the fee (+) and its reversal on refunds (−).
 */
export const ledgerEntries = pgTable(
  "ledger_entries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    stallId: uuid("stall_id")
      .notNull()
      .references(() => stalls.id, { onDelete: "restrict" }),
    orderId: uuid("order_id").references(() => orders.id, { onDelete: "restrict" }),
    attemptId: uuid("attempt_id").references(() => paymentAttempts.id, { onDelete: "restrict" }),
    refundId: uuid("refund_id").references(() => paymentRefunds.id, { onDelete: "restrict" }),
    payoutId: uuid("payout_id").references(() => payouts.id, { onDelete: "restrict" }),
    kind: ledgerEntryKind("kind").notNull(),
    /** Signed integer đồng. */
    amountDong: bigint("amount_dong", { mode: "number" }).notNull(),
    /** Who holds this money. */
    collectedBy: moneyHolder("collected_by").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("ledger_entries_stall_kind_idx").on(t.stallId, t.kind),
    index("ledger_entries_order_idx").on(t.orderId),
    index("ledger_entries_attempt_idx").on(t.attemptId),
    // Posting twice is impossible, whatever the code above does: one set per payment, per refund, per payout.
    uniqueIndex("ledger_entries_payment_once_idx")
      .on(t.attemptId, t.orderId, t.kind)
      .where(sql`${t.refundId} IS NULL AND ${t.attemptId} IS NOT NULL`),
    uniqueIndex("ledger_entries_refund_once_idx")
      .on(t.refundId, t.orderId, t.kind)
      .where(sql`${t.refundId} IS NOT NULL`),
    uniqueIndex("ledger_entries_payout_once_idx")
      .on(t.payoutId)
      .where(sql`${t.payoutId} IS NOT NULL`),
    check(
      "ledger_entries_signs",
      sql`(${t.kind} <> 'buyer_paid' OR ${t.amountDong} > 0) AND (${t.kind} NOT IN ('refund', 'paid_out') OR ${t.amountDong} < 0) AND ${t.amountDong} <> 0`,
    ),
    check("ledger_entries_payout", sql`(${t.kind} = 'paid_out') = (${t.payoutId} IS NOT NULL)`),
  ],
);

export const paymentAlertKind = pgEnum("payment_alert_kind", [
  /** A success for orders already cancelled: the money goes back. */
  "late_payment",
  /** A second success for orders already paid: the second goes back. */
  "double_payment",
  /** A notification whose amount or currency is not the attempt's. */
  "amount_mismatch",
  /** The provider refused a refund we asked for. */
  "refund_failed",
]);

/** What an admin should look at; resolved by hand. */
export const paymentAlerts = pgTable(
  "payment_alerts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: paymentAlertKind("kind").notNull(),
    attemptId: uuid("attempt_id").references(() => paymentAttempts.id, { onDelete: "set null" }),
    amountDong: bigint("amount_dong", { mode: "number" }).notNull().default(0),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
  },
  (t) => [
    index("payment_alerts_open_idx")
      .on(t.createdAt)
      .where(sql`${t.resolvedAt} IS NULL`),
  ],
);

export type PaymentAttempt = typeof paymentAttempts.$inferSelect;
export type PaymentAttemptOrder = typeof paymentAttemptOrders.$inferSelect;
export type PaymentEvent = typeof paymentEvents.$inferSelect;
export type PaymentRefund = typeof paymentRefunds.$inferSelect;
export type LedgerEntry = typeof ledgerEntries.$inferSelect;
export type LedgerEntryKind = (typeof ledgerEntryKind.enumValues)[number];
export type MoneyHolder = (typeof moneyHolder.enumValues)[number];
export type Payout = typeof payouts.$inferSelect;
export type PaymentAlert = typeof paymentAlerts.$inferSelect;
export type PaymentAlertKind = (typeof paymentAlertKind.enumValues)[number];
export type PaymentAttemptStatusCode = (typeof paymentAttemptStatus.enumValues)[number];

// ---------------------------------------------------------------- exports (app/exports)

/**
 * An admin's choice of a marketplace's category for one of ours (TikTok Shop,
 * Shopee, Lazada: their ids are per market and change, so they are data an
 * admin edits; Google's taxonomy ids are committed with the code).
 */
export const exportCategoryMappings = pgTable(
  "export_category_mappings",
  {
    target: text("target").notNull(),
    category: text("category").notNull(),
    /** The marketplace's leaf category id, as its seller centre shows it. */
    value: text("value").notNull(),
    updatedByUserId: uuid("updated_by_user_id").references(() => users.id, { onDelete: "set null" }),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.target, t.category] })],
);

export const exportRunStatus = pgEnum("export_run_status", ["queued", "running", "done", "failed", "expired"]);

/**
 * A bulk export (every stall of a commune or of the province, one format),
 * built by a background job into one file in object storage. The row is the
 * job's state, progress and history; on the embedded database it is also the
 * queue (a run left `running` by a stopped server is claimed again on start).
 */
export const exportRuns = pgTable(
  "export_runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    requestedByUserId: uuid("requested_by_user_id").references(() => users.id, { onDelete: "set null" }),
    /** "province" (scopeCode a province code) or "commune" (a commune code). */
    scopeKind: text("scope_kind").notNull(),
    scopeCode: text("scope_code").notNull(),
    format: text("format").notNull(),
    status: exportRunStatus("status").notNull().default("queued"),
    stallsTotal: integer("stalls_total").notNull().default(0),
    stallsDone: integer("stalls_done").notNull().default(0),
    itemsWritten: integer("items_written").notNull().default(0),
    itemsSkipped: integer("items_skipped").notNull().default(0),
    /** What went wrong, and why items were left out (counts per reason). */
    errors: jsonb("errors").$type<Record<string, unknown>>().notNull().default({}),
    attempts: integer("attempts").notNull().default(0),
    fileKey: text("file_key"),
    fileBytes: bigint("file_bytes", { mode: "number" }),
    createdAt: createdAt(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    /** After this the file is deleted and the row says "expired". */
    expiresAt: timestamp("expires_at", { withTimezone: true }),
  },
  (t) => [
    index("export_runs_created_idx").on(t.createdAt),
    index("export_runs_open_idx")
      .on(t.status)
      .where(sql`${t.status} IN ('queued', 'running')`),
  ],
);

export type ExportRun = typeof exportRuns.$inferSelect;

// ---------------------------------------------------------------- officers (app/officers)

/** The communes an officer covers: one officer, several communes; one commune, several officers. */
export const officerCommunes = pgTable(
  "officer_communes",
  {
    officerUserId: uuid("officer_user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    communeCode: text("commune_code")
      .notNull()
      .references(() => communes.code),
    assignedByUserId: uuid("assigned_by_user_id").references(() => users.id, { onDelete: "set null" }),
    assignedAt: timestamp("assigned_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.officerUserId, t.communeCode] }),
    index("officer_communes_commune_idx").on(t.communeCode),
  ],
);

export const officerAccess = pgEnum("officer_access", OFFICER_ACCESS_LEVELS);

/**
 * What one officer may do for one household: granted with the household's
 * consent when the officer onboards it, chosen by the farmer at hand-over and
 * changed by them at any time. Lapses when the officer is deactivated and
 * stays lapsed on reactivation (only the farmer grants it again).
 */
export const householdDelegations = pgTable(
  "household_delegations",
  {
    householdId: uuid("household_id")
      .notNull()
      .references(() => households.id, { onDelete: "cascade" }),
    officerUserId: uuid("officer_user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    access: officerAccess("access").notNull().default("edit"),
    grantedAt: timestamp("granted_at", { withTimezone: true }).notNull().defaultNow(),
    lapsedAt: timestamp("lapsed_at", { withTimezone: true }),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.householdId, t.officerUserId] }),
    index("household_delegations_officer_idx").on(t.officerUserId),
  ],
);

/**
 * The record of a household's consent to be onboarded by an officer: the
 * one-time code sent to the household's phone and read back to the officer,
 * with when, by whom and which wording of the statement was shown. Kept when
 * the household or the officer's account goes (plain ids, no cascade).
 */
export const householdConsents = pgTable(
  "household_consents",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    householdId: uuid("household_id").notNull(),
    officerUserId: uuid("officer_user_id").notNull(),
    /** E.164: the phone the code went to. */
    phone: text("phone").notNull(),
    statementVersion: text("statement_version").notNull(),
    confirmedAt: timestamp("confirmed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("household_consents_household_idx").on(t.householdId)],
);

/**
 * Every change an officer made to a household's data: who, when, for whom,
 * what, before → after. Append-only: triggers refuse UPDATE, DELETE and
 * TRUNCATE (the app connects as a superuser, so grants would enforce
 * nothing), and the ids are plain columns so no cascade reaches it (ADR 029).
 */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    actorUserId: uuid("actor_user_id").notNull(),
    /** The actor's name when it happened (an account can be renamed or deleted later). */
    actorName: text("actor_name").notNull(),
    actorRole: text("actor_role").notNull(),
    householdId: uuid("household_id").notNull(),
    /** households, stalls, listings, listing_photos, listing_certifications, orders, household_delegations. */
    entity: text("entity").notNull(),
    entityId: text("entity_id").notNull(),
    /** insert, update or delete. */
    action: text("action").notNull(),
    /** The changed fields only, before and after. */
    before: jsonb("before").$type<Record<string, unknown>>(),
    after: jsonb("after").$type<Record<string, unknown>>(),
    /** What the entity is called, for "Cán bộ … đã sửa giá «Vải thiều»". */
    label: text("label").notNull().default(""),
    requestId: text("request_id"),
  },
  (t) => [
    index("audit_log_household_idx").on(t.householdId, t.at),
    index("audit_log_actor_idx").on(t.actorUserId, t.at),
  ],
);

/** One upload of a commune's roster (CSV or XLSX), previewed then applied all or nothing. */
export const rosterImports = pgTable("roster_imports", {
  id: uuid("id").primaryKey().defaultRandom(),
  officerUserId: uuid("officer_user_id").references(() => users.id, { onDelete: "set null" }),
  fileName: text("file_name").notNull(),
  rowsTotal: integer("rows_total").notNull().default(0),
  rowsImported: integer("rows_imported").notNull().default(0),
  /** The result report (per row: imported, or why not). */
  report: jsonb("report").$type<Record<string, unknown>>().notNull().default({}),
  createdAt: createdAt(),
});

/**
 * A household on a commune's roster: a to-do for the commune's officers. No
 * account until the household consents (then household_id is set); rows never
 * consented are deleted after the retention period (ADR 028).
 */
export const rosterEntries = pgTable(
  "roster_entries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    importId: uuid("import_id").references(() => rosterImports.id, { onDelete: "set null" }),
    communeCode: text("commune_code")
      .notNull()
      .references(() => communes.code),
    fullName: text("full_name").notNull(),
    /** E.164. */
    phone: text("phone").notNull(),
    /** Thôn / ấp / tổ. */
    hamlet: text("hamlet").notNull().default(""),
    householdId: uuid("household_id").references(() => households.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("roster_entries_phone_idx").on(t.phone),
    index("roster_entries_commune_idx").on(t.communeCode),
    index("roster_entries_name_search_idx").using("gin", sql`lower(f_unaccent(${t.fullName})) gin_trgm_ops`),
  ],
);

/**
 * How an officer mapped a commune name from an old roster (before the July
 * 2025 merger, with its district) to today's commune: asked once, then
 * applied to every row and every later file that has it. Keys are folded
 * (lower case, no diacritics, single spaces).
 */
export const communeAliases = pgTable(
  "commune_aliases",
  {
    nameKey: text("name_key").notNull(),
    districtKey: text("district_key").notNull().default(""),
    communeCode: text("commune_code")
      .notNull()
      .references(() => communes.code),
    createdByUserId: uuid("created_by_user_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.nameKey, t.districtKey] })],
);

/** A reminder SMS an officer sent a stuck household (rate limits and the log). */
export const householdReminders = pgTable(
  "household_reminders",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    householdId: uuid("household_id").references(() => households.id, { onDelete: "set null" }),
    rosterEntryId: uuid("roster_entry_id").references(() => rosterEntries.id, { onDelete: "set null" }),
    officerUserId: uuid("officer_user_id").references(() => users.id, { onDelete: "set null" }),
    sentAt: timestamp("sent_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("household_reminders_household_idx").on(t.householdId, t.sentAt),
    index("household_reminders_officer_idx").on(t.officerUserId, t.sentAt),
  ],
);

/**
 * Progress counts per commune and per officer, rebuilt by a job (app/officers
 * reports, ADR 027): the dashboards read these rows, never the whole province.
 * scope_kind "commune" (scope_key a commune code), "officer" (a user id) or
 * "province" (a province code).
 */
export const progressRollups = pgTable(
  "progress_rollups",
  {
    scopeKind: text("scope_kind").notNull(),
    scopeKey: text("scope_key").notNull(),
    roster: integer("roster").notNull().default(0),
    registered: integer("registered").notNull().default(0),
    stallCreated: integer("stall_created").notNull().default(0),
    firstProduct: integer("first_product").notNull().default(0),
    published: integer("published").notNull().default(0),
    firstOrder: integer("first_order").notNull().default(0),
    active30d: integer("active_30d").notNull().default(0),
    paidOnline: integer("paid_online").notNull().default(0),
    stuck: integer("stuck").notNull().default(0),
    computedAt: timestamp("computed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.scopeKind, t.scopeKey] })],
);

/** Orders and sales (GMV, đồng) per month, per commune and per officer: the charts' series. */
export const salesRollups = pgTable(
  "sales_rollups",
  {
    scopeKind: text("scope_kind").notNull(),
    scopeKey: text("scope_key").notNull(),
    /** The first day of the month, Vietnam time. */
    month: date("month").notNull(),
    orders: integer("orders").notNull().default(0),
    gmvDong: bigint("gmv_dong", { mode: "number" }).notNull().default(0),
    computedAt: timestamp("computed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.scopeKind, t.scopeKey, t.month] })],
);

export type OfficerCommune = typeof officerCommunes.$inferSelect;
export type HouseholdDelegation = typeof householdDelegations.$inferSelect;
export type AuditEntry = typeof auditLog.$inferSelect;
export type RosterEntry = typeof rosterEntries.$inferSelect;
export type OfficerAccess = (typeof officerAccess.enumValues)[number];

/**
 * The first answer to each state change a phone sent with an `Idempotency-Key`
 * (ADR 030): the seller app's queue replays what was done offline, and the same
 * key must do one thing and get the same answer however often it arrives. The
 * key belongs to the user who made it; `state` is `in_progress` while the first
 * request runs, so a racing second sender waits for it instead of doing it again.
 * Kept 30 days (app/offline, job `offline.prune-idempotency`).
 */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    key: text("key").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    method: text("method").notNull(),
    /** Path and query, as sent. */
    path: text("path").notNull(),
    /** sha256 of the request's content type and body (hex); null while a streamed body is still being read. */
    bodyHash: text("body_hash"),
    /** in_progress | done */
    state: text("state").notNull().default("in_progress"),
    /** When the farmer did it on the phone (X-Done-At), as the phone's clock said: shown, never used for deadlines. */
    doneAt: timestamp("done_at", { withTimezone: true }),
    status: integer("status"),
    /** The answer's headers but cookies: name → value. */
    headers: jsonb("headers").$type<Record<string, string>>(),
    /** The answer's body, base64; null when there was none or it was too big to keep. */
    body: text("body"),
    createdAt: createdAt(),
    completedAt: timestamp("completed_at", { withTimezone: true }),
  },
  (t) => [index("idempotency_keys_created_idx").on(t.createdAt)],
);

export type IdempotencyKey = typeof idempotencyKeys.$inferSelect;
