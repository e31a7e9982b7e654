/**
 * Links that never move (ADR 032), tried as a farmer would through the real
 * server: a listing that was on sale keeps its address through archive,
 * restore and rename; a published stall keeps its link and its printed QR
 * poster through a rename.
 */
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { listings, stalls } from "#db/schema";
import { CookieJar, getPage, mainText, postForm } from "#tests/http/forms";
import { serveAppForThisFile } from "#tests/http/server";
import { decodeQrSvg } from "#tests/harness/qr";
import { cookiePair } from "#tests/harness/routes";
import { createUserSession } from "~/auth/session.server";
import { createListing } from "~/listings/index.server";
import { db } from "~/utils/db.server";
import { createFarmerWithStall, listingInput, makePhoto, type FarmerWithStall } from "#tests/fixtures/factories";

const server = serveAppForThisFile();
let farmer: FarmerWithStall;
let jar: CookieJar;

beforeAll(async () => {
  farmer = await createFarmerWithStall(db, { stall: { slug: "vuon-nha-ba-tu", name: "Vườn nhà bà Tư" } });
  const res = await createUserSession({
    request: new Request("http://localhost/login"),
    userId: farmer.user.id,
    redirectTo: "/",
  });
  jar = new CookieJar(cookiePair(res.headers.get("Set-Cookie")));
});

const stored = async (id: string) => (await db.select().from(listings).where(eq(listings.id, id)))[0]!;

async function setStatus(listingId: string, status: string) {
  const res = await postForm(server, `/seller/listings/${listingId}`, { intent: "status", status }, { jar });
  expect(res.status, `to ${status}`).toBe(302);
  expect((await stored(listingId)).status).toBe(status);
}

/** The farmer saves the listing's edit form with a new title. */
async function rename(listingId: string, title: string) {
  const res = await postForm(
    server,
    `/seller/listings/${listingId}`,
    { intent: "save", ...formOf(listingInput({ title })) },
    { jar },
  );
  expect(res.status, `rename to ${title}`).toBe(302);
}

describe("a listing's address once it was on sale", () => {
  it("stays through archive → restore → rename → on sale, and the old link shows it again", async () => {
    const draft = await createListing(db, {
      stallId: farmer.stall.id,
      userId: farmer.user.id,
      input: listingInput({ title: "Bưởi Diễn" }),
      photos: [await makePhoto(1)],
    });
    expect(draft.slug).toBe("buoi-dien");
    expect((await stored(draft.id)).firstPublishedAt).toBeNull();

    await setStatus(draft.id, "active");
    const shared = `/s/vuon-nha-ba-tu/${draft.slug}`;
    expect((await getPage(server, shared)).status).toBe(200);
    const firstPublishedAt = (await stored(draft.id)).firstPublishedAt;
    expect(firstPublishedAt).toBeInstanceOf(Date);

    await setStatus(draft.id, "archived");
    await setStatus(draft.id, "draft");
    await rename(draft.id, "Bưởi Diễn ngọt, quả to");
    await setStatus(draft.id, "active");

    const again = await stored(draft.id);
    expect(again).toMatchObject({ slug: "buoi-dien", title: "Bưởi Diễn ngọt, quả to" });
    // The first publication stays the first: a second one does not move it.
    expect(again.firstPublishedAt).toEqual(firstPublishedAt);
    const page = await getPage(server, shared);
    expect(page.status).toBe(200);
    expect(await mainText(page)).toContain("Bưởi Diễn ngọt, quả to");
  });

  it("still follows the title while the listing has never been on sale", async () => {
    const draft = await createListing(db, {
      stallId: farmer.stall.id,
      userId: farmer.user.id,
      input: listingInput({ title: "Na dai" }),
      photos: [await makePhoto(2)],
    });
    await rename(draft.id, "Na dai Chi Lăng");
    expect((await stored(draft.id)).slug).toBe("na-dai-chi-lang");
  });
});

describe("a published stall's link and its printed poster", () => {
  it("keep working after the farmer renames the stall, and the link cannot be changed", async () => {
    const poster = await getPage(server, "/s/vuon-nha-ba-tu/qr.svg");
    expect(poster.status).toBe(200);
    const printed = await decodeQrSvg(await poster.text());
    expect(printed).toBe(`${server.origin}/s/vuon-nha-ba-tu`);

    const rename = await postStall({ name: "Vườn bưởi bà Tư", slug: "vuon-nha-ba-tu", description: "" });
    expect(rename.status).toBe(302);
    const changeLink = await postStall({ name: "Vườn bưởi bà Tư", slug: "vuon-buoi-ba-tu", description: "" });
    expect(changeLink.status).toBe(400);
    const refused = await mainText(changeLink);
    expect(refused).toContain("Link không đổi được sau khi gian hàng đã mở.");
    // The page shows the link that stays, not the one asked for.
    expect(refused).toContain("/s/ vuon-nha-ba-tu");
    expect(refused).not.toContain("vuon-buoi-ba-tu");

    const [stall] = await db.select().from(stalls).where(eq(stalls.id, farmer.stall.id));
    expect(stall).toMatchObject({ slug: "vuon-nha-ba-tu", name: "Vườn bưởi bà Tư" });
    // What the old poster's QR code opens.
    const landed = await getPage(server, new URL(printed!).pathname);
    expect(landed.status).toBe(200);
    expect(await mainText(landed)).toContain("Vườn bưởi bà Tư");
  });
});

/** The edit form's fields for a ListingInput (what the browser posts). */
function formOf(input: ReturnType<typeof listingInput>): Record<string, string> {
  return {
    title: input.title,
    description: input.description ?? "",
    category: input.category,
    unit: input.unit,
    price: String(input.priceDong),
    stockQty: String(input.stockQty ?? 0),
    minOrderQty: String(input.minOrderQty ?? 1),
  };
}

/** The stall step of the wizard, as the browser posts it (multipart: it may carry a banner photo). */
function postStall(fields: Record<string, string>) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  return server.fetch("/setup/stall", {
    method: "POST",
    headers: { Cookie: jar.header, Origin: server.origin },
    body: form,
  });
}
