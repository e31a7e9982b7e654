/**
 * The front door of app/media for server code: routes and other capabilities
 * import from here and from nowhere else inside app/media.
 */
export { photoRefColumns } from "./photo-columns.server";
export { deletePhotoIfUnused, getPhotoRef, type PhotoSource, storePhoto } from "./photos.server";
export { IMMUTABLE_CACHE_CONTROL, mediaBaseUrl, storage } from "./storage.server";
export type { ObjectStorage, StoredObject, StreamBody } from "./storage.server";
