/**
 * Where a photo variant lives: `photos/<sha256 of the upload>/<width>.<ext>`,
 * the same under /media, in the folder and in the bucket. Shared with the
 * browser (<Picture> builds URLs from it).
 */

/** Variant widths; a photo narrower than 1280 px also gets one at its own width (never upscaled). */
export const PHOTO_WIDTHS = [320, 640, 1280] as const;
export const MAX_PHOTO_WIDTH = 1280;

/** Best first: what <picture> offers the browser, in order. */
export const PHOTO_FORMATS = ["avif", "webp", "jpg"] as const;
export type PhotoFormat = (typeof PHOTO_FORMATS)[number];

export const PHOTO_CONTENT_TYPES: Record<PhotoFormat, string> = {
  avif: "image/avif",
  webp: "image/webp",
  jpg: "image/jpeg",
};

export function photoKey(hash: string, width: number, format: PhotoFormat): string {
  return `photos/${hash}/${width}.${format}`;
}

/** The folder of one photo's variants. */
export function photoPrefix(hash: string): string {
  return `photos/${hash}/`;
}

const PHOTO_KEY = /^photos\/([0-9a-f]{64})\/([1-9][0-9]{0,3})\.(avif|webp|jpg)$/;

/** The parts of a well-formed variant key, or null for anything else (traversal, other files, odd widths). */
export function parsePhotoKey(key: string): { hash: string; width: number; format: PhotoFormat } | null {
  const match = PHOTO_KEY.exec(key);
  if (!match) return null;
  const width = Number(match[2]);
  if (width > MAX_PHOTO_WIDTH) return null;
  return { hash: match[1], width, format: match[3] as PhotoFormat };
}

/**
 * The widths stored for a photo `originalWidth` px wide (after rotation): the
 * standard ones up to its width, plus its own width when it is narrower than
 * the largest, so a 900 px photo gets 320, 640 and 900.
 */
export function variantWidths(originalWidth: number): number[] {
  const widths: number[] = PHOTO_WIDTHS.filter((w) => w <= originalWidth);
  if (originalWidth < MAX_PHOTO_WIDTH && widths.at(-1) !== originalWidth) widths.push(originalWidth);
  return widths;
}
