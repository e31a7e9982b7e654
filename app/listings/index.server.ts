/**
 * The front door of app/listings for server code: routes and other capabilities
 * import from here and from nowhere else inside app/listings.
 */
export {
  addPhotos,
  createListing,
  duplicateListing,
  getPublicProduct,
  getSellerListing,
  ListingError,
  listInSeasonListings,
  listPublicStallListings,
  listStallListings,
  movePhoto,
  publicCardColumns,
  type PublicProduct,
  type PublicListingCard,
  removePhoto,
  setCoverPhoto,
  setListingStatus,
  toPublicCard,
  updateListing,
} from "./listings.server";
export {
  emptyListingFormValues,
  type ListingInput,
  parseListingForm,
  toListingFormValues,
  withListingRequest,
} from "./route-helpers.server";
