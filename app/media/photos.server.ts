/**
 * Phone photo in, product photo out: checks what the bytes really are, turns
 * the photo upright, drops every piece of metadata (GPS included), and makes
 * 320/640/1280 px variants in AVIF, WebP and JPEG, plus a colour and a tiny
 * blurred placeholder to paint while they load. See docs/decisions/007.
 *
 * processPhoto is pure (bytes in, files out); storePhoto adds storage and the
 * media_assets row, content-addressed so the same upload is stored once.
 */
import { createHash } from "node:crypto";
import os from "node:os";
import { eq, sql } from "drizzle-orm";
import sharp, { type Metadata, type Sharp } from "sharp";
import { listingPhotos, mediaAssets, stalls, type MediaAsset } from "#db/schema";
import type { Database } from "~/utils/db.server";
import { isUuid } from "~/utils/db-errors.server";
import { logger } from "~/utils/logger.server";
import {
  MAX_PHOTO_WIDTH,
  PHOTO_CONTENT_TYPES,
  PHOTO_FORMATS,
  photoKey,
  photoPrefix,
  variantWidths,
  type PhotoFormat,
} from "./keys";
import {
  MAX_ASPECT_RATIO,
  MAX_HEIF_PIXELS,
  MAX_PHOTO_BYTES,
  MAX_PHOTO_PIXELS,
  MIN_PHOTO_SIDE,
  PhotoError,
  type PhotoErrorCode,
} from "./photo-errors";
import { photoRefColumns } from "./photo-columns.server";
import type { PhotoRef } from "./Picture";
import { storage as configuredStorage, type ObjectStorage } from "./storage.server";

export * from "./photo-errors";

// libvips' operation cache helps when the same image is processed again and
// again; every upload here is new, so it would only hold on to memory.
sharp.cache(false);
// One libvips thread per job, and jobs side by side (Slots below), whatever
// sharp's default (1 on glibc, the core count with jemalloc, musl or
// MALLOC_ARENA_MAX): nine small encodes spread over the cores better than one
// encode spread thin, and the CPU is never oversubscribed.
sharp.concurrency(1);

/** What the upload really is, judged from its bytes (never its name or MIME type). */
export type SourceFormat = "jpeg" | "png" | "webp" | "avif" | "heic";

export interface PhotoVariant {
  key: string;
  format: PhotoFormat;
  contentType: string;
  width: number;
  height: number;
  body: Buffer;
}

export interface ProcessedPhoto {
  /** SHA-256 (hex) of the uploaded bytes: the photo's identity and folder. */
  hash: string;
  sourceFormat: SourceFormat;
  /** Of the upright original. */
  width: number;
  height: number;
  widths: number[];
  /** "#rrggbb". */
  dominantColor: string;
  /** `data:image/webp;base64,…`, a few hundred bytes. */
  placeholder: string;
  /** Every width × every format. */
  variants: PhotoVariant[];
  /** Total size of the variants: what the photo costs in storage. */
  bytes: number;
}

/**
 * Encoder settings, tuned with `npm run bench:photos` (see ADR 007); the 640 px
 * WebP of a 12-MP phone photo is about 60 KB.
 * - AVIF at effort 0 is 5× faster than effort 2 for the same size and PSNR on
 *   photos; the default (4) took 6 s for one 1280 px variant on 2 cores.
 * - JPEG uses mozjpeg's quantisation tables and progressive scans but not its
 *   trellis quantisation, which cost 5× the time for no gain at equal PSNR.
 */
const ENCODERS: Record<PhotoFormat, (image: Sharp) => Sharp> = {
  avif: (image) => image.avif({ quality: 50, effort: 0, chromaSubsampling: "4:2:0" }),
  webp: (image) => image.webp({ quality: 72, effort: 4 }),
  jpg: (image) => image.jpeg({ quality: 72, quantisationTable: 3, progressive: true, optimiseCoding: true }),
};

const PLACEHOLDER_SIDE = 16;
/** A pathological file must not hold a worker for minutes. */
const DECODE_TIMEOUT_SECONDS = 30;

// ------------------------------------------------------------------ concurrency

/**
 * Every sharp job (a decode, an encode) of every upload in this process waits
 * for one of these slots: one per core, so uploads share the CPU instead of
 * piling up in memory, and at least one libuv thread (sharp runs on that pool)
 * stays free for file and DNS work.
 */
