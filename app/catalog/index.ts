/**
 * The browser-safe front door of app/catalog: types, vocabularies, components.
 * Nothing here may reach zod or a server module.
 */
export { SEARCH_SORTS, searchHref } from "./search";
