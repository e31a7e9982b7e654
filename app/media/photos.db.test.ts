import { randomInt, randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { households, listingPhotos, listings, mediaAssets, stalls, users } from "#db/schema";
import { db } from "~/utils/db.server";
import { deletePhotoIfUnused, PhotoError, storePhoto, type PhotoErrorCode } from "./photos.server";
import { startS3TestServer, type S3TestServer } from "#tests/doubles/s3-server";
import { LocalFolderStorage, S3Storage, type ObjectStorage, type StreamBody } from "./storage.server";
import { blackPng, markedJpeg } from "#tests/fixtures/images";

let root: string;
let storage: LocalFolderStorage;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "ghs-photos-"));
  storage = new LocalFolderStorage(path.join(root, "media"));
});
afterEach(async () => {
  // Each test starts with an empty folder and no photo rows.
  await db.delete(listingPhotos);
  await db.delete(mediaAssets);
  await fs.rm(storage.root, { recursive: true, force: true });
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

let seed = 0;
/** A distinct 800×600 photo each call (so a distinct hash). */
async function photo() {
  seed++;
  return sharp({
    create: {
      width: 800,
      height: 600,
      channels: 3,
      background: { r: (seed * 37) % 256, g: 120, b: (seed * 91) % 256 },
    },
  })
    .jpeg()
    .toBuffer();
}

const rows = () => db.select().from(mediaAssets);

async function createUser() {
  const [user] = await db
    .insert(users)
    .values({ phone: `+8439${String(randomInt(10_000_000)).padStart(7, "0")}`, fullName: "Nguyễn Thị Ảnh" })
    .returning();
  return user;
}

/** A listing (on a fresh stall) that shows the photo. */
async function showOnListing(mediaId: string) {
  const user = await createUser();
  const [household] = await db
    .insert(households)
    .values({ name: user.fullName, ownerUserId: user.id, provinceCode: "31", communeCode: "10813" })
    .returning();
  const [stall] = await db
    .insert(stalls)
    .values({ householdId: household.id, slug: `anh-${randomUUID().slice(0, 8)}`, name: "Gian hàng ảnh" })
    .returning();
  const [listing] = await db
    .insert(listings)
    .values({ stallId: stall.id, slug: "vai", title: "Vải", category: "trai-cay", unit: "kg", priceDong: 45_000 })
    .returning();
  await db.insert(listingPhotos).values({ listingId: listing.id, mediaId, position: 0 });
  return listing;
}

describe("storePhoto", () => {
  it("stores every variant under photos/<hash>/ and one row describing them", async () => {
    const user = await createUser();
    const asset = await storePhoto(db, await markedJpeg({ width: 1600, height: 1200, orientation: 6 }), {
      uploadedByUserId: user.id,
      storage,
    });
    expect(asset).toMatchObject({ width: 1200, height: 1600, widths: [320, 640, 1200], uploadedByUserId: user.id });
    expect(asset.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(asset.dominantColor).toMatch(/^#[0-9a-f]{6}$/);
    expect(asset.placeholder).toMatch(/^data:image\/webp;base64,/);
    const keys = await storage.list("");
    expect(keys).toEqual(
      ["1200", "320", "640"].flatMap((w) => ["avif", "jpg", "webp"].map((f) => `photos/${asset.hash}/${w}.${f}`)),
    );
    let total = 0;
    for (const key of keys) total += (await fs.stat(path.join(storage.root, key))).size;
    expect(asset.bytes).toBe(total);
    expect(await rows()).toEqual([asset]);
  });

  it("stores the same upload once: one row, one set of files", async () => {
    const bytes = await photo();
    const first = await storePhoto(db, bytes, { storage });
    const files = await storage.list("");
    const second = await storePhoto(db, Buffer.from(bytes), { storage });
    expect(second.id).toBe(first.id);
    expect(await storage.list("")).toEqual(files);
    expect(files).toHaveLength(9);
    expect(await rows()).toHaveLength(1);
  });

  it("stores the same upload once when several arrive at the same moment", async () => {
    const bytes = await photo();
    const assets = await Promise.all([1, 2, 3].map(() => storePhoto(db, Buffer.from(bytes), { storage })));
    expect(new Set(assets.map((a) => a.id)).size).toBe(1);
    expect(await rows()).toHaveLength(1);
    expect(await storage.list("")).toHaveLength(9);
  });

  it("refuses bad uploads with a code, storing nothing", async () => {
    const text = Buffer.from("đây là văn bản, không phải ảnh");
    const gif = sharp({ create: { width: 600, height: 600, channels: 3, background: "#3a3" } })
      .gif()
      .toBuffer();
    const jpeg = await photo();
    const cases: [string, Buffer, PhotoErrorCode][] = [
      ["text renamed .jpg", text, "not_an_image"],
      ["truncated JPEG", jpeg.subarray(0, Math.floor(jpeg.length / 2)), "truncated"],
      ["20000×20000 PNG", blackPng(20_000, 20_000), "too_many_pixels"],
      ["SVG", Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="900" height="900"/>'), "unsupported_format"],
      ["zero bytes", Buffer.alloc(0), "empty"],
      ["16 MB", Buffer.alloc(16 * 1024 * 1024, 0xd8), "too_large"],
      ["GIF", await gif, "unsupported_format"],
    ];
    for (const [label, bytes, code] of cases) {
      const error = await storePhoto(db, bytes, { storage }).catch((e: unknown) => e);
      expect(error, label).toBeInstanceOf(PhotoError);
      expect((error as PhotoError).code, label).toBe(code);
    }
    expect(await storage.list("")).toEqual([]);
    await expect(fs.readdir(storage.root)).rejects.toMatchObject({ code: "ENOENT" });
    expect(await rows()).toEqual([]);
  });

  it("deletes the files it wrote and adds no row when a write fails midway", async () => {
    /** The folder, except that one variant cannot be written. */
    class FailingStorage implements ObjectStorage {
      constructor(private readonly inner: ObjectStorage) {}
      async put(key: string, body: Buffer, contentType: string) {
        if (key.endsWith("/640.webp")) throw new Error("disk full");
        return this.inner.put(key, body, contentType);
      }
      putStream = (key: string, body: StreamBody, contentType: string) => this.inner.putStream(key, body, contentType);
      get = (key: string) => this.inner.get(key);
      exists = (key: string) => this.inner.exists(key);
      delete = (key: string) => this.inner.delete(key);
      list = (prefix: string) => this.inner.list(prefix);
    }
    const bytes = await photo();
    await expect(storePhoto(db, bytes, { storage: new FailingStorage(storage) })).rejects.toThrow("disk full");
    expect(await storage.list("")).toEqual([]);
    expect(await rows()).toEqual([]);
    // Nothing left half-done: the same photo goes through once the store works.
    await storePhoto(db, bytes, { storage });
    expect(await storage.list("")).toHaveLength(9);
  });

  it("deletes the files it wrote when the row cannot be inserted", async () => {
    const error = await storePhoto(db, await photo(), { storage, uploadedByUserId: randomUUID() }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(PhotoError);
    expect(await storage.list("")).toEqual([]);
    expect(await rows()).toEqual([]);
  });
});

describe("deletePhotoIfUnused", () => {
  it("deletes an unused photo's row and files, and only its own", async () => {
    const gone = await storePhoto(db, await photo(), { storage });
    const kept = await storePhoto(db, await photo(), { storage });
    expect(await deletePhotoIfUnused(db, gone.id, { storage })).toBe(true);
    expect((await rows()).map((r) => r.id)).toEqual([kept.id]);
    expect(await storage.list(`photos/${gone.hash}/`)).toEqual([]);
    expect(await storage.list("")).toHaveLength(9);
    expect(await fs.readdir(path.join(storage.root, "photos"))).toEqual([kept.hash]);
    // Again, or for an unknown or malformed id: nothing to do.
    expect(await deletePhotoIfUnused(db, gone.id, { storage })).toBe(false);
    expect(await deletePhotoIfUnused(db, randomUUID(), { storage })).toBe(false);
    expect(await deletePhotoIfUnused(db, "../../etc/passwd", { storage })).toBe(false);
  });

  it("keeps a photo that a listing shows", async () => {
    const asset = await storePhoto(db, await photo(), { storage });
    await showOnListing(asset.id);
    expect(await deletePhotoIfUnused(db, asset.id, { storage })).toBe(false);
    expect(await rows()).toHaveLength(1);
    expect(await storage.list("")).toHaveLength(9);
  });

  it("lets the same photo be uploaded again after it was deleted", async () => {
    const bytes = await photo();
    const first = await storePhoto(db, bytes, { storage });
    await deletePhotoIfUnused(db, first.id, { storage });
    const again = await storePhoto(db, bytes, { storage });
    expect(again.id).not.toBe(first.id);
    expect(again.hash).toBe(first.hash);
    expect(await storage.list("")).toHaveLength(9);
  });
});

describe("storePhoto on S3 (s3rver)", () => {
  let server: S3TestServer;
  beforeAll(async () => {
    server = await startS3TestServer(["photos"]);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("stores, deduplicates and deletes through the same interface", async () => {
    const s3 = new S3Storage({
      bucket: "photos",
      region: "us-east-1",
      endpoint: server.endpoint,
      forcePathStyle: true,
      credentials: server.credentials,
    });
    const bytes = await photo();
    const asset = await storePhoto(db, bytes, { storage: s3 });
    expect((await storePhoto(db, bytes, { storage: s3 })).id).toBe(asset.id);
    expect(await s3.list("")).toHaveLength(9);
    const jpeg = await s3.get(`photos/${asset.hash}/640.jpg`);
    expect(jpeg?.contentType).toBe("image/jpeg");
    jpeg?.body.destroy();
    expect(await deletePhotoIfUnused(db, asset.id, { storage: s3 })).toBe(true);
    expect(await s3.list("")).toEqual([]);
    s3.client.destroy();
  });
});
