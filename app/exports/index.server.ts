/**
 * The server front door of app/exports: the marketplace files for people
 * (TikTok Shop, Shopee, Lazada) and the admin's category mapping they read.
 */
export {
  CATEGORY_ID_MAX_DIGITS,
  CATEGORY_MAPPING_FIELDS,
  type CategoryMap,
  type CategoryMappings,
  categoryIdOf,
  categoryMappings,
  isMarketplaceTarget,
  parseCategoryMappingForm,
  saveCategoryMappings,
} from "./category-mappings.server";
export { ExportError, type ExportErrorCode } from "./errors";
export type { CategoryIds, PayloadContext, Site } from "./marketplaces/facts";
export {
  emptyMarketplaceFileStats,
  MARKETPLACE_FILE_CONTENT_TYPES,
  MARKETPLACE_FORMATS,
  type MarketplaceFileOptions,
  type MarketplaceFileStats,
  marketplaceSheetHeaders,
  streamMarketplaceFile,
} from "./marketplaces/files.server";
export type { MarketplaceFormat, SheetCell } from "./marketplaces/format";
export { type LazadaProductCreate, lazadaPayload } from "./marketplaces/lazada";
export { isPlaceholder, PLACEHOLDER_NAMES, PLACEHOLDER_PATTERN, placeholder } from "./marketplaces/placeholders";
export { type ShopeeAddItem, shopeePayload } from "./marketplaces/shopee";
export { type TiktokProduct, tiktokPayload } from "./marketplaces/tiktok";
