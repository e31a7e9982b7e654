/**
 * What the seller routes share: reading a listing form that may carry photos.
 * Refusals are answered the one way (answerRefusal, app/http): a refused
 * photo (PhotoError) at the photo input, anything else above the form.
 */
import { MAX_PHOTO_BYTES } from "~/media";
import { withUploadForm, type UploadForm } from "~/http/index.server";
import { MAX_PHOTOS } from "./catalog";

// The routes reach the schema through this server-only module, so the
// browser bundle of a page never includes zod up front (ListingForm loads it
// on the first blur).
export { emptyListingFormValues, parseListingForm, toListingFormValues, type ListingInput } from "./schemas";

/** A listing form, with its photos (if any) on disk until `handle` is done. */
export function withListingRequest<T>(request: Request, handle: (upload: UploadForm) => Promise<T>): Promise<T> {
  return withUploadForm(request, { maxFiles: MAX_PHOTOS, maxFileBytes: MAX_PHOTO_BYTES }, handle);
}
