/**
 * streamFeed over a commune or a province — what the bulk exports call: one
 * document, one header (or root), holding the same items in the same order as
 * the commune's per-stall feeds put together; stats filled in as it streams
 * and progress reported after each batch.
 */
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { communes, stalls } from "#db/schema";
import { FEED_FILE_NAMES, type FeedFile } from "./targets";
import { newFeedStats, streamFeed, type FeedStats } from "./feeds.server";
import type { ExportScope } from "./feed-items.server";
import { todayInVietnam } from "~/listings";
import { storePhoto } from "~/media/index.server";
import { db } from "~/utils/db.server";
import { createFarmerWithStall, makePhoto, THANH_HA, type FarmerWithStall } from "#tests/fixtures/factories";

const COMMUNE = "99902";
const site = { origin: "https://gianhangso.example", mediaBaseUrl: "/media" };
const today = todayInVietnam();
let farmers: FarmerWithStall[];

async function text(scope: ExportScope, file: FeedFile, stats?: FeedStats, onBatch?: (s: FeedStats) => void) {
  let out = "";
  for await (const chunk of streamFeed(db, scope, file, { site, today, batchSize: 4, onBatch }, stats)) out += chunk;
  return out;
}

/** A document's item lines: one per item in every format when no text holds a line break. */
function itemLines(file: FeedFile, document: string): string[] {
  const lines = document.split(/\r?\n/).filter(Boolean);
  if (file === "google.xml") return lines.filter((l) => l.startsWith("<item>"));
  if (file === "products.json") {
    return lines
      .filter((l) => l.startsWith('{"id"'))
      .map((l) => l.replace(/,$/, ""))
      .map((l) => JSON.stringify(JSON.parse(l)));
  }
  return lines.slice(1);
}

beforeAll(async () => {
  await db.insert(communes).values({
    code: COMMUNE,
    provinceCode: THANH_HA.provinceCode,
    name: "Xã Xuất Thử",
    nameEn: "Xuat Thu Commune",
    fullName: "Xã Xuất Thử",
    fullNameEn: "Xuat Thu Commune",
    codeName: "xa_xuat_thu",
  });
  const household = { communeCode: COMMUNE, provinceCode: THANH_HA.provinceCode };
  const photo = await storePhoto(db, await makePhoto(9400));
  farmers = [];
  // Stalls made out of slug order; one has nothing on sale, one is unpublished.
  for (const [slug, count] of [
    ["xuat-c", 6],
    ["xuat-a", 9],
    ["xuat-b", 0],
    ["xuat-d", 3],
  ] as const) {
    const farmer = await createFarmerWithStall(db, { stall: { slug }, household });
    farmers.push(farmer);
    if (count === 0) continue;
    await db.execute(sql`
      INSERT INTO listings (stall_id, slug, title, description, category, unit, price_dong, stock_qty, status, position, weight_grams)
      SELECT ${farmer.stall.id}::uuid, 'mon-' || g, ${slug} || ' món ' || g, 'Mô tả "ngắn", một dòng', 'rau-la', 'bo',
        5000 + g, 3, 'active', g, CASE WHEN g % 3 = 0 THEN NULL ELSE 400 END
      FROM generate_series(1, ${count}) g`);
    await db.execute(sql`
      INSERT INTO listing_photos (listing_id, media_id, position)
      SELECT id, ${photo.id}::uuid, 0 FROM listings WHERE stall_id = ${farmer.stall.id}::uuid AND position % 4 <> 0`);
  }
  await db.update(stalls).set({ status: "unpublished" }).where(eq(stalls.slug, "xuat-d"));
});

describe("a commune's feed", () => {
  it.each(FEED_FILE_NAMES)("%s is its published stalls' feeds one after the other, under one opening", async (file) => {
    const published = farmers
      .filter((f) => f.stall.slug !== "xuat-d")
      .sort((a, b) => (a.stall.slug < b.stall.slug ? -1 : 1));
    const perStall: string[] = [];
    for (const farmer of published) {
      perStall.push(...itemLines(file, await text({ kind: "stall", stallId: farmer.stall.id }, file)));
    }
    const stats = newFeedStats();
    const progress: number[] = [];
    const whole = await text({ kind: "commune", code: COMMUNE }, file, stats, (s) => progress.push(s.items));
    expect(itemLines(file, whole)).toEqual(perStall);
    expect(perStall.length).toBeGreaterThan(0);

    // One opening and one closing, whatever the number of stalls and batches.
    const opening = file === "google.xml" ? "<rss " : file === "products.json" ? '{"generatedAt"' : null;
    if (opening) expect(whole.split(opening)).toHaveLength(2);
    else expect(whole.split("\r\n")[0]).not.toBe(whole.split("\r\n")[1]);
    if (file === "google.xml")
      expect(whole).toContain("<title>Gian Hàng Số – Xã Xuất Thử, Thành phố Hải Phòng</title>");

    // Stats: stalls with something on sale, items written, items left out and why.
    expect(stats.stalls).toBe(2);
    // (A Shopify product has one row here: no listing has a second photo.)
    expect(stats.items).toBe(perStall.length);
    expect(stats.items + (stats.skippedItems ?? 0)).toBe(9 + 6);
    if (file.startsWith("products.")) expect(stats.skipped).toEqual({});
    else if (file !== "shopify.csv") expect(stats.skipped).toEqual({ no_photo: 3 });
    // Progress after each batch of 4: 15 listings are four batches.
    expect(progress).toHaveLength(4);
    expect(progress.at(-1)).toBe(stats.items);
  });
});
