/**
 * The seller app's PNG icons, from one source image (scripts/assets/seller-icon.svg):
 * 192 and 512 for Android's launcher and splash screen, and a maskable 512 whose
 * picture sits inside the safe circle (80% of the side) that a launcher's mask keeps.
 *
 *   npx tsx scripts/make-icons.ts
 *
 * The PNGs are committed (public/icons); run this again only when the source changes.
 */
import fs from "node:fs";
import path from "node:path";
import url from "node:url";
import sharp from "sharp";

const ROOT = path.resolve(path.dirname(url.fileURLToPath(import.meta.url)), "..");
export const ICON_SOURCE = path.join(ROOT, "scripts/assets/seller-icon.svg");
export const ICON_DIR = path.join(ROOT, "public/icons");

/** The brand green (app/styles/app.css `--green-700`), the maskable icon's bleed. */
const GREEN = "#1f6f3b";

export const ICONS = [
  { file: "seller-192.png", size: 192, maskable: false },
  { file: "seller-512.png", size: 512, maskable: false },
  { file: "seller-maskable-512.png", size: 512, maskable: true },
] as const;

export async function makeIcons(source = ICON_SOURCE, outDir = ICON_DIR) {
  const svg = fs.readFileSync(source);
  fs.mkdirSync(outDir, { recursive: true });
  for (const icon of ICONS) {
    // Maskable: the picture scaled to 70% of the side (inside the 80% safe circle) on a full green square.
    const inner = icon.maskable ? Math.round(icon.size * 0.7) : icon.size;
    const picture = await sharp(svg, { density: 300 }).resize(inner, inner).png().toBuffer();
    const image = icon.maskable
      ? sharp({ create: { width: icon.size, height: icon.size, channels: 4, background: GREEN } }).composite([
          { input: picture, gravity: "center" },
        ])
      : sharp(picture);
    await image.png({ compressionLevel: 9, palette: true }).toFile(path.join(outDir, icon.file));
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === url.fileURLToPath(import.meta.url)) {
  await makeIcons();
  for (const icon of ICONS) {
    const { size } = fs.statSync(path.join(ICON_DIR, icon.file));
    console.log(`public/icons/${icon.file}: ${size} bytes`);
  }
}
