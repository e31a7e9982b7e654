/**
 * What the seller routes share: reading a listing form that may carry photos,
 * and turning the domain's refusals into a translated answer that keeps what
 * the farmer typed.
 */
import { data } from "@remix-run/node";
import type { TFunction } from "i18next";
import { isPhotoError, MAX_PHOTO_BYTES } from "~/media";
import { withUploadForm, type UploadForm, type UploadProblem } from "~/http/index.server";
import { MAX_PHOTOS } from "./catalog";
import { ListingError } from "./listings.server";
import type { ListingFormValues } from "./schemas";
import type { FieldErrors } from "~/utils/forms";

// The routes reach the schema through this server-only module, so the
// browser bundle of a page never includes zod up front (ListingForm loads it
// on the first blur).
export { emptyListingFormValues, parseListingForm, toListingFormValues, type ListingInput } from "./schemas";

/** A listing form, with its photos (if any) on disk until `handle` is done. */
export function withListingRequest<T>(request: Request, handle: (upload: UploadForm) => Promise<T>): Promise<T> {
  return withUploadForm(request, { maxFiles: MAX_PHOTOS, maxFileBytes: MAX_PHOTO_BYTES }, handle);
}

/** A translated message for a refused upload, or null when the error is something else. */
export function photoProblemMessage(t: TFunction, error: unknown): string | null {
  if (isPhotoError(error)) return t(`seller:photoErrors.${error.code}`);
  if (error instanceof ListingError && error.code === "too_many_photos") return t("seller:photoErrors.too_many_files");
  return null;
}

export function uploadProblemMessage(t: TFunction, problems: UploadProblem[]): string | null {
  return problems.length ? t(`seller:photoErrors.${problems[0]}`) : null;
}

/** 400 with the form as typed and the problems (field errors are keys of the "listings" namespace). */
export function refusedForm(values: ListingFormValues, errors: FieldErrors, photoError: string | null = null) {
  return data({ values, errors, photoError }, { status: 400 });
}
