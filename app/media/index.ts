/**
 * The browser-safe front door of app/media: types, vocabularies, components.
 * Nothing here may reach zod or a server module.
 */
export { parsePhotoKey } from "./keys";
export { isPhotoError, MAX_PHOTO_BYTES, PhotoError, uploadRefusal } from "./photo-errors";
export { type PhotoRef, photoUrls } from "./Picture";
