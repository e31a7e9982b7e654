/**
 * Test images made on the fly with sharp (no binary fixtures in the repository),
 * and small readers to check what came out.
 */
import zlib from "node:zlib";
import sharp from "sharp";

export const RED = { r: 220, g: 20, b: 20 };
export const BLUE = { r: 20, g: 40, b: 220 };
export const GREY = { r: 128, g: 128, b: 128 };

/**
 * A photo as a phone stores it, `width`×`height` in the file, with a red block
 * in the file's top-left corner and a blue one in its bottom-left, and any
 * EXIF orientation, GPS position (EXIF and XMP) and ICC profile.
 */
export async function markedJpeg({
  width = 1600,
  height = 1200,
  orientation,
  gps = false,
}: { width?: number; height?: number; orientation?: number; gps?: boolean } = {}): Promise<Buffer> {
  const block = (color: typeof RED) =>
    sharp({
      create: { width: Math.round(width / 5), height: Math.round(height / 5), channels: 3, background: color },
    })
      .png()
      .toBuffer();
  let image = sharp({ create: { width, height, channels: 3, background: GREY } })
    .composite([
      { input: await block(RED), top: 0, left: 0 },
      { input: await block(BLUE), top: height - Math.round(height / 5), left: 0 },
    ])
    .jpeg({ quality: 90 });
  if (gps) {
    image = image
      .withExif({
        IFD0: { Make: "Samsung", Model: "Galaxy A05" },
        // Xã Thanh Hà: 20°54′N 106°25′E.
        IFD3: {
          GPSLatitudeRef: "N",
          GPSLatitude: "20/1 54/1 0/1",
          GPSLongitudeRef: "E",
          GPSLongitude: "106/1 25/1 0/1",
        },
      })
      .withXmp(
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
          '<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="20,54.0N" exif:GPSLongitude="106,25.0E"/>' +
          "</rdf:RDF></x:xmpmeta>",
      );
  }
  if (orientation) image = image.withMetadata({ orientation });
  return image.toBuffer();
}

/** The RGB of the pixel at (x, y), as fractions of the width and height. */
export async function pixelAt(image: Buffer, x: number, y: number) {
  const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (Math.floor(y * info.height) * info.width + Math.floor(x * info.width)) * info.channels;
  return { r: data[at], g: data[at + 1], b: data[at + 2] };
}

export function near(a: { r: number; g: number; b: number }, b: { r: number; g: number; b: number }, tolerance = 40) {
  return Math.abs(a.r - b.r) <= tolerance && Math.abs(a.g - b.g) <= tolerance && Math.abs(a.b - b.b) <= tolerance;
}

/** The tag numbers in IFD0 and in the GPS IFD of an EXIF block (`Exif\0\0` + TIFF). */
export function exifTags(exif: Buffer): { ifd0: number[]; gps: number[] } {
  const tiff = exif.subarray(exif.indexOf("Exif\0\0", 0, "latin1") + 6);
  const little = tiff.toString("latin1", 0, 2) === "II";
  const u16 = (at: number) => (little ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number) => (little ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  const ifd = (offset: number) =>
    Array.from({ length: u16(offset) }, (_, i) => ({
      tag: u16(offset + 2 + i * 12),
      value: u32(offset + 2 + i * 12 + 8),
    }));
  const ifd0 = ifd(u32(4));
  const gpsPointer = ifd0.find((e) => e.tag === 0x8825);
  return { ifd0: ifd0.map((e) => e.tag), gps: gpsPointer ? ifd(gpsPointer.value).map((e) => e.tag) : [] };
}

function pngChunk(type: string, data: Buffer) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body) >>> 0);
  return Buffer.concat([length, body, crc]);
}

/**
 * A valid black RGB PNG of any size, built without decoding or encoding it:
 * one deflate block of zero rows, repeated (each ends on a full flush, so
 * copies can follow each other), and the Adler-32 of all zeros. A 20000×20000
 * photo bomb (1.2 GB of pixels) takes ~50 ms and ~1.2 MB.
 */
export function blackPng(width: number, height: number): Buffer {
  const rowBytes = 1 + width * 3; // filter byte + RGB
  const rowsPerBlock = Math.max(1, Math.floor(8_000_000 / rowBytes));
  const deflate = (rows: number) =>
    zlib.deflateRawSync(Buffer.alloc(rowBytes * rows), { level: 9, finishFlush: zlib.constants.Z_FULL_FLUSH });
  const block = deflate(Math.min(rowsPerBlock, height));
  const parts = [Buffer.from([0x78, 0xda])];
  let rows = height;
  for (; rows >= rowsPerBlock; rows -= rowsPerBlock) parts.push(block);
  if (rows > 0) parts.push(deflate(rows));
  parts.push(Buffer.from([0x03, 0x00])); // final, empty block
  const adler = Buffer.alloc(4);
  adler.writeUInt32BE(((((rowBytes * height) % 65521) << 16) | 1) >>> 0);
  parts.push(adler);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per sample
  header[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", header),
    pngChunk("IDAT", Buffer.concat(parts)),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

/** Bytes that must never survive into a stored photo. */
export function metadataTraces(file: Buffer): string[] {
  const text = file.toString("latin1");
  return ["Exif\0\0", "Galaxy A05", "Samsung", "adobe:ns:meta", "http://ns.adobe.com", "ICC_PROFILE"].filter((needle) =>
    text.includes(needle),
  );
}
