/**
 * TikTok Shop: the body of `POST /product/202309/products` (Partner API
 * 202309) for one listing, and its spreadsheet row. TikTok takes the
 * description as HTML of a few tags (we write only <p> and <br>, every
 * character of the farmer's escaped), prices as strings with their currency,
 * weights in kilograms and sides in centimetres as strings. It hosts the
 * photos (Upload Image gives a uri), keeps stock per warehouse (Get Warehouse
 * List) and asks for category attributes (Get Attributes): placeholders.
 * Outside the US and UK a title holds 25–255 characters: readiness leaves
 * shorter ones out and suggests a longer title.
 */
import { cutAtWord, oneLineText, type ExportListing } from "../item";
import { TARGET_RULES } from "../readiness";
import {
  asNumberWhenSafe,
  categoryIdFor,
  htmlWithin,
  kilograms,
  packageSize,
  photoSources,
  plainWithin,
  quantityOf,
  requiredWeightGrams,
  type PayloadContext,
} from "./facts";
import { imageCells, imageColumns, type MarketplaceFormat } from "./format";
import { placeholder } from "./placeholders";

const MAX_IMAGES = 9;
const rules = TARGET_RULES.tiktok;

export interface TiktokProduct {
  /** AS_DRAFT while sold out: created, not offered. */
  save_mode: "LISTING" | "AS_DRAFT";
  title: string;
  /** HTML: <p> and <br> only. */
  description: string;
  category_id: string;
  main_images: { uri: string }[];
  skus: {
    seller_sku: string;
    price: { amount: string; currency: "VND" };
    inventory: { warehouse_id: string; quantity: number | string }[];
  }[];
  package_weight: { value: string; unit: "KILOGRAM" };
  /** Vietnam: all three sides or none. */
  package_dimensions?: { length: string; width: string; height: string; unit: "CENTIMETER" };
  product_attributes: { id: string; values: { name: string }[] }[];
  /** Our listing's id: the same in every export, forever. */
  external_product_id: string;
}

export function tiktokPayload(item: ExportListing, { site, today, categoryMap }: PayloadContext): TiktokProduct {
  const size = packageSize(item);
  return {
    save_mode: item.status === "sold_out" ? "AS_DRAFT" : "LISTING",
    title: cutAtWord(oneLineText(item.title), rules.titleMax),
    description: htmlWithin(item.description, rules.descriptionMax),
    category_id: categoryIdFor(item, "tiktok", categoryMap),
    main_images: photoSources(item, site, MAX_IMAGES).map((url) => ({ uri: placeholder("TIKTOK_IMAGE_URI", url) })),
    skus: [
      {
        seller_sku: item.id,
        price: { amount: String(item.priceDong), currency: "VND" },
        inventory: [{ warehouse_id: placeholder("TIKTOK_WAREHOUSE_ID"), quantity: quantityOf(item, today) }],
      },
    ],
    package_weight: { value: String(kilograms(requiredWeightGrams(item), 3)), unit: "KILOGRAM" },
    ...(size
      ? {
          package_dimensions: {
            length: String(size.length),
            width: String(size.width),
            height: String(size.height),
            unit: "CENTIMETER",
          },
        }
      : {}),
    product_attributes: [
      { id: placeholder("TIKTOK_ATTRIBUTE_ID"), values: [{ name: placeholder("TIKTOK_ATTRIBUTE_VALUE") }] },
    ],
    external_product_id: item.id,
  };
}

export const tiktok: MarketplaceFormat<TiktokProduct> = {
  target: "tiktok",
  api: "POST /product/202309/products",
  maxImages: MAX_IMAGES,
  payload: tiktokPayload,
  columns: [
    "seller_sku",
    "title",
    "description",
    "category_id",
    "price",
    "quantity",
    "package_weight",
    "package_length",
    "package_width",
    "package_height",
    ...imageColumns(MAX_IMAGES),
  ],
  row(item, payload, { site }) {
    const [sku] = payload.skus;
    const size = packageSize(item);
    return {
      seller_sku: sku.seller_sku,
      title: payload.title,
      // People paste it into the seller centre's editor: the text, not its HTML.
      description: plainWithin(item.description, rules.descriptionMax),
      category_id: asNumberWhenSafe(payload.category_id),
      price: item.priceDong,
      quantity: sku.inventory[0].quantity,
      package_weight: Number(payload.package_weight.value),
      package_length: size?.length ?? null,
      package_width: size?.width ?? null,
      package_height: size?.height ?? null,
      ...imageCells(photoSources(item, site, MAX_IMAGES), MAX_IMAGES),
    };
  },
};
