/**
 * Lazada: the JSON form of the `payload` of `POST /product/create` for one
 * listing (one SKU), and its spreadsheet row. Lazada's examples give every
 * value as a string: prices in đồng, the package's weight in kilograms (two
 * decimals at most) and sides in centimetres, all mandatory. The description
 * is HTML. Photos must be Lazada's own URLs (MigrateImage turns ours into
 * them), and "No Brand" has an id per country (GetBrandByPages): placeholders.
 * A category's mandatory attributes are further keys of `Attributes`, listed
 * by GetCategoryAttributes: the notes say so.
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
  shippingDelay,
  type PayloadContext,
} from "./facts";
import { imageCells, imageColumns, type MarketplaceFormat } from "./format";
import { placeholder } from "./placeholders";

const MAX_IMAGES = 8;
const rules = TARGET_RULES.lazada;

export interface LazadaProductCreate {
  Request: {
    Product: {
      PrimaryCategory: string;
      Images: { Image: string[] };
      Attributes: {
        name: string;
        /** HTML; absent when the farmer wrote none. */
        description?: string;
        brand_id: string;
        preorder_enable?: "Yes";
        preorder_days?: string;
      };
      Skus: {
        Sku: {
          /** Our listing's id: the same in every export, forever. */
          SellerSku: string;
          quantity: string;
          price: string;
          package_weight: string;
          package_length: string;
          package_width: string;
          package_height: string;
        }[];
      };
    };
  };
}

/** The package's sides; readiness keeps a listing without them out of Lazada's file. */
function requiredPackageSize(item: ExportListing) {
  const size = packageSize(item);
  if (!size) throw new Error(`listing ${item.id} has no package size: readiness should have left it out`);
  return size;
}

export function lazadaPayload(item: ExportListing, { site, today, categoryMap }: PayloadContext): LazadaProductCreate {
  const size = requiredPackageSize(item);
  const delay = shippingDelay(item, today);
  const description = htmlWithin(item.description, rules.descriptionMax);
  return {
    Request: {
      Product: {
        PrimaryCategory: categoryIdFor(item, "lazada", categoryMap),
        Images: { Image: photoSources(item, site, MAX_IMAGES).map((url) => placeholder("LAZADA_IMAGE_URL", url)) },
        Attributes: {
          name: cutAtWord(oneLineText(item.title), rules.titleMax),
          ...(description ? { description } : {}),
          brand_id: placeholder("LAZADA_BRAND_ID", "No Brand"),
          ...(delay.shipsLater
            ? {
                preorder_enable: "Yes",
                preorder_days: delay.days === null ? placeholder("LAZADA_PREORDER_DAYS") : String(delay.days),
              }
            : {}),
        },
        Skus: {
          Sku: [
            {
              SellerSku: item.id,
              quantity: String(quantityOf(item, today)),
              price: String(item.priceDong),
              package_weight: String(kilograms(requiredWeightGrams(item), 2)),
              package_length: String(size.length),
              package_width: String(size.width),
              package_height: String(size.height),
            },
          ],
        },
      },
    },
  };
}

export const lazada: MarketplaceFormat<LazadaProductCreate> = {
  target: "lazada",
  api: "POST /product/create",
  maxImages: MAX_IMAGES,
  payload: lazadaPayload,
  columns: [
    "SellerSku",
    "name",
    "description",
    "PrimaryCategory",
    "price",
    "quantity",
    "package_weight",
    "package_length",
    "package_width",
    "package_height",
    "preorder_days",
    ...imageColumns(MAX_IMAGES),
  ],
  row(item, payload, { site, today }) {
    const product = payload.Request.Product;
    const [sku] = product.Skus.Sku;
    const size = requiredPackageSize(item);
    const quantity = quantityOf(item, today);
    const days = product.Attributes.preorder_days;
    return {
      SellerSku: sku.SellerSku,
      name: product.Attributes.name,
      // People paste it into the seller centre's editor: the text, not its HTML.
      description: plainWithin(item.description, rules.descriptionMax),
      PrimaryCategory: asNumberWhenSafe(product.PrimaryCategory),
      price: item.priceDong,
      quantity,
      package_weight: Number(sku.package_weight),
      package_length: size.length,
      package_width: size.width,
      package_height: size.height,
      preorder_days: days === undefined ? null : /^\d+$/.test(days) ? Number(days) : days,
      ...imageCells(photoSources(item, site, MAX_IMAGES), MAX_IMAGES),
    };
  },
};
