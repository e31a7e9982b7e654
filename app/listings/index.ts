/**
 * The browser-safe front door of app/listings: types, vocabularies, components.
 * Nothing here may reach zod or a server module.
 */
export {
  CATEGORIES,
  type CategoryCode,
  CERTIFICATION_TYPES,
  type CertificationTypeCode,
  LISTING_TRANSITIONS,
  type ListingStatusCode,
  MAX_PHOTOS,
  MAX_PRICE_DONG,
  MAX_QUANTITY,
  PUBLIC_LISTING_STATUSES,
  UNITS,
  TITLE_MAX,
  DESCRIPTION_MAX,
  isCategoryCode,
  unitByCode,
} from "./catalog";
export { isCertificationValid, todayInVietnam } from "./dates";
export { SLUG_MAX_LENGTH, slugify } from "./slug";
export {
  addDays,
  type Availability,
  type AvailabilityFields,
  availabilityOf,
  googleAvailability,
  metaAvailability,
  schemaOrgAvailability,
  vietnamDayStart,
} from "./availability";
