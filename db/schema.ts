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
  serial,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

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

export const userRole = pgEnum("user_role", ["farmer", "buyer", "officer", "admin"]);

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

/** One-time login codes sent by SMS; stored hashed, short-lived, few attempts. */
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
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("households_commune_idx").on(t.communeCode), index("households_owner_idx").on(t.ownerUserId)],
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
    localDeliveryFeeVnd: integer("local_delivery_fee_vnd").notNull().default(0),
    shippingEnabled: boolean("shipping_enabled").notNull().default(false),
    shippingFeeMode: shippingFeeMode("shipping_fee_mode").notNull().default("flat"),
    /** Per order (flat) or per started kilogram (per_kg). */
    shippingFeeVnd: integer("shipping_fee_vnd").notNull().default(0),

    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("stalls_fees_nonnegative", sql`${t.localDeliveryFeeVnd} >= 0 AND ${t.shippingFeeVnd} >= 0`),
    check(
      "stalls_vietqr_complete",
      sql`NOT ${t.vietqrEnabled} OR (${t.bankBin} IS NOT NULL AND ${t.bankAccountNumber} IS NOT NULL AND ${t.bankAccountName} IS NOT NULL)`,
    ),
    uniqueIndex("stalls_slug_idx").on(t.slug),
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

export const listingStatus = pgEnum("listing_status", ["draft", "active", "paused", "sold_out", "archived"]);

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
    /** Order on the stall page (ascending). */
    position: integer("position").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("listings_stall_slug_idx").on(t.stallId, t.slug),
    index("listings_stall_status_idx").on(t.stallId, t.status, t.position),
    // Buyer search (app/catalog): trigram indexes on the folded text serve
    // both substring (LIKE) and typo (word similarity) matches; the btree
    // ones serve browsing and the keyset sorts when there is no text query.
    index("listings_title_search_idx").using("gin", sql`lower(f_unaccent(${t.title})) gin_trgm_ops`),
    index("listings_text_search_idx").using(
      "gin",
      sql`lower(f_unaccent(${t.title} || ' ' || ${t.description})) gin_trgm_ops`,
    ),
    index("listings_created_idx").on(t.createdAt, t.id),
    index("listings_category_created_idx").on(t.category, t.createdAt),
    index("listings_price_idx").on(t.priceDong, t.id),
    check("listings_price_positive", sql`${t.priceDong} > 0`),
    check("listings_stock_nonnegative", sql`${t.stockQty} >= 0`),
    check("listings_min_order_positive", sql`${t.minOrderQty} >= 1`),
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

export const certificationType = pgEnum("certification_type", ["vietgap", "globalgap", "organic", "ocop"]);

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
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("checkouts_code_idx").on(t.code)],
);

export const orderStatus = pgEnum("order_status", [
  "placed",
  "confirmed",
  "packed",
  "shipped",
  "ready_for_pickup",
  "delivered",
  "completed",
  "cancelled",
]);

export const deliveryMethod = pgEnum("delivery_method", ["pickup", "local", "shipping"]);

/** Only cod is offered today; the others are listed so their providers plug in without an enum migration. */
export const paymentMethod = pgEnum("payment_method", ["cod", "vietqr", "vnpay", "stripe"]);

export const orderActorRole = pgEnum("order_actor_role", ["buyer", "farmer", "officer", "system"]);

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
    subtotalDong: bigint("subtotal_dong", { mode: "number" }).notNull(),
    deliveryFeeDong: integer("delivery_fee_dong").notNull(),
    totalDong: bigint("total_dong", { mode: "number" }).notNull(),
    paymentMethod: paymentMethod("payment_method").notNull(),
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

/** The order's timeline: one row per status change (and one for placing it, from_status null). */
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
