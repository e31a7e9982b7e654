/**
 * The browser-safe front door of app/admin-units: types, vocabularies, components.
 * Nothing here may reach zod or a server module.
 */
