/**
 * The browser-safe front door of app/auth: types, vocabularies, components.
 * Nothing here may reach zod or a server module.
 */
