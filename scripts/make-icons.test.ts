import fs from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { ICON_DIR, ICONS } from "./make-icons";

const manifest = JSON.parse(fs.readFileSync(path.join(ICON_DIR, "../seller.webmanifest"), "utf8")) as {
  scope: string;
  start_url: string;
  display: string;
  icons: { src: string; sizes: string; purpose: string }[];
};

describe("the seller app's manifest and icons", () => {
  it("opens full-screen on the dashboard, within /seller", () => {
    expect(manifest).toMatchObject({ scope: "/seller", start_url: "/seller", display: "standalone" });
  });

  it("has the committed PNGs in the sizes Android asks for, each as the manifest says", async () => {
    for (const icon of ICONS) {
      const meta = await sharp(path.join(ICON_DIR, icon.file)).metadata();
      expect(meta.format).toBe("png");
      expect([meta.width, meta.height]).toEqual([icon.size, icon.size]);
      expect(manifest.icons).toContainEqual({
        src: `/icons/${icon.file}`,
        sizes: `${icon.size}x${icon.size}`,
        type: "image/png",
        purpose: icon.maskable ? "maskable" : "any",
      });
    }
  });

  it("fills the maskable icon to its edges, so a launcher's mask never shows a transparent corner", async () => {
    const { data, info } = await sharp(path.join(ICON_DIR, "seller-maskable-512.png"))
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const alphaAt = (x: number, y: number) => data[(y * info.width + x) * info.channels + 3];
    expect([alphaAt(0, 0), alphaAt(511, 0), alphaAt(0, 511), alphaAt(511, 511)]).toEqual([255, 255, 255, 255]);
  });
});
