/**
 * The front door of app/i18n for server code: routes and other capabilities
 * import from here and from nowhere else inside app/i18n.
 */
export { getLocale, getT, i18nInstance, languageCookie } from "./i18n.server";
export { resources, resourcesVersion } from "./resources.server";