class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];
  constructor(size: number) {
    this.free = size;
  }
  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await job();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}

const LIBUV_THREADS = Number(process.env.UV_THREADPOOL_SIZE) || 4;
const slots = new Slots(Math.max(1, Math.min(os.availableParallelism(), LIBUV_THREADS - 1)));
/** AVIF/HEIC decode whole (up to ~350 MB for 16 MP): one at a time, on top of a slot. */
const heifDecodes = new Slots(1);

// ------------------------------------------------------------------ what is it?

type Sniffed = SourceFormat | "heif";

const ISO_BRANDS: Record<string, Sniffed> = {
  avif: "avif",
  avis: "avif",
  heic: "heic",
  heix: "heic",
  heim: "heic",
  heis: "heic",
  hevc: "heic",
  hevx: "heic",
  hevm: "heic",
  hevs: "heic",
  mif1: "heif",
  msf1: "heif",
};

function startsWith(input: Buffer, bytes: number[], offset = 0) {
  return input.length >= offset + bytes.length && bytes.every((b, i) => input[offset + i] === b);
}

const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** Magic bytes first: only what we accept ever reaches a decoder (no SVG, TIFF, PDF, … parsers). */
function sniff(input: Buffer): Sniffed {
  if (startsWith(input, [0xff, 0xd8, 0xff])) return "jpeg";
  if (startsWith(input, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "png";
  if (startsWith(input, ascii("RIFF")) && startsWith(input, ascii("WEBP"), 8)) return "webp";
  if (startsWith(input, ascii("ftyp"), 4)) {
    // ISO base media: the major brand, then compatible brands, up to the box's end.
    const end = Math.min(input.readUInt32BE(0), input.length, 512);
    const brands = [input.toString("latin1", 8, 12)];
    for (let at = 16; at + 4 <= end; at += 4) brands.push(input.toString("latin1", at, at + 4));
    const kinds = brands.map((b) => ISO_BRANDS[b]).filter(Boolean);
    for (const kind of ["avif", "heic", "heif"] as const) if (kinds.includes(kind)) return kind;
    throw refuse("unsupported_format", "an ISO media file that is not HEIF/AVIF (a video?)");
  }
  if (
    startsWith(input, ascii("GIF87a")) ||
    startsWith(input, ascii("GIF89a")) ||
    startsWith(input, [0x49, 0x49, 0x2a, 0x00]) || // TIFF (and most camera RAW)
    startsWith(input, [0x4d, 0x4d, 0x00, 0x2a]) ||
    startsWith(input, ascii("BM")) ||
    startsWith(input, ascii("8BPS")) || // Photoshop
    startsWith(input, ascii("%PDF")) ||
    startsWith(input, [0xff, 0x0a]) || // JPEG XL
    startsWith(input, [0x00, 0x00, 0x00, 0x0c, 0x4a, 0x58, 0x4c, 0x20]) ||
    startsWith(input, [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20]) || // JPEG 2000
    startsWith(input, [0x00, 0x00, 0x01, 0x00]) || // ICO
    /<svg[\s>]/i.test(input.toString("latin1", 0, 4096))
  ) {
    throw refuse("unsupported_format", "an image format we do not take (GIF, TIFF, SVG, …)");
  }
  throw refuse("not_an_image", "not an image");
}

/**
 * PNG and WebP say how long they are, so a cut-off upload (a dropped 3G
 * connection) is told apart from a corrupt file before decoding; libjpeg and
 * libheif report it themselves ("premature end").
 */
function endsEarly(kind: Sniffed, input: Buffer): boolean {
  if (kind === "webp") return input.length < 12 || 8 + input.readUInt32LE(4) > input.length;
  if (kind === "png") {
    // Chunks: length, type, data, CRC; the file ends with IEND.
    for (let at = 8; at + 8 <= input.length;) {
      const next = at + 12 + input.readUInt32BE(at);
      if (next > input.length) return true;
      if (input.readUInt32BE(at + 4) === 0x49454e44) return false; // "IEND"
      at = next;
    }
    return true;
  }
  return false;
}

function refuse(code: PhotoErrorCode, message: string) {
  return new PhotoError(code, `Photo refused (${code}): ${message}`);
}

// ------------------------------------------------------------------ HEIC

let heicProbe: Promise<boolean> | undefined;

/**
 * Can this sharp decode HEVC-coded HEIF (iPhone photos)? sharp's prebuilt
 * libvips decodes AVIF but not HEVC (patents); a system libvips with libde265
 * can. Probed once by decoding a hand-made HEIC whose image data is junk: with
 * no HEVC decoder, libheif says so before it looks at the data.
 */
export function heicDecodable(): Promise<boolean> {
  heicProbe ??= sharp(minimalHeic(64, 64), { failOn: "error" })
    .raw()
    .toBuffer()
    .then(
      () => true,
      (error: unknown) => !NO_HEVC_DECODER.test(String(error)),
    );
  return heicProbe;
}

const NO_HEVC_DECODER = /not been built in|unsupported codec|no decoder|no decoding plugin/i;

/** The smallest HEIF container libheif accepts for an `hvc1` item: ftyp, meta (hdlr, pitm, iloc, iinf, iprp), mdat. */
export function minimalHeic(width: number, height: number, payload = Buffer.from([0, 0, 0, 2, 0x26, 0x01])): Buffer {
  const u8 = (...b: number[]) => Buffer.from(b);
  const u16 = (n: number) => Buffer.from([n >> 8, n & 255]);
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  const box = (type: string, ...parts: Buffer[]) => {
    const body = Buffer.concat(parts);
    return Buffer.concat([u32(8 + body.length), Buffer.from(type, "latin1"), body]);
  };
  const fullBox = (type: string, version: number, ...parts: Buffer[]) => box(type, u8(version, 0, 0, 0), ...parts);
  const ftyp = box("ftyp", Buffer.from("heic", "latin1"), u32(0), Buffer.from("mif1heic", "latin1"));
  // HEVCDecoderConfigurationRecord: Main profile, 8-bit 4:2:0, 4-byte NAL lengths, no parameter sets.
  const hvcC = box(
    "hvcC",
    ...[u8(1, 0x01), u32(0x60000000), u8(0x90, 0, 0, 0, 0, 0, 90)], // version, profile, constraints, level
    ...[u16(0xf000), u8(0xfc, 0xfd, 0xf8, 0xf8), u16(0), u8(0x0f, 0)], // 4:2:0, 8 bits, 4-byte lengths, 0 arrays
  );
  const ispe = fullBox("ispe", 0, u32(width), u32(height));
  const iprp = box("iprp", box("ipco", hvcC, ispe), fullBox("ipma", 0, u32(1), u16(1), u8(2, 0x81, 0x02)));
  const meta = (dataOffset: number) =>
    fullBox(
      "meta",
      0,
      fullBox("hdlr", 0, u32(0), Buffer.from("pict", "latin1"), u32(0), u32(0), u32(0), u8(0)),
      fullBox("pitm", 0, u16(1)),
      fullBox("iloc", 0, u8(0x44, 0x00), u16(1), u16(1), u16(0), u16(1), u32(dataOffset), u32(payload.length)),
      fullBox("iinf", 0, u16(1), fullBox("infe", 2, u16(1), u16(0), Buffer.from("hvc1", "latin1"), u8(0))),
      iprp,
    );
  const dataOffset = ftyp.length + meta(0).length + 8;
  return Buffer.concat([ftyp, meta(dataOffset), box("mdat", payload)]);
}

const HEIC_MESSAGE =
  "an HEIC photo (iPhone), which this server cannot decode: send it as JPEG " +
  '(on the iPhone: Settings › Camera › Formats › "Most Compatible")';

// ------------------------------------------------------------------ decoding

/** libvips' words for "the file stops early", across decoders. */
const TRUNCATED =
  /premature end|truncated|unexpected end|end of (file|stream|data)|not enough data|outside of file bounds/i;

function decodeError(error: unknown, what: string): PhotoError {
  const message = error instanceof Error ? error.message : String(error);
  if (/exceeds pixel limit/i.test(message)) return refuse("too_many_pixels", "over the pixel limit");
  if (NO_HEVC_DECODER.test(message)) return refuse("heic_unsupported", HEIC_MESSAGE);
  if (TRUNCATED.test(message)) return refuse("truncated", `the ${what} stops early (${firstLine(message)})`);
  return refuse("not_an_image", `the ${what} cannot be decoded (${firstLine(message)})`);
}

function firstLine(message: string) {
  // libvips prefixes the real reason with "source: bad seek…" noise from probing.
  const lines = message.split("\n").filter((l) => l.trim() && !/^source: bad seek/.test(l));
  return (lines.at(-1) ?? message).slice(0, 200);
}

/** What sharp's metadata calls each format. */
const SHARP_FORMAT: Record<Sniffed, string> = {
  jpeg: "jpeg",
  png: "png",
  webp: "webp",
  avif: "heif",
  heic: "heif",
  heif: "heif",
};

interface Checked {
  format: SourceFormat;
  /** Upright. */
  width: number;
  height: number;
}

/** Everything that can be told from the header, before a single pixel is decoded. */
async function check(input: Buffer): Promise<Checked> {
  if (input.length === 0) throw refuse("empty", "no bytes");
  if (input.length > MAX_PHOTO_BYTES) throw refuse("too_large", `${input.length} bytes, more than ${MAX_PHOTO_BYTES}`);
  const sniffed = sniff(input);
  if (sniffed === "heic" && !(await heicDecodable())) throw refuse("heic_unsupported", HEIC_MESSAGE);
  if (endsEarly(sniffed, input)) throw refuse("truncated", `the ${sniffed} file stops early`);

  let meta: Metadata;
  try {
    // Header only; the pixel limit is ours to apply below, with our own error.
    meta = await sharp(input, { failOn: "error", limitInputPixels: false }).metadata();
  } catch (error) {
    throw decodeError(error, sniffed);
  }
  if (meta.format !== SHARP_FORMAT[sniffed]) {
    throw refuse("not_an_image", `looks like ${sniffed}, decodes as ${meta.format}`);
  }

  let format: SourceFormat;
  if (sniffed === "heif" || sniffed === "heic" || sniffed === "avif") {
    if (meta.compression === "av1") format = "avif";
    else if (meta.compression === "hevc") format = "heic";
    else throw refuse("unsupported_format", `HEIF with ${meta.compression ?? "unknown"} coding`);
    if (format === "heic" && !(await heicDecodable())) throw refuse("heic_unsupported", HEIC_MESSAGE);
  } else {
    format = sniffed;
  }

  if (!meta.width || !meta.height) throw refuse("not_an_image", "no dimensions");
  const maxPixels = pixelLimit(format);
  if (meta.width * meta.height > maxPixels) {
    throw refuse("too_many_pixels", `${meta.width}×${meta.height} is more than ${maxPixels} pixels`);
  }
  // Orientations 5–8 turn the photo a quarter.
  const quarter = (meta.orientation ?? 1) >= 5;
  const width = quarter ? meta.height : meta.width;
  const height = quarter ? meta.width : meta.height;
  if (Math.min(width, height) < MIN_PHOTO_SIDE) {
    throw refuse("too_small", `${width}×${height}: a side is under ${MIN_PHOTO_SIDE} px`);
  }
  if (Math.max(width, height) / Math.min(width, height) > MAX_ASPECT_RATIO) {
    throw refuse("bad_aspect_ratio", `${width}×${height} is longer than ${MAX_ASPECT_RATIO}:1`);
  }
  return { format, width, height };
}

const isHeif = (format: SourceFormat) => format === "avif" || format === "heic";
const pixelLimit = (format: SourceFormat) => (isHeif(format) ? MAX_HEIF_PIXELS : MAX_PHOTO_PIXELS);

interface RawImage {
  data: Buffer;
  width: number;
  height: number;
  channels: 3;
}

/**
 * Decodes once, upright, at most 1280 px wide, on white where it was
 * transparent, in sRGB, as raw pixels. Every variant is made from this, so the
 * big decode happens once and no metadata can reach an output.
 */
async function decodeUpright(input: Buffer, { format, width }: Checked): Promise<RawImage> {
  try {
    const { data, info } = await sharp(input, {
      failOn: "error",
      limitInputPixels: pixelLimit(format),
      autoOrient: true,
      sequentialRead: true,
    })
      .timeout({ seconds: DECODE_TIMEOUT_SECONDS })
      .resize({ width: Math.min(width, MAX_PHOTO_WIDTH), withoutEnlargement: true })
      .flatten({ background: "#ffffff" })
      .toColourspace("srgb")
      .raw({ depth: "uchar" })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`unexpected ${info.channels} channels`);
    return { data, width: info.width, height: info.height, channels: 3 };
  } catch (error) {
    throw decodeError(error, format);
  }
}

const fromRaw = (image: RawImage) =>
  sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels } });

