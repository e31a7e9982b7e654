/**
 * The front door of app/catalog for server code: routes and other capabilities
 * import from here and from nowhere else inside app/catalog.
 */
export { searchListings, searchSuggestions } from "./search.server";
export { parseSearchParams } from "./search-params.server";
