/**
 * A stored photo on a page: AVIF, then WebP, then JPEG, each at every stored
 * width, so a phone on 3G downloads the smallest file that looks sharp. Its
 * dominant colour and a blurred 16 px preview fill the box until it arrives,
 * and width/height reserve the box so the page does not jump.
 *
 * Shared with the browser: no server imports.
 */
import { createContext, useContext, type ReactNode } from "react";
import { PHOTO_FORMATS, photoKey, type PhotoFormat } from "./keys";

/** The columns of media_assets a page needs (structurally a MediaAsset). */
export interface PhotoRef {
  hash: string;
  width: number;
  height: number;
  widths: readonly number[];
  dominantColor: string;
  placeholder: string;
}

export const DEFAULT_SIZES = "(min-width: 600px) 50vw, 100vw";
/** What `<img src>` gets: enough for a phone screen, and what browsers without srcset load. */
const FALLBACK_WIDTH = 640;

const MediaBaseUrlContext = createContext("/media");

/**
 * Where photos are fetched from: this app's /media route (the default) or the
 * bucket's public URL / CDN (mediaBaseUrl() on the server, passed down once).
 */
export function MediaBaseUrlProvider({ baseUrl, children }: { baseUrl: string; children: ReactNode }) {
  return <MediaBaseUrlContext.Provider value={baseUrl}>{children}</MediaBaseUrlContext.Provider>;
}

export interface PhotoUrls {
  /** `<url> 320w, <url> 640w, …` per format. */
  srcSet: Record<PhotoFormat, string>;
  /** The JPEG at 640 px (or the widest below it), for `<img src>`. */
  src: string;
  /** The widest JPEG: feeds, og:image, JSON-LD (make it absolute with the page's origin). */
  largestJpeg: string;
  url(width: number, format: PhotoFormat): string;
}

export function photoUrls(photo: Pick<PhotoRef, "hash" | "widths">, baseUrl = "/media"): PhotoUrls {
  const base = baseUrl.replace(/\/+$/, "");
  const url = (width: number, format: PhotoFormat) => `${base}/${photoKey(photo.hash, width, format)}`;
  const widths = [...photo.widths].sort((a, b) => a - b);
  const srcSet = Object.fromEntries(
    PHOTO_FORMATS.map((format) => [format, widths.map((w) => `${url(w, format)} ${w}w`).join(", ")]),
  ) as Record<PhotoFormat, string>;
  const fallback = widths.filter((w) => w <= FALLBACK_WIDTH).at(-1) ?? widths[0];
  return { srcSet, src: url(fallback, "jpg"), largestJpeg: url(widths.at(-1)!, "jpg"), url };
}

// Both come from our own pipeline; checked anyway, since they end up in a style attribute.
const COLOR = /^#[0-9a-f]{6}$/i;
const PLACEHOLDER = /^data:image\/webp;base64,[A-Za-z0-9+/]+=*$/;

export interface PictureProps {
  photo: PhotoRef;
  /** Say what the photo shows ("Vải thiều chín đỏ trong rổ tre"); "" only for decoration. */
  alt: string;
  /** How wide the photo is drawn, for the browser to pick a width. */
  sizes?: string;
  /** "eager" for the first photo on screen (the product's cover), "lazy" below the fold. */
  loading?: "lazy" | "eager";
  /** "high" for the page's main photo (its LCP element). */
  fetchPriority?: "high" | "low" | "auto";
  className?: string;
  /** Overrides MediaBaseUrlProvider. */
  baseUrl?: string;
}

export function Picture({
  photo,
  alt,
  sizes = DEFAULT_SIZES,
  loading = "lazy",
  fetchPriority,
  className,
  baseUrl,
}: PictureProps) {
  const contextBaseUrl = useContext(MediaBaseUrlContext);
  const urls = photoUrls(photo, baseUrl ?? contextBaseUrl);
  // React 18 only knows the attribute in lower case (camelCase warns).
  const priority = fetchPriority ? ({ fetchpriority: fetchPriority } as Record<string, string>) : {};
  return (
    <picture>
      <source type="image/avif" srcSet={urls.srcSet.avif} sizes={sizes} />
      <source type="image/webp" srcSet={urls.srcSet.webp} sizes={sizes} />
      <img
        src={urls.src}
        srcSet={urls.srcSet.jpg}
        sizes={sizes}
        width={photo.width}
        height={photo.height}
        alt={alt}
        loading={loading}
        decoding="async"
        className={className}
        style={{
          backgroundColor: COLOR.test(photo.dominantColor) ? photo.dominantColor : undefined,
          backgroundImage: PLACEHOLDER.test(photo.placeholder) ? `url("${photo.placeholder}")` : undefined,
          backgroundSize: "cover",
          backgroundPosition: "center",
        }}
        {...priority}
      />
    </picture>
  );
}
