/**
 * The browser-safe front door of app/stalls: types, vocabularies, components.
 * Nothing here may reach zod or a server module.
 */
export { clip, SITE_NAME, socialImage, socialMeta } from "./seo";
export { normaliseTypedSlug, stallSlugFrom, stallSlugProblem } from "./slug";
export { isInSeason, stallCertifications, telHref } from "./storefront";
export {
  absoluteUrl,
  itemListJsonLd,
  photoUrl,
  productJsonLd,
  productPath,
  type Site,
  stallPath,
  storeJsonLd,
} from "./structured-data";
