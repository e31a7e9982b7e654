import { createHash } from "node:crypto";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { resources } from "~/i18n/resources.server";
import { PHOTO_FORMATS, variantWidths } from "./keys";
import {
  heicDecodable,
  MAX_PHOTO_BYTES,
  minimalHeic,
  PHOTO_ERROR_CODES,
  PhotoError,
  processPhoto,
  type PhotoErrorCode,
  type ProcessedPhoto,
} from "./photos.server";
import { BLUE, blackPng, exifTags, GREY, markedJpeg, metadataTraces, near, pixelAt, RED } from "#tests/fixtures/images";

async function refusal(input: Buffer | Promise<Buffer>): Promise<PhotoErrorCode> {
  const error = await processPhoto(await input).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PhotoError);
  return (error as PhotoError).code;
}

const hexToRgb = async (hex: string) => ({
  r: parseInt(hex.slice(1, 3), 16),
  g: parseInt(hex.slice(3, 5), 16),
  b: parseInt(hex.slice(5, 7), 16),
});

const SHARP_FORMAT = { avif: "heif", webp: "webp", jpg: "jpeg" } as const;

describe("processPhoto: a phone photo lying on its side, with GPS", () => {
  let input: Buffer;
  let photo: ProcessedPhoto;

  beforeAll(async () => {
    // Stored 1600×1200 with orientation 6: the phone was held upright, so it shows as 1200×1600.
    input = await markedJpeg({ width: 1600, height: 1200, orientation: 6, gps: true });
    photo = await processPhoto(input);
  });

  it("really has orientation, GPS (EXIF and XMP) and a colour profile to strip", async () => {
    const meta = await sharp(input).metadata();
    expect(meta.orientation).toBe(6);
    expect(meta.exif).toBeDefined();
    const tags = exifTags(meta.exif!);
    expect(tags.ifd0).toContain(0x8825); // GPSInfo
    expect(tags.gps).toEqual(expect.arrayContaining([0x0001, 0x0002, 0x0003, 0x0004])); // lat/long and refs
    expect(meta.xmpAsString).toContain("GPSLatitude");
    expect(meta.icc).toBeDefined();
  });

  it("is upright: portrait, and the file's top-left corner is now the top-right", async () => {
    expect([photo.width, photo.height]).toEqual([1200, 1600]);
    for (const variant of photo.variants) {
      const label = `${variant.width}.${variant.format}`;
      expect(variant.height, label).toBe(Math.round((variant.width * 1600) / 1200));
      // Turned a quarter clockwise: red (file top-left) → top-right, blue (file bottom-left) → top-left.
      expect(near(await pixelAt(variant.body, 0.95, 0.05), RED), label).toBe(true);
      expect(near(await pixelAt(variant.body, 0.05, 0.05), BLUE), label).toBe(true);
      expect(near(await pixelAt(variant.body, 0.5, 0.9), GREY), label).toBe(true);
    }
  });

  it("keeps no metadata at all in any variant", async () => {
    for (const variant of photo.variants) {
      const label = `${variant.width}.${variant.format}`;
      const meta = await sharp(variant.body).metadata();
      expect(meta.exif, label).toBeUndefined();
      expect(meta.xmp, label).toBeUndefined();
      expect(meta.iptc, label).toBeUndefined();
      expect(meta.icc, label).toBeUndefined();
      expect(meta.orientation, label).toBeUndefined();
      expect(metadataTraces(variant.body), label).toEqual([]);
    }
  });

  it("makes 320, 640 and 1200 px (its own width) in AVIF, WebP and progressive JPEG, no more", async () => {
    expect(photo.widths).toEqual([320, 640, 1200]);
    expect(photo.variants.map((v) => `${v.width}.${v.format}`)).toEqual(
      photo.widths.flatMap((w) => PHOTO_FORMATS.map((f) => `${w}.${f}`)),
    );
    for (const variant of photo.variants) {
      const meta = await sharp(variant.body).metadata();
      expect(meta.format).toBe(SHARP_FORMAT[variant.format]);
      expect(meta.width).toBe(variant.width);
      expect(meta.space).toBe("srgb");
      if (variant.format === "avif") expect(meta.compression).toBe("av1");
      if (variant.format === "jpg") expect(meta.isProgressive).toBe(true);
      expect(variant.contentType).toBe({ avif: "image/avif", webp: "image/webp", jpg: "image/jpeg" }[variant.format]);
      expect(variant.key).toBe(`photos/${photo.hash}/${variant.width}.${variant.format}`);
    }
    expect(photo.bytes).toBe(photo.variants.reduce((sum, v) => sum + v.body.length, 0));
  });

  it("names it by the SHA-256 of the uploaded bytes, and says what it was", () => {
    expect(photo.hash).toBe(createHash("sha256").update(input).digest("hex"));
    expect(photo.sourceFormat).toBe("jpeg");
  });

  it("gives a dominant colour and a tiny blurred WebP placeholder", async () => {
    expect(photo.dominantColor).toMatch(/^#[0-9a-f]{6}$/);
    // The grey that covers most of it (sharp answers the middle of a 16-level bin).
    expect(near(await hexToRgb(photo.dominantColor), GREY, 16)).toBe(true);
    expect(photo.placeholder).toMatch(/^data:image\/webp;base64,[A-Za-z0-9+/]+=*$/);
    expect(photo.placeholder.length).toBeLessThan(400);
    const preview = Buffer.from(photo.placeholder.split(",")[1], "base64");
    const meta = await sharp(preview).metadata();
    expect(meta.format).toBe("webp");
    expect(Math.max(meta.width, meta.height)).toBeLessThanOrEqual(16);
    expect(meta.height).toBeGreaterThan(meta.width); // portrait, like the photo
  });
});

describe("processPhoto: sizes", () => {
  it("never upscales: the widths a photo gets", () => {
    expect(variantWidths(4000)).toEqual([320, 640, 1280]);
    expect(variantWidths(1280)).toEqual([320, 640, 1280]);
    expect(variantWidths(900)).toEqual([320, 640, 900]);
    expect(variantWidths(640)).toEqual([320, 640]);
    expect(variantWidths(500)).toEqual([320, 500]);
    expect(variantWidths(250)).toEqual([250]);
  });

  it("shrinks a large photo to at most 1280 px, keeping its proportions", async () => {
    const photo = await processPhoto(await markedJpeg({ width: 3000, height: 2000 }));
    expect([photo.width, photo.height]).toEqual([3000, 2000]);
    expect(photo.widths).toEqual([320, 640, 1280]);
    const largest = photo.variants.filter((v) => v.width === 1280);
    expect(largest.map((v) => v.height)).toEqual([853, 853, 853]);
  });

  it("keeps a small photo at its own size", async () => {
    const photo = await processPhoto(await markedJpeg({ width: 300, height: 240 }));
    expect(photo.widths).toEqual([300]);
    expect(photo.variants.map((v) => [v.width, v.height])).toEqual([
      [300, 240],
      [300, 240],
      [300, 240],
    ]);
  });
});

describe("processPhoto: what it takes", () => {
  const base = () => sharp({ create: { width: 800, height: 600, channels: 3, background: { r: 40, g: 160, b: 60 } } });

  it("takes PNG, WebP and AVIF, judged by content whatever the name", async () => {
    for (const [format, bytes] of [
      ["png", await base().png().toBuffer()],
      ["webp", await base().webp().toBuffer()],
      ["avif", await base().avif().toBuffer()],
    ] as const) {
      const photo = await processPhoto(bytes);
      expect(photo.sourceFormat, format).toBe(format);
      expect(photo.widths, format).toEqual([320, 640, 800]);
      expect(near(await pixelAt(photo.variants[0].body, 0.5, 0.5), { r: 40, g: 160, b: 60 }, 12), format).toBe(true);
    }
  });

  it("puts a transparent PNG on white", async () => {
    const transparent = await sharp({
      create: { width: 400, height: 400, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .toBuffer();
    const photo = await processPhoto(transparent);
    for (const variant of photo.variants) {
      expect((await sharp(variant.body).metadata()).hasAlpha).toBe(false);
      expect(near(await pixelAt(variant.body, 0.5, 0.5), { r: 255, g: 255, b: 255 }, 6)).toBe(true);
    }
  });

  it("turns greyscale, 16-bit and CMYK images into 8-bit sRGB", async () => {
    const inputs = {
      grey: await base().greyscale().jpeg().toBuffer(),
      "16-bit": await base().toColourspace("rgb16").png().toBuffer(),
      cmyk: await base().toColourspace("cmyk").jpeg().toBuffer(),
    };
    for (const [label, bytes] of Object.entries(inputs)) {
      const photo = await processPhoto(bytes);
      for (const variant of photo.variants) {
        const meta = await sharp(variant.body).metadata();
        expect(meta.space, label).toBe("srgb");
        expect(meta.depth, label).toBe("uchar");
      }
    }
    const cmyk = await processPhoto(inputs.cmyk);
    expect(near(await pixelAt(cmyk.variants[2].body, 0.5, 0.5), { r: 40, g: 160, b: 60 }, 30)).toBe(true);
  });

  it("takes HEIC only if this sharp can decode it, and otherwise asks for JPEG", async () => {
    const heic = minimalHeic(4032, 3024);
    if (await heicDecodable()) {
      // A system libvips with libde265: the hand-made HEIC has no real picture in it.
      expect(await refusal(heic)).not.toBe("heic_unsupported");
    } else {
      const error = await processPhoto(heic).catch((e: unknown) => e);
      expect((error as PhotoError).code).toBe("heic_unsupported");
      expect((error as PhotoError).message).toMatch(/JPEG.*Most Compatible/);
    }
  });
});

describe("processPhoto: what it refuses", () => {
  it("has a Vietnamese and an English message for every refusal code", () => {
    for (const lng of ["vi", "en"] as const) {
      const messages = resources[lng].seller.photoErrors as Record<string, string>;
      for (const code of PHOTO_ERROR_CODES) expect(messages[code], `${lng}: ${code}`).toMatch(/\S/);
    }
  });

  it("refuses nothing, too much, and text renamed .jpg", async () => {
    expect(await refusal(Buffer.alloc(0))).toBe("empty");
    expect(await refusal(Buffer.alloc(16 * 1024 * 1024, 0xff))).toBe("too_large");
    expect(await refusal(Buffer.alloc(MAX_PHOTO_BYTES + 1, 0xff))).toBe("too_large");
    expect(await refusal(Buffer.from("Xin chào, đây không phải là ảnh.\n"))).toBe("not_an_image");
    expect(await refusal(Buffer.from("<html><body>not a photo</body></html>"))).toBe("not_an_image");
  });

  it("refuses a JPEG with a broken header", async () => {
    const jpeg = await markedJpeg({ width: 800, height: 600 });
    const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0])); // start of frame: dimensions and components
    const noSize = Buffer.from(jpeg);
    noSize.writeUInt32BE(0, sof + 5);
    expect(await refusal(noSize)).toBe("not_an_image");
    const badLength = Buffer.from(jpeg);
    badLength[sof + 9] = 7;
    expect(await refusal(badLength)).toBe("not_an_image");
    // A JPEG's first bytes and nothing more is a cut-off upload.
    expect(await refusal(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]))).toBe("truncated");
  });

  it("refuses a cut-off upload: JPEG, PNG, WebP and AVIF", async () => {
    const noisy = () =>
      sharp({
        create: {
          width: 800,
          height: 600,
          channels: 3,
          background: "#000",
          noise: { type: "gaussian", mean: 128, sigma: 40 },
        },
      });
    for (const [label, bytes] of [
      ["jpeg", await noisy().jpeg().toBuffer()],
      ["png", await noisy().png().toBuffer()],
      ["webp", await noisy().webp().toBuffer()],
      ["avif", await noisy().avif({ effort: 0 }).toBuffer()],
    ] as const) {
      expect(await refusal(bytes.subarray(0, Math.floor(bytes.length * 0.6))), label).toBe("truncated");
    }
  });

  it("refuses a 20000 × 20000 PNG from its header, without decoding 1.2 GB of pixels", async () => {
    const bomb = blackPng(20_000, 20_000);
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    const started = performance.now();
    const rssBefore = process.memoryUsage.rss();
    expect(await refusal(bomb)).toBe("too_many_pixels");
    expect(performance.now() - started).toBeLessThan(1000);
    expect(process.memoryUsage.rss() - rssBefore).toBeLessThan(100 * 1024 * 1024);
    // The same trick makes a real, decodable PNG: the refusal is about size, not a broken file.
    expect((await processPhoto(blackPng(900, 700))).widths).toEqual([320, 640, 900]);
  });

  it("refuses an AVIF over 16 MP from its header: AVIF decodes whole, never streamed", async () => {
    const avif = await sharp({ create: { width: 64, height: 48, channels: 3, background: "#3a3" } })
      .avif({ effort: 0 })
      .toBuffer();
    // Claim 5000 × 4000 in the image spatial extent ("ispe") box: what a tiny AVIF bomb does.
    const claimed = Buffer.from(avif);
    const ispe = claimed.indexOf("ispe", 0, "latin1");
    claimed.writeUInt32BE(5000, ispe + 8);
    claimed.writeUInt32BE(4000, ispe + 12);
    expect((await sharp(claimed).metadata()).width).toBe(5000);
    expect(await refusal(claimed)).toBe("too_many_pixels");
  });

  it("refuses SVG, GIF, TIFF and other formats it does not take, without parsing them", async () => {
    const svg = Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="800" height="600"/>');
    const base = () => sharp({ create: { width: 400, height: 300, channels: 3, background: "#3a3" } });
    expect(await refusal(svg)).toBe("unsupported_format");
    expect(await refusal(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>'))).toBe(
      "unsupported_format",
    );
    expect(await refusal(base().gif().toBuffer())).toBe("unsupported_format");
    expect(await refusal(base().tiff().toBuffer())).toBe("unsupported_format");
    expect(await refusal(Buffer.from("%PDF-1.7\n%âãÏÓ\n1 0 obj"))).toBe("unsupported_format");
    // A video: ISO media, but not an image.
    const mp4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from("ftypisom\0\0\x02\0isomiso2", "latin1")]);
    expect(await refusal(mp4)).toBe("unsupported_format");
  });

  it("refuses photos too small or too long to be product photos", async () => {
    const sized = (width: number, height: number) =>
      sharp({ create: { width, height, channels: 3, background: "#777" } })
        .jpeg()
        .toBuffer();
    expect(await refusal(sized(150, 150))).toBe("too_small");
    expect(await refusal(sized(1000, 199))).toBe("too_small");
    expect(await refusal(sized(1500, 250))).toBe("bad_aspect_ratio");
    expect(await refusal(sized(250, 1500))).toBe("bad_aspect_ratio");
    expect((await processPhoto(await sized(1000, 200))).widths).toEqual([320, 640, 1000]);
  });
});
