/**
 * Our own plain record of a listing: every field we hold, as products.json
 * writes it and products.csv flattens it. Nothing is cut or left out — a
 * listing no marketplace would take is here too, with what each target says
 * about it (`readiness`), so an integrator can decide.
 */
import { GOOGLE_CATEGORIES } from "../categories";
import {
  availabilityOf,
  googleAvailability,
  metaAvailability,
  priceWithCurrency,
  schemaOrgAvailability,
  unitWeightGrams,
  type Availability,
  type ExportCertificate,
  type ExportListing,
} from "../item";
import { readinessOf, type ReadinessCode } from "../readiness";
import { EXPORT_TARGETS, type ExportTarget } from "../targets";
import { photoLinks, productLink, stallLink, type FeedContext } from "./feed-format";
import type { CategoryCode } from "~/listings";

export interface ProductRecord {
  id: string;
  slug: string;
  url: string;
  title: string;
  description: string;
  category: string;
  googleProductCategory: number | null;
  unit: string;
  /** Grams in one selling unit: the unit's own for weights, else the farmer's; null when unknown. */
  unitWeightGrams: number | null;
  priceDong: number;
  /** `125000 VND`. */
  price: string;
  currency: "VND";
  minOrderQty: number;
  status: "active" | "sold_out";
  stockQty: number;
  madeToOrder: boolean;
  leadTimeDays: number | null;
  preorder: boolean;
  preorderCapacity: number | null;
  availableFrom: string | null;
  availableUntil: string | null;
  availability: {
    kind: Availability["kind"];
    /** The harvest's first day (pre-order) or the day it would be ready (made to order). */
    date: string | null;
    google: ReturnType<typeof googleAvailability>["value"];
    meta: ReturnType<typeof metaAvailability>;
    schemaOrg: ReturnType<typeof schemaOrgAvailability>["value"];
  };
  weightGrams: number | null;
  packageLengthCm: number | null;
  packageWidthCm: number | null;
  packageHeightCm: number | null;
  position: number;
  updatedAt: string;
  stall: {
    id: string;
    slug: string;
    name: string;
    url: string;
    communeCode: string;
    communeName: string;
    provinceCode: string;
    provinceName: string;
  };
  /** Cover first: the widest JPEG of each, absolute. */
  photos: { url: string; width: number; height: number }[];
  certifications: ExportCertificate[];
  /** Per target: whether its feed and files take the listing, and what to fix. */
  readiness: Record<ExportTarget, { ready: boolean; errors: ReadinessCode[]; warnings: ReadinessCode[] }>;
}

export function productRecord(listing: ExportListing, { site, today }: FeedContext): ProductRecord {
  const availability = availabilityOf(listing, today);
  const readiness = Object.fromEntries(
    EXPORT_TARGETS.map((target) => {
      const problems = readinessOf(listing, target, today);
      const errors = problems.filter((p) => p.severity === "error").map((p) => p.code);
      const warnings = problems.filter((p) => p.severity === "warning").map((p) => p.code);
      return [target, { ready: errors.length === 0, errors, warnings }];
    }),
  ) as ProductRecord["readiness"];
  const photoUrls = photoLinks(listing, site);
  return {
    id: listing.id,
    slug: listing.slug,
    url: productLink(listing, site),
    title: listing.title,
    description: listing.description,
    category: listing.category,
    googleProductCategory: GOOGLE_CATEGORIES[listing.category as CategoryCode]?.id ?? null,
    unit: listing.unit,
    unitWeightGrams: unitWeightGrams(listing),
    priceDong: listing.priceDong,
    price: priceWithCurrency(listing.priceDong),
    currency: "VND",
    minOrderQty: listing.minOrderQty,
    status: listing.status,
    stockQty: listing.stockQty,
    madeToOrder: listing.madeToOrder,
    leadTimeDays: listing.leadTimeDays,
    preorder: listing.preorder,
    preorderCapacity: listing.preorderCapacity,
    availableFrom: listing.availableFrom,
    availableUntil: listing.availableUntil,
    availability: {
      kind: availability.kind,
      date: availability.kind === "preorder" || availability.kind === "made_to_order" ? availability.date : null,
      google: googleAvailability(availability).value,
      meta: metaAvailability(availability),
      schemaOrg: schemaOrgAvailability(availability).value,
    },
    weightGrams: listing.weightGrams,
    packageLengthCm: listing.packageLengthCm,
    packageWidthCm: listing.packageWidthCm,
    packageHeightCm: listing.packageHeightCm,
    position: listing.position,
    updatedAt: listing.updatedAt.toISOString(),
    stall: {
      id: listing.stall.id,
      slug: listing.stall.slug,
      name: listing.stall.name,
      url: stallLink(listing.stall.slug, site),
      communeCode: listing.stall.communeCode,
      communeName: listing.stall.communeName,
      provinceCode: listing.stall.provinceCode,
      provinceName: listing.stall.provinceName,
    },
    photos: listing.photos.map((photo, i) => ({ url: photoUrls[i]!, width: photo.width, height: photo.height })),
    certifications: listing.certifications.map((c) => ({ ...c })),
    readiness,
  };
}