async function resizeRaw(image: RawImage, width: number): Promise<RawImage> {
  if (width === image.width) return image;
  const { data, info } = await fromRaw(image).resize({ width }).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 3 };
}

function hex({ r, g, b }: { r: number; g: number; b: number }) {
  return "#" + [r, g, b].map((v) => Math.round(v).toString(16).padStart(2, "0")).join("");
}

// ------------------------------------------------------------------ the pipeline

/** Bytes in, upright and metadata-free variants out. Throws PhotoError for anything it will not take. */
export async function processPhoto(input: Buffer): Promise<ProcessedPhoto> {
  const checked = await check(input);
  const hash = createHash("sha256").update(input).digest("hex");
  const decode = () => slots.run(() => decodeUpright(input, checked));
  const upright = await (isHeif(checked.format) ? heifDecodes.run(decode) : decode());
  const widths = variantWidths(checked.width);
  const sized = await Promise.all(widths.map((width) => slots.run(() => resizeRaw(upright, width))));
  const smallest = sized[0];

  // Largest first, so the slow encodes start early and the small ones fill the gaps.
  const jobs = sized
    .flatMap((image) => PHOTO_FORMATS.map((format) => ({ image, format })))
    .sort((x, y) => y.image.width - x.image.width);
  const [variants, stats, placeholder] = await Promise.all([
    Promise.all(
      jobs.map(({ image, format }) =>
        slots.run(async (): Promise<PhotoVariant> => {
          const { data, info } = await ENCODERS[format](fromRaw(image)).toBuffer({ resolveWithObject: true });
          return {
            key: photoKey(hash, image.width, format),
            format,
            contentType: PHOTO_CONTENT_TYPES[format],
            width: info.width,
            height: info.height,
            body: data,
          };
        }),
      ),
    ),
    // A 4096-bin histogram: the smallest variant has the same dominant colour as the largest.
    slots.run(() => fromRaw(smallest).stats()),
    slots.run(() =>
      fromRaw(smallest)
        .resize({ width: PLACEHOLDER_SIDE, height: PLACEHOLDER_SIDE, fit: "inside" })
        .webp({ quality: 40, effort: 6 })
        .toBuffer(),
    ),
  ]);
  variants.sort((x, y) => x.width - y.width || PHOTO_FORMATS.indexOf(x.format) - PHOTO_FORMATS.indexOf(y.format));
  return {
    hash,
    sourceFormat: checked.format,
    width: checked.width,
    height: checked.height,
    widths,
    dominantColor: hex(stats.dominant),
    placeholder: `data:image/webp;base64,${placeholder.toString("base64")}`,
    variants,
    bytes: variants.reduce((sum, v) => sum + v.body.length, 0),
  };
}

