/**
 * Our categories in Google's product taxonomy (committed as data, ADR 023):
 * the id goes in Google's and Meta's `google_product_category`, the path in
 * Shopify's "Product Category". Ids and paths from Google's taxonomy
 * (taxonomy-with-ids, en-US); the nearest node that holds everything the
 * category sells, so a bó of rau muống and a bag of khoai lang are both right.
 *
 * TikTok Shop, Shopee and Lazada ids are per market and change: an admin keeps
 * them in the export_category_mappings table (/admin/exports/categories).
 */
import type { CategoryCode } from "~/listings";

export interface GoogleCategory {
  id: number;
  path: string;
}

const FOOD = "Food, Beverages & Tobacco > Food Items";

export const GOOGLE_CATEGORIES: Readonly<Record<CategoryCode, GoogleCategory>> = {
  // Rau lá: leafy greens.
  "rau-la": { id: 6622, path: `${FOOD} > Fruits & Vegetables > Fresh & Frozen Vegetables > Greens` },
  // Củ quả: roots, tubers, gourds, tomatoes…
  "cu-qua": { id: 5793, path: `${FOOD} > Fruits & Vegetables > Fresh & Frozen Vegetables` },
  "trai-cay": { id: 5795, path: `${FOOD} > Fruits & Vegetables > Fresh & Frozen Fruits` },
  "lua-gao": { id: 4682, path: `${FOOD} > Grains, Rice & Cereal > Rice` },
  // Gia cầm, trứng: Google has eggs and meat apart; the common parent holds both.
  "gia-cam-trung": { id: 432, path: `${FOOD} > Meat, Seafood & Eggs` },
  thit: { id: 4628, path: `${FOOD} > Meat, Seafood & Eggs > Meat` },
  "thuy-san": { id: 4629, path: `${FOOD} > Meat, Seafood & Eggs > Seafood` },
  "gia-vi": { id: 4608, path: `${FOOD} > Seasonings & Spices` },
  // Đặc sản chế biến: dried, pickled, pressed specialties of many kinds.
  "dac-san-che-bien": { id: 422, path: FOOD },
  // Mật ong, đồ khô: honey first; dried goods fall under Food Items too.
  "mat-ong-do-kho": { id: 422, path: FOOD },
  "cay-giong": { id: 985, path: "Home & Garden > Plants" },
};
