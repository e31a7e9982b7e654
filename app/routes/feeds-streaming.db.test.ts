/**
 * A stall with thousands of listings is served as a stream: the feed is read
 * from the database one batch at a time, as the client takes it. Seen from
 * outside, through the server: a change to the stall's last listing made
 * after the first bytes arrived is in the feed (it was not built before it
 * was sent), and a client that stops reading stops the reading of the
 * database (the last listing is read only once the client reads again).
 */
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { listings } from "#db/schema";
import { newFeedStats, streamFeed } from "~/exports/index.server";
import { todayInVietnam } from "~/listings";
import { storePhoto } from "~/media/index.server";
import { db } from "~/utils/db.server";
import { createFarmerWithStall, makePhoto, type FarmerWithStall } from "#tests/fixtures/factories";
import { serveAppForThisFile } from "#tests/http/server";

const server = serveAppForThisFile();
const LISTINGS = 4000;

let farmer: FarmerWithStall;
let lastId: string;

beforeAll(async () => {
  farmer = await createFarmerWithStall(db);
  const photo = await storePhoto(db, await makePhoto(9900));
  // One statement for the listings, one for their (shared) photo.
  await db.execute(sql`
    INSERT INTO listings (stall_id, slug, title, description, category, unit, price_dong, stock_qty, status, position)
    SELECT ${farmer.stall.id}::uuid, 'rau-' || g, 'Rau muống sạch số ' || g,
      repeat('Rau muống hái buổi sáng, bó 500 g, giao trong ngày. ', 20), 'rau-la', 'bo', 8000 + g, 50, 'active', g
    FROM generate_series(1, ${LISTINGS}) g`);
  await db.execute(sql`
    INSERT INTO listing_photos (listing_id, media_id, position)
    SELECT id, ${photo.id}::uuid, 0 FROM listings WHERE stall_id = ${farmer.stall.id}::uuid`);
  const [last] = await db
    .select({ id: listings.id })
    .from(listings)
    .where(eq(listings.stallId, farmer.stall.id))
    .orderBy(sql`${listings.position} DESC`)
    .limit(1);
  lastId = last.id;
});

/** Renames the stall's last listing (the last batch's last row). */
const renameLast = (title: string) => db.update(listings).set({ title }).where(eq(listings.id, lastId));

/** The response's body reader, the first chunk already read. */
async function startReading(file: string, signal?: AbortSignal) {
  const response = await server.fetch(`/feeds/${farmer.stall.slug}/${file}`, {
    headers: { "Accept-Encoding": "identity" },
    signal,
  });
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  const first = await reader.read();
  expect(first.done).toBe(false);
  const decoder = new TextDecoder();
  let text = decoder.decode(first.value, { stream: true });
  return {
    async rest() {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return text + decoder.decode();
        text += decoder.decode(value, { stream: true });
      }
    },
  };
}

describe(`a stall with ${LISTINGS} listings`, () => {
  it("streamFeed reads a batch only when the reader asks for the next chunk", async () => {
    const stats = newFeedStats();
    const site = { origin: "https://gianhangso.example", mediaBaseUrl: "/media" };
    const chunks = streamFeed(
      db,
      { kind: "stall", stallId: farmer.stall.id },
      "meta.csv",
      { site, today: todayInVietnam() },
      stats,
    );
    const opening = await chunks.next();
    expect(opening.value).toMatch(/^id,title,/);
    expect(stats.items).toBe(0);
    await chunks.next();
    expect(stats.items).toBe(500);
    await chunks.next();
    expect(stats.items).toBe(1000);
    await chunks.return(undefined);
  });

  it("is sent as it is read: the first bytes arrive before the last listing is read", async () => {
    const started = performance.now();
    const reading = await startReading("products.json");
    await renameLast("Đổi sau khi byte đầu tiên đã đến");
    const document = JSON.parse(await reading.rest()) as { items: { id: string; title: string }[] };
    expect(document.items).toHaveLength(LISTINGS);
    expect(document.items.at(-1)).toMatchObject({ id: lastId, title: "Đổi sau khi byte đầu tiên đã đến" });
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it("a client that stops reading stops the server reading the database", async () => {
    const reading = await startReading("products.json");
    // Long enough for the server to read every batch if nothing held it back.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await renameLast("Đổi khi người đọc đang dừng");
    const document = JSON.parse(await reading.rest()) as { items: { id: string; title: string }[] };
    expect(document.items).toHaveLength(LISTINGS);
    expect(document.items.at(-1)).toMatchObject({ id: lastId, title: "Đổi khi người đọc đang dừng" });
  });

  it("a client that goes away leaves the database free for the next request", async () => {
    const controller = new AbortController();
    await startReading("products.csv", controller.signal);
    controller.abort();
    const started = performance.now();
    const next = await server.fetch(`/feeds/${farmer.stall.slug}/meta.csv`, { method: "HEAD" });
    expect(next.status).toBe(200);
    expect(next.headers.get("X-Feed-Items")).toBe(String(LISTINGS));
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