// ------------------------------------------------------------------ storage and rows

type Queryable = Pick<Database, "select" | "execute">;

/**
 * Serialises everything that writes or deletes one photo's files, across
 * processes and instances, until the transaction ends: the keys are shared by
 * every upload of the same bytes, so a failed upload cleaning up must not
 * remove the files of one that succeeded, nor a delete race a re-upload.
 */
async function lockPhoto(tx: Queryable, hash: string) {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${"media_assets:" + hash}, 0))`);
}

/** A stored photo by id, as pages draw it (Picture), or null. */
export async function getPhotoRef(db: Database, mediaId: string | null): Promise<PhotoRef | null> {
  if (!mediaId || !isUuid(mediaId)) return null;
  const [row] = await db.select(photoRefColumns()).from(mediaAssets).where(eq(mediaAssets.id, mediaId)).limit(1);
  return row ?? null;
}

async function findByHash(db: Queryable, hash: string): Promise<MediaAsset | undefined> {
  const [row] = await db.select().from(mediaAssets).where(eq(mediaAssets.hash, hash)).limit(1);
  return row;
}

async function deleteKeys(store: ObjectStorage, keys: readonly string[]) {
  const results = await Promise.allSettled(keys.map((key) => store.delete(key)));
  const failed = results.filter((r) => r.status === "rejected");
  if (failed.length > 0) {
    logger.warn({ err: failed[0].reason, failed: failed.length }, "could not delete some photo files (orphans)");
  }
}

export interface StorePhotoOptions {
  uploadedByUserId?: string;
  /** Defaults to the configured storage (S3 or DATA_DIR/media). */
  storage?: ObjectStorage;
}

/** A photo's bytes, or a file of an upload that gives them when asked. */
export type PhotoSource = Buffer | { read(): Promise<Buffer> };

/**
 * Checks, processes and stores a photo, all or nothing: a new photo's files
 * are written before its row, and deleted again if anything fails. The same
 * bytes uploaded again (by anyone) give back the existing row and store nothing.
 */
export async function storePhoto(
  db: Database,
  source: PhotoSource,
  { uploadedByUserId, storage = configuredStorage() }: StorePhotoOptions = {},
): Promise<MediaAsset> {
  // Read only now: a form's photos wait on disk (app/http/uploads) until their turn.
  const input = Buffer.isBuffer(source) ? source : await source.read();
  if (input.length > 0 && input.length <= MAX_PHOTO_BYTES) {
    const known = await findByHash(db, createHash("sha256").update(input).digest("hex"));
    if (known) return known;
  }
  const photo = await processPhoto(input);

  return db.transaction(async (tx) => {
    await lockPhoto(tx, photo.hash);
    // Someone may have stored the same bytes while we were encoding.
    const known = await findByHash(tx, photo.hash);
    if (known) return known;

    const written = photo.variants.map((variant) => variant.key);
    try {
      // Settle every write before deciding: cleaning up while a put is still in
      // flight would leave that file behind.
      const puts = await Promise.allSettled(
        photo.variants.map((variant) => storage.put(variant.key, variant.body, variant.contentType)),
      );
      const failed = puts.find((p) => p.status === "rejected");
      if (failed) throw failed.reason;
      const [row] = await tx
        .insert(mediaAssets)
        .values({
          hash: photo.hash,
          width: photo.width,
          height: photo.height,
          widths: photo.widths,
          dominantColor: photo.dominantColor,
          placeholder: photo.placeholder,
          bytes: photo.bytes,
          uploadedByUserId,
        })
        // The lock makes a conflict impossible between instances of this code; the
        // unique index still has the last word.
        .onConflictDoNothing({ target: mediaAssets.hash })
        .returning();
      if (row) return row;
      const existing = await findByHash(tx, photo.hash);
      if (!existing) throw new Error(`media_assets conflict on ${photo.hash} but no row`);
      return existing;
    } catch (error) {
      await deleteKeys(storage, written);
      throw error;
    }
  });
}

/** The SQLSTATE of a database error, through Drizzle's wrapping (`cause`). */
function sqlState(error: unknown): string | undefined {
  let e = error;
  for (let depth = 0; e && typeof e === "object" && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Deletes the photo (row and files) unless a listing or a stall banner still shows it. Returns
 * whether it was deleted. A file that cannot be deleted is logged and left
 * behind: an orphan costs disk space, a row without files costs a broken image.
 */
export async function deletePhotoIfUnused(
  db: Database,
  mediaId: string,
  { storage = configuredStorage() }: { storage?: ObjectStorage } = {},
): Promise<boolean> {
  if (!isUuid(mediaId)) return false;
  try {
    return await db.transaction(async (tx) => {
      const [asset] = await tx
        .select({ id: mediaAssets.id, hash: mediaAssets.hash })
        .from(mediaAssets)
        .where(eq(mediaAssets.id, mediaId))
        .limit(1);
      if (!asset) return false;
      await lockPhoto(tx, asset.hash);
      const [used] = await tx
        .select({ mediaId: listingPhotos.mediaId })
        .from(listingPhotos)
        .where(eq(listingPhotos.mediaId, asset.id))
        .limit(1);
      if (used) return false;
      const [banner] = await tx
        .select({ id: stalls.id })
        .from(stalls)
        .where(eq(stalls.bannerMediaId, asset.id))
        .limit(1);
      if (banner) return false;
      // The foreign keys (ON DELETE RESTRICT) refuse if a listing took it meanwhile.
      const deleted = await tx
        .delete(mediaAssets)
        .where(eq(mediaAssets.id, asset.id))
        .returning({ id: mediaAssets.id });
      if (deleted.length === 0) return false;
      await deleteKeys(storage, await storage.list(photoPrefix(asset.hash)));
      return true;
    });
  } catch (error) {
    if (sqlState(error) === "23503") return false; // foreign_key_violation
    throw error;
  }
}
