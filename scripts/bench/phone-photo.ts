/** A phone photo made up in memory, for the benchmarks that need one (bench:photos, bench:slow3g). */
import sharp from "sharp";

/**
 * A stand-in for a 4000 × 3000 phone photo: large soft colour areas (a subject
 * on a background), mid-sized texture (leaves, skin of fruit) and sensor grain,
 * saved as a phone would (JPEG quality 92, 4:2:0, with EXIF). Its JPEG weighs
 * what a real one does (3–5 MB); a flat or pure-noise image would flatter or
 * punish the encoders.
 */
export async function phonePhoto(width = 4000, height = 3000): Promise<Buffer> {
  const noise = (w: number, h: number, sigma: number) =>
    sharp({
      create: { width: w, height: h, channels: 3, background: "#000", noise: { type: "gaussian", mean: 128, sigma } },
    });
  const blobs = await noise(Math.ceil(width / 250), Math.ceil(height / 250), 70)
    .resize(width, height, { kernel: "cubic" })
    .png({ compressionLevel: 0 })
    .toBuffer();
  const texture = await noise(Math.ceil(width / 12), Math.ceil(height / 12), 45)
    .resize(width, height, { kernel: "cubic" })
    .png({ compressionLevel: 0 })
    .toBuffer();
  const grain = await noise(width, height, 14).png({ compressionLevel: 0 }).toBuffer();
  const shapes = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
      <defs><radialGradient id="fruit"><stop offset="0" stop-color="#f4d03f"/><stop offset="0.7" stop-color="#c0392b"/><stop offset="1" stop-color="#641e16"/></radialGradient></defs>
      ${Array.from({ length: 14 }, (_, i) => `<circle cx="${600 + (i % 5) * 650}" cy="${700 + Math.floor(i / 5) * 700}" r="${260 + (i % 3) * 40}" fill="url(#fruit)"/>`).join("")}
      <path d="M0 ${height * 0.8} C ${width * 0.3} ${height * 0.7}, ${width * 0.6} ${height * 0.95}, ${width} ${height * 0.75} L ${width} ${height} L 0 ${height} Z" fill="#3b5323"/>
    </svg>`,
  );
  return sharp(blobs)
    .composite([
      { input: shapes, blend: "over" },
      { input: texture, blend: "soft-light" },
      { input: grain, blend: "soft-light" },
    ])
    .jpeg({ quality: 92, chromaSubsampling: "4:2:0" })
    .withExif({ IFD0: { Make: "Bench", Model: "Phone" } })
    .toBuffer();
}
