import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { ART_ALT, ART_KINDS, renderProductArt } from "./product-art";

describe("product art", () => {
  it("draws the same picture, byte for byte, from the same kind and seed", async () => {
    const a = await renderProductArt("lychee", { seed: "thinh" });
    const b = await renderProductArt("lychee", { seed: "thinh" });
    expect(a.equals(b)).toBe(true);
    const other = await renderProductArt("lychee", { seed: "dung" });
    expect(other.equals(a)).toBe(false);
  });

  it("is a 1200 × 900 JPEG, as a phone would send, with something on it", async () => {
    const jpeg = await renderProductArt("eggs-tray", { seed: "quang" });
    expect([...jpeg.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    const meta = await sharp(jpeg).metadata();
    expect(meta).toMatchObject({ format: "jpeg", width: 1200, height: 900, channels: 3 });
    const stats = await sharp(jpeg).stats();
    // Not a flat fill: real contrast across the picture.
    expect(stats.channels.every((c) => c.stdev > 20)).toBe(true);
    expect(jpeg.length).toBeGreaterThan(30_000);
    expect(jpeg.length).toBeLessThan(400_000);
  });

  it("draws every kind at the size asked, each described for its alt text", async () => {
    for (const kind of ART_KINDS) {
      const jpeg = await renderProductArt(kind, { width: 400, height: 300, quality: 70 });
      expect(await sharp(jpeg).metadata(), kind).toMatchObject({ format: "jpeg", width: 400, height: 300 });
      expect(ART_ALT[kind].length, kind).toBeGreaterThan(20);
    }
  });
});
