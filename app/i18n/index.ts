/**
 * The browser-safe front door of app/i18n: types, vocabularies, components.
 * Nothing here may reach zod or a server module.
 */
export { fallbackLanguage, i18nConfig, isLanguage, supportedLanguages } from "./config";
