import jsQR from "jsqr";
import sharp from "sharp";

/** Renders an SVG QR code to pixels, as a phone camera would see the printed code, and decodes it. */
export async function decodeQrSvg(svg: string): Promise<string | undefined> {
  const { data, info } = await sharp(Buffer.from(svg), { density: 300 })
    .resize(600)
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return jsQR(new Uint8ClampedArray(data), info.width, info.height)?.data;
}
