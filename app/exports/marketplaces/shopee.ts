/**
 * Shopee: the body of `POST /api/v2/product/add_item` (Open Platform v2) for
 * one listing, and its spreadsheet row. Shopee takes plain text, the price as
 * a number of đồng, the weight in kilograms and the package's sides in whole
 * centimetres. It hosts the photos itself (upload_image gives image ids) and
 * lists logistics channels per shop (get_channel_list): placeholders. Farm
 * produce carries no registered brand: Shopee's convention for that is
 * brand_id 0 with "NoBrand".
 */
import { cutAtWord, oneLineText, type ExportListing } from "../item";
import { TARGET_RULES } from "../readiness";
import {
  asNumberWhenSafe,
  categoryIdFor,
  kilograms,
  packageSize,
  photoSources,
  plainWithin,
  quantityOf,
  requiredWeightGrams,
  shippingDelay,
  type PayloadContext,
} from "./facts";
import { imageCells, imageColumns, type MarketplaceFormat } from "./format";
import { placeholder } from "./placeholders";

const MAX_IMAGES = 9;
const rules = TARGET_RULES.shopee;

export interface ShopeeAddItem {
  item_name: string;
  description: string;
  /** Đồng. */
  original_price: number;
  seller_stock: { stock: number | string }[];
  category_id: number | string;
  /** Kilograms. */
  weight: number;
  dimension?: { package_length: number; package_width: number; package_height: number };
  image: { image_id_list: string[] };
  logistic_info: { logistic_id: string; enabled: boolean }[];
  brand: { brand_id: number; original_brand_name: string };
  attribute_list: { attribute_id: string; attribute_value_list: { value_id: string }[] }[];
  condition: "NEW";
  /** UNLIST while sold out: the item is created but not shown. */
  item_status: "NORMAL" | "UNLIST";
  /** Our listing's id: the same in every export, forever. */
  item_sku: string;
  pre_order?: { is_pre_order: true; days_to_ship: number | string };
}

export function shopeePayload(item: ExportListing, { site, today, categoryMap }: PayloadContext): ShopeeAddItem {
  const size = packageSize(item);
  const delay = shippingDelay(item, today);
  return {
    item_name: cutAtWord(oneLineText(item.title), rules.titleMax),
    description: plainWithin(item.description, rules.descriptionMax),
    original_price: item.priceDong,
    seller_stock: [{ stock: quantityOf(item, today) }],
    category_id: asNumberWhenSafe(categoryIdFor(item, "shopee", categoryMap)),
    weight: kilograms(requiredWeightGrams(item), 3),
    ...(size
      ? { dimension: { package_length: size.length, package_width: size.width, package_height: size.height } }
      : {}),
    image: { image_id_list: photoSources(item, site, MAX_IMAGES).map((url) => placeholder("SHOPEE_IMAGE_ID", url)) },
    logistic_info: [{ logistic_id: placeholder("SHOPEE_LOGISTIC_ID"), enabled: true }],
    brand: { brand_id: 0, original_brand_name: "NoBrand" },
    attribute_list: [
      {
        attribute_id: placeholder("SHOPEE_ATTRIBUTE_ID"),
        attribute_value_list: [{ value_id: placeholder("SHOPEE_ATTRIBUTE_VALUE_ID") }],
      },
    ],
    condition: "NEW",
    item_status: item.status === "sold_out" ? "UNLIST" : "NORMAL",
    item_sku: item.id,
    ...(delay.shipsLater
      ? { pre_order: { is_pre_order: true, days_to_ship: delay.days ?? placeholder("SHOPEE_DAYS_TO_SHIP") } }
      : {}),
  };
}

export const shopee: MarketplaceFormat<ShopeeAddItem> = {
  target: "shopee",
  api: "POST /api/v2/product/add_item",
  maxImages: MAX_IMAGES,
  payload: shopeePayload,
  columns: [
    "item_sku",
    "item_name",
    "description",
    "category_id",
    "original_price",
    "stock",
    "weight",
    "package_length",
    "package_width",
    "package_height",
    "days_to_ship",
    ...imageColumns(MAX_IMAGES),
  ],
  row(item, payload, { site }) {
    return {
      item_sku: payload.item_sku,
      item_name: payload.item_name,
      description: payload.description,
      category_id: payload.category_id,
      original_price: payload.original_price,
      stock: payload.seller_stock[0].stock,
      weight: payload.weight,
      package_length: payload.dimension?.package_length ?? null,
      package_width: payload.dimension?.package_width ?? null,
      package_height: payload.dimension?.package_height ?? null,
      days_to_ship: payload.pre_order?.days_to_ship ?? null,
      ...imageCells(photoSources(item, site, MAX_IMAGES), MAX_IMAGES),
    };
  },
};
