/**
 * "Sell on other marketplaces" (/seller/marketplaces) through the real HTTP
 * server: what a farmer sees a listing lacks for each marketplace, with the
 * link to the field that fixes it, and who may read the stall's feeds.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { serveAppForThisFile } from "../../tests/http/server";
import { stalls } from "#db/schema";
import { createFarmerWithStall, createUser, listingInput, makePhoto } from "#tests/fixtures/factories";
import { signedIn } from "#tests/harness/routes";
import { createListing } from "~/listings/listings.server";
import { db } from "~/utils/db.server";

const server = serveAppForThisFile();

const farm = await createFarmerWithStall(db, { stall: { name: "Nhà vườn Bác Thịnh" } });
const asFarmer = await signedIn(farm.user.id);
// Ready everywhere but TikTok (its title is short) and Lazada (no package size).
const ready = await createListing(db, {
  stallId: farm.stall.id,
  input: listingInput({ title: "Vải thiều Thanh Hà loại một" }),
  photos: [await makePhoto(7001, { width: 800, height: 800 })],
  status: "active",
});
// A bunch of greens with a 300 px photo and no description: Meta refuses the photo, Google and Meta the text.
const small = await createListing(db, {
  stallId: farm.stall.id,
  input: listingInput({ title: "Rau muống", description: "", unit: "bo" }),
  photos: [await makePhoto(7002, { width: 300, height: 300 })],
  status: "active",
});

const page = async (cookie = asFarmer) => {
  const answer = await server.fetch("/seller/marketplaces", { headers: { Cookie: cookie } });
  return { status: answer.status, html: await answer.text(), location: answer.headers.get("Location") };
};
const post = (intent: string) =>
  server.fetch("/seller/marketplaces", {
    method: "POST",
    headers: { Cookie: asFarmer },
    body: new URLSearchParams({ intent }),
  });
const stallRow = async () => (await db.select().from(stalls).where(eq(stalls.id, farm.stall.id)))[0];
const decode = (html: string) => html.replaceAll("&amp;", "&");

describe("what each listing lacks", () => {
  it("names the problem per marketplace and links to the field that fixes it", async () => {
    const { status, html } = await page();
    expect(status).toBe(200);
    const text = decode(html);
    expect(text).toContain("Ảnh bìa nhỏ quá: cần ít nhất 500 px mỗi cạnh, ảnh đang có 300 px");
    expect(text).toContain(`/seller/listings/${small.id}?fix=photos#photos-heading`);
    expect(text).toContain(`/seller/listings/${small.id}?fix=description#f-description`);
    expect(text).toContain(`/seller/listings/${small.id}?fix=weightGrams#f-weightGrams`);
    // TikTok Shop wants 25 characters and gets a longer title to start from.
    expect(text).toContain("Gợi ý: «Rau muống – Nhà vườn Bác Thịnh»");
    expect(text).toContain(`/seller/listings/${ready.id}?fix=packageLengthCm#f-packageLengthCm`);
    expect(text).toContain("Google: 1 sẵn sàng, 1 chưa");
    expect(text).toContain("Facebook và Instagram: 1 sẵn sàng, 1 chưa");
  });

  it("unfolds the marketplace details when a link sends the farmer to one of them", async () => {
    const edit = await server.fetch(`/seller/listings/${small.id}?fix=weightGrams`, { headers: { Cookie: asFarmer } });
    expect(await edit.text()).toMatch(/<details class="stack" open="">/);
    const plain = await server.fetch(`/seller/listings/${small.id}`, { headers: { Cookie: asFarmer } });
    expect(await plain.text()).not.toMatch(/<details class="stack" open/);
  });

  it("is counted on the dashboard", async () => {
    const dashboard = await server.fetch("/seller", { headers: { Cookie: asFarmer } });
    expect(await dashboard.text()).toContain('data-not-ready="2"');
  });
});

describe("who may read the feeds", () => {
  it("starts public: plain URLs for every feed", async () => {
    const { html } = await page();
    expect(decode(html)).toContain(`/feeds/${farm.stall.slug}/google.xml"`);
    expect(html).not.toContain("token=");
  });

  it("goes private with a secret in the URLs, renews it, withdraws it and goes public again", async () => {
    expect((await post("private")).status).toBe(302);
    const first = (await stallRow()).feedToken!;
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(decode((await page()).html)).toContain(`/feeds/${farm.stall.slug}/meta.csv?token=${first}`);

    await post("renew");
    const second = (await stallRow()).feedToken!;
    expect(second).not.toBe(first);
    const renewed = decode((await page()).html);
    expect(renewed).toContain(`token=${second}`);
    expect(renewed).not.toContain(first);

    await post("revoke");
    expect(await stallRow()).toMatchObject({ feedsPrivate: true, feedToken: null });
    const revoked = (await page()).html;
    expect(revoked).not.toContain(`/feeds/${farm.stall.slug}/`);
    expect(revoked).toContain('data-access="revoked"');

    await post("public");
    expect(await stallRow()).toMatchObject({ feedsPrivate: false, feedToken: null });
  });

  it("refuses an unknown intent and changes nothing", async () => {
    const before = await stallRow();
    expect((await post("steal")).status).toBe(400);
    expect(await stallRow()).toEqual(before);
  });

  it("is the stall owner's page: a buyer or a visitor does not get it", async () => {
    const buyer = await createUser(db, { role: "buyer" });
    expect((await page(await signedIn(buyer.id))).status).not.toBe(200);
    expect((await page("")).status).toBe(302);
  });
});

describe("the files for TikTok Shop, Shopee and Lazada", () => {
  const download = (file: string, cookie = asFarmer) =>
    server.fetch(`/seller/marketplaces/${file}`, { headers: { Cookie: cookie } });

  it("gives the stall's spreadsheet, read back by another library: the listings Shopee takes, by its field names", async () => {
    const XLSX = await import("xlsx");
    const answer = await download("shopee.xlsx");
    expect(answer.status).toBe(200);
    expect(answer.headers.get("Content-Type")).toBe(
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    );
    expect(answer.headers.get("Content-Disposition")).toBe(`attachment; filename="${farm.stall.slug}-shopee.xlsx"`);
    expect(answer.headers.get("Cache-Control")).toBe("private, no-store");
    const book = XLSX.read(Buffer.from(await answer.arrayBuffer()), { type: "buffer" });
    const rows = XLSX.utils.sheet_to_json<Record<string, unknown>>(book.Sheets[book.SheetNames[0]]);
    const text = JSON.stringify(rows);
    // The bunch of greens has no weight and no description: Shopee leaves it out.
    expect(text).toContain("Vải thiều Thanh Hà loại một");
    expect(text).not.toContain("Rau muống");
  });

  it("gives the API payloads as one JSON document", async () => {
    const answer = await download("tiktok.json");
    expect(answer.status).toBe(200);
    const file = (await answer.json()) as { items: { title: string }[] };
    // The lychee's title is 27 characters: TikTok Shop takes it.
    expect(file.items.map((item) => item.title)).toEqual(["Vải thiều Thanh Hà loại một"]);
  });

  it("answers 404 for a file that is not one of them, and sends a visitor to log in", async () => {
    expect((await download("amazon.xlsx")).status).toBe(404);
    expect((await download("google.xml")).status).toBe(404);
    expect((await download("shopee.xlsx", "")).status).toBe(302);
  });
});
