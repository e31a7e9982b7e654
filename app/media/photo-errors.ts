/**
 * Why a photo was refused: a refusal (app/utils/refusal.ts) whose message is
 * `seller:photoErrors.<code>`, shown at the form's file input. Shared with
 * the browser (the English message is for logs and developers, never shown to
 * a farmer).
 */
import { RefusalError } from "~/utils/refusal";

export const PHOTO_ERROR_CODES = [
  "empty",
  "too_large",
  "too_many_files",
  "not_an_image",
  "unsupported_format",
  "heic_unsupported",
  "truncated",
  "too_many_pixels",
  "too_small",
  "bad_aspect_ratio",
] as const;

export type PhotoErrorCode = (typeof PHOTO_ERROR_CODES)[number];

export class PhotoError extends RefusalError<PhotoErrorCode> {
  override name = "PhotoError";
  readonly namespace = "seller";
  constructor(code: PhotoErrorCode, message: string = `photo refused: ${code}`) {
    super(code);
    this.message = message;
  }

  get messageKey(): string {
    return `photoErrors.${this.code}`;
  }

  override get aboutUpload(): boolean {
    return true;
  }
}

/**
 * The first problem of an upload (what app/http's withUploadForm reports: a
 * file over the size, files past the count) as a PhotoError; null when none.
 */
export function uploadRefusal(problems: readonly PhotoErrorCode[]): PhotoError | null {
  return problems.length ? new PhotoError(problems[0]) : null;
}

export function isPhotoError(error: unknown): error is PhotoError {
  return error instanceof PhotoError;
}

/** The limits behind the codes, for messages such as "at most 15 MB". */
export const MAX_PHOTO_BYTES = 15 * 1024 * 1024;
/** 50 megapixels: every phone camera's default mode (8160 × 6120 is 49.9 MP). */
export const MAX_PHOTO_PIXELS = 50_000_000;
/**
 * AVIF/HEIC: libheif decodes the whole picture at once (no streaming, no
 * shrink-on-load), ~20 MB per megapixel, so a 50 MP AVIF of a few KB would
 * cost a gigabyte. 4096 × 4096 covers 12-MP phone photos.
 */
export const MAX_HEIF_PIXELS = 4096 * 4096;
/** The shorter side, after rotation. */
export const MIN_PHOTO_SIDE = 200;
/** Longer side over shorter side: a panorama is fine, a 1 × 50,000 strip is not. */
export const MAX_ASPECT_RATIO = 5;
