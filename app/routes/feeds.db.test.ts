/**
 * The per-stall feeds at /feeds/:stallSlug/:file, through the server as a
 * marketplace's crawler meets them, each format read back by another library
 * than the one that wrote it (tests/harness/feeds.ts): the hard-case listings
 * (tests/fixtures/exports.ts) give the right items or are left out for the
 * right reason; statuses, private feeds, conditional requests and caching.
 */
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { listings, stalls } from "#db/schema";
import { KeptPages } from "~/http/kept-pages.server";
import { makeFeedsPrivate, makeFeedsPublic, renewFeedToken, revokeFeedToken } from "~/exports/index.server";
import { addDays, oneLineText } from "~/exports";
import { addPhotos, createListing, removePhoto, setListingStatus, updateListing } from "~/listings/index.server";
import { db } from "~/utils/db.server";
import { logger } from "~/utils/logger.server";
import {
  createHardCaseStall,
  FORMULA_TITLE,
  HARD_CASES,
  LEAD_TIME_DAYS,
  LEFT_OUT,
  LONGEST_TITLE,
  PREORDER_IN_DAYS,
  TITLE_300,
  TRICKY_DESCRIPTION,
  TRICKY_TITLE,
  type HardCase,
  type HardCaseStall,
} from "#tests/fixtures/exports";
import {
  createFarmerWithStall,
  listingInput,
  makePhoto,
  oneCharacterOff,
  type FarmerWithStall,
} from "#tests/fixtures/factories";
import { parseCsv, parseGoogleXml, productsJsonProblems, xsdProblems } from "#tests/harness/feeds";
import { captureLogs } from "#tests/harness/logs";
import { serveAppForThisFile, startTestServer } from "#tests/http/server";

const server = serveAppForThisFile();

const GOOGLE_TSV_HEADER = [
  "id",
  "title",
  "description",
  "link",
  "image_link",
  "additional_image_link",
  "availability",
  "availability_date",
  "price",
  "condition",
  "brand",
  "identifier_exists",
  "google_product_category",
  "unit_pricing_measure",
  "unit_pricing_base_measure",
  "shipping_weight",
];
const META_CSV_HEADER = [
  "id",
  "title",
  "description",
  "availability",
  "condition",
  "price",
  "link",
  "image_link",
  "additional_image_link",
  "brand",
  "google_product_category",
];
const SHOPIFY_CSV_HEADER = [
  "Handle",
  "Title",
  "Body (HTML)",
  "Vendor",
  "Product Category",
  "Published",
  "Option1 Name",
  "Option1 Value",
  "Variant SKU",
  "Variant Grams",
  "Variant Inventory Tracker",
  "Variant Inventory Qty",
  "Variant Inventory Policy",
  "Variant Fulfillment Service",
  "Variant Price",
  "Variant Requires Shipping",
  "Image Src",
  "Image Position",
  "SEO Title",
  "SEO Description",
  "Variant Weight Unit",
  "Status",
];

let hard: HardCaseStall;
let slug: string;
let name: string;
/** Case → listing id, and back. */
let caseOf: Map<string, HardCase>;

async function fetchFeed(path: string, init: RequestInit = {}) {
  const response = await server.fetch(path, init);
  return { response, text: await response.text() };
}

/** The cases a target's feed holds, in the stall's order. */
const kept = (target: keyof typeof LEFT_OUT) => HARD_CASES.filter((c) => !LEFT_OUT[target][c]);

const photoUrl = (path: string) => new RegExp(`^${server.origin}/media/photos/[0-9a-f]{64}/${path}\\.jpg$`);

beforeAll(async () => {
  hard = await createHardCaseStall(db);
  slug = hard.farmer.stall.slug;
  name = hard.farmer.stall.name;
  caseOf = new Map(Object.entries(hard.ids).map(([c, id]) => [id, c as HardCase]));
});

describe("google.xml", () => {
  it("is RSS 2.0 with the g: namespace that the XSD and an XML parser accept, holding the ready listings", async () => {
    const { response, text } = await fetchFeed(`/feeds/${slug}/google.xml`);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/xml; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toBe(`inline; filename="${slug}-google.xml"`);
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(response.headers.get("X-Feed-Items")).toBe("11");
    expect(response.headers.get("X-Feed-Skipped")).toBe("3 (no_photo=1, preorder_without_date=1, title_too_long=1)");
    expect(await xsdProblems(text)).toEqual([]);

    const feed = parseGoogleXml(text);
    expect(feed.channel).toEqual({
      title: name,
      link: `${server.origin}/s/${slug}`,
      description: `${name} – Gian Hàng Số`,
    });
    expect(feed.items.map((i) => caseOf.get(i.id as string))).toEqual(kept("google"));
  });

  it("says what each hard case is, in Google's words", async () => {
    const { text } = await fetchFeed(`/feeds/${slug}/google.xml`);
    const items = new Map(parseGoogleXml(text).items.map((i) => [caseOf.get(i.id as string)!, i]));
    const plain = items.get("plain")!;
    expect(plain).toMatchObject({
      id: hard.ids.plain,
      title: "Vải thiều Thanh Hà loại 1",
      link: `${server.origin}/s/${slug}/vai-thieu-thanh-ha-loai-1`,
      availability: "in_stock",
      price: "45000 VND",
      condition: "new",
      brand: name,
      identifier_exists: "no",
      google_product_category: "5795",
      unit_pricing_measure: "1 kg",
      unit_pricing_base_measure: "1 kg",
      shipping_weight: "1000 g",
    });
    // The widest JPEG of an 800 px photo is the 800 px one.
    expect(plain.image_link).toMatch(photoUrl("800"));
    expect(plain.additional_image_link).toHaveLength(2);
    for (const link of plain.additional_image_link as string[]) expect(link).toMatch(photoUrl("800"));

    // XML keeps the text; a parser reads CRLF as LF (XML 1.0 §2.11).
    expect(items.get("text")).toMatchObject({
      title: TRICKY_TITLE,
      description: TRICKY_DESCRIPTION.replace(/\r\n/g, "\n"),
      price: "125000 VND",
    });
    expect(items.get("longestTitle")!.title).toBe(LONGEST_TITLE);
    expect(items.get("smallPhoto")!.image_link).toMatch(photoUrl("300"));
    expect(items.get("expiredCert")!.availability).toBe("in_stock");
    expect(items.get("expiredCert")).toMatchObject({
      unit_pricing_measure: "100 g",
      unit_pricing_base_measure: "100 g",
    });
    expect(items.get("soldOut")!.availability).toBe("out_of_stock");
    expect(items.get("preorder")).toMatchObject({
      availability: "preorder",
      availability_date: `${addDays(hard.today, PREORDER_IN_DAYS)}T00:00+07:00`,
    });
    expect(items.get("madeToOrderLead")).toMatchObject({
      availability: "backorder",
      availability_date: `${addDays(hard.today, LEAD_TIME_DAYS)}T00:00+07:00`,
      shipping_weight: "1500 g",
      unit_pricing_measure: "1500 g",
      unit_pricing_base_measure: "1 kg",
    });
    expect(items.get("madeToOrderNoLead")!.availability).toBe("in_stock");
    expect(items.get("madeToOrderNoLead")!.availability_date).toBeUndefined();
    // Sold by the piece, no weight given: no unit price, no shipping weight.
    const piece = items.get("piece")!;
    expect(piece).not.toHaveProperty("unit_pricing_measure");
    expect(piece).not.toHaveProperty("shipping_weight");
    expect(items.get("formula")!.title).toBe(FORMULA_TITLE);
    // What the XSD cannot say: preorder and backorder carry their date.
    for (const item of items.values()) {
      if (item.availability === "preorder" || item.availability === "backorder") {
        expect(item.availability_date).toMatch(/^\d{4}-\d{2}-\d{2}T00:00\+07:00$/);
      }
    }
  });

  it("fails the XSD when an id is over 50 characters, the availability unknown or the price without its currency", async () => {
    const { text } = await fetchFeed(`/feeds/${slug}/google.xml`);
    expect(await xsdProblems(text)).toEqual([]);
    const id = hard.ids.plain;
    const broken = {
      longId: text.replace(`<g:id>${id}</g:id>`, `<g:id>${id}-${"x".repeat(20)}</g:id>`),
      availability: text.replace(
        "<g:availability>in_stock</g:availability>",
        "<g:availability>available</g:availability>",
      ),
      price: text.replace("<g:price>45000 VND</g:price>", "<g:price>45000</g:price>"),
      noBrand: text.replace(`<g:brand>${name}</g:brand>`, ""),
      condition: text.replace("<g:condition>new</g:condition>", "<g:condition>fresh</g:condition>"),
    };
    for (const [what, xml] of Object.entries(broken)) {
      expect(xml, what).not.toBe(text);
      expect(await xsdProblems(xml), what).not.toEqual([]);
    }
  });
});

describe("google.tsv", () => {
  it("has Google's header, one line per ready listing, and no tab or line break inside a value", async () => {
    const { response, text } = await fetchFeed(`/feeds/${slug}/google.tsv`);
    expect(response.headers.get("Content-Type")).toBe("text/tab-separated-values; charset=utf-8");
    const { header, records } = parseCsv(text, "\t");
    expect(header).toEqual(GOOGLE_TSV_HEADER);
    expect(text.trimEnd().split("\r\n")).toHaveLength(records.length + 1);
    expect(records.map((r) => caseOf.get(r.id))).toEqual(kept("google"));
    for (const record of records) {
      for (const value of Object.values(record)) expect(value).not.toMatch(/[\t\r\n]/);
    }
    const byCase = new Map(records.map((r) => [caseOf.get(r.id)!, r]));
    expect(byCase.get("text")).toMatchObject({
      title: TRICKY_TITLE,
      description: oneLineText(TRICKY_DESCRIPTION),
      price: "125000 VND",
    });
    expect(byCase.get("text")!.description).toBe(
      'Dòng một, có "ngoặc kép" và dấu phẩy. Dòng hai có tab 😀 Dòng ba: Đặc sản Nam Định',
    );
    expect(byCase.get("formula")!.title).toBe(FORMULA_TITLE);
    expect(byCase.get("plain")!.additional_image_link.split(",")).toHaveLength(2);
    expect(byCase.get("preorder")!.availability_date).toBe(`${addDays(hard.today, PREORDER_IN_DAYS)}T00:00+07:00`);
    expect(byCase.get("piece")).toMatchObject({ unit_pricing_measure: "", shipping_weight: "" });
  });
});

describe("meta.csv", () => {
  it("has Meta's header and availability words, and keeps every text exactly", async () => {
    const { response, text } = await fetchFeed(`/feeds/${slug}/meta.csv`);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("X-Feed-Skipped")).toBe("3 (no_photo=1, photo_too_small=1, title_too_long=1)");
    const { header, records } = parseCsv(text);
    expect(header).toEqual(META_CSV_HEADER);
    expect(records.map((r) => caseOf.get(r.id))).toEqual(kept("meta"));
    const byCase = new Map(records.map((r) => [caseOf.get(r.id)!, r]));
    expect(byCase.get("text")).toMatchObject({ title: TRICKY_TITLE, description: TRICKY_DESCRIPTION });
    expect(byCase.get("formula")!.title).toBe(FORMULA_TITLE);
    expect(byCase.get("longestTitle")!.title).toBe(LONGEST_TITLE);
    expect(
      Object.fromEntries(
        (["plain", "soldOut", "preorder", "preorderNoDate", "madeToOrderLead", "madeToOrderNoLead"] as const).map(
          (c) => [c, byCase.get(c)!.availability],
        ),
      ),
    ).toEqual({
      plain: "in stock",
      soldOut: "out of stock",
      preorder: "preorder",
      preorderNoDate: "preorder",
      madeToOrderLead: "available for order",
      madeToOrderNoLead: "available for order",
    });
    expect(byCase.get("plain")).toMatchObject({ condition: "new", price: "45000 VND", brand: name });
    expect(byCase.get("plain")!.additional_image_link.split(",")).toHaveLength(2);
  });
});

describe("shopify.csv", () => {
  it("has a product row per listing and a row per extra photo, with stable handles", async () => {
    const { text } = await fetchFeed(`/feeds/${slug}/shopify.csv`);
    const { header, records } = parseCsv(text);
    expect(header).toEqual(SHOPIFY_CSV_HEADER);
    const products = records.filter((r) => r.Title !== "");
    expect(products.map((r) => caseOf.get(r["Variant SKU"]))).toEqual(kept("shopify"));
    for (const row of records) expect(row.Handle).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    for (const row of products) {
      expect(row.Handle).toBe(`${slug}-${row["Variant SKU"]}`);
      expect(row).toMatchObject({
        Vendor: name,
        Published: "TRUE",
        Status: "active",
        "Option1 Name": "Title",
        "Option1 Value": "Default Title",
        "Variant Fulfillment Service": "manual",
      });
      expect(row["Variant Price"]).toMatch(/^\d+$/);
    }

    const rowsOf = (c: HardCase) => records.filter((r) => r.Handle === `${slug}-${hard.ids[c]}`);
    const plain = rowsOf("plain");
    expect(plain).toHaveLength(3);
    expect(plain.map((r) => r["Image Position"])).toEqual(["1", "2", "3"]);
    for (const extra of plain.slice(1)) {
      const filled = Object.entries(extra)
        .filter(([, v]) => v !== "")
        .map(([k]) => k);
      expect(filled).toEqual(["Handle", "Image Src", "Image Position"]);
    }
    expect(plain[0]).toMatchObject({
      "Variant Price": "45000",
      "Variant Grams": "1000",
      "Variant Weight Unit": "kg",
      "Variant Inventory Tracker": "shopify",
      "Variant Inventory Qty": "200",
      "Variant Inventory Policy": "deny",
      "Product Category": "Food, Beverages & Tobacco > Food Items > Fruits & Vegetables > Fresh & Frozen Fruits",
    });
    expect(rowsOf("text")[0]).toMatchObject({
      Title: TRICKY_TITLE,
      "Body (HTML)":
        "<p>Dòng một, có &quot;ngoặc kép&quot; và dấu phẩy.<br>Dòng hai\tcó tab 😀<br>Dòng ba: Đặc sản Nam Định</p>",
    });
    expect(rowsOf("formula")[0].Title).toBe(FORMULA_TITLE);
    // Shopify takes a product without a photo.
    expect(rowsOf("noPhoto")[0]).toMatchObject({ "Image Src": "", "Image Position": "" });
    expect(rowsOf("soldOut")[0]).toMatchObject({ "Variant Inventory Qty": "0", "Variant Inventory Policy": "deny" });
    expect(rowsOf("preorder")[0]).toMatchObject({
      "Variant Inventory Tracker": "shopify",
      "Variant Inventory Policy": "continue",
    });
    expect(rowsOf("madeToOrderLead")[0]).toMatchObject({
      "Variant Inventory Tracker": "",
      "Variant Inventory Qty": "",
      "Variant Inventory Policy": "continue",
      "Variant Grams": "1500",
    });
    expect(rowsOf("piece")[0]).toMatchObject({ "Variant Grams": "", "Variant Weight Unit": "" });
  });
});

describe("products.csv and products.json", () => {
  it("hold every listing on sale, with each target's readiness", async () => {
    const { response, text } = await fetchFeed(`/feeds/${slug}/products.csv`);
    expect(response.headers.get("X-Feed-Items")).toBe(String(HARD_CASES.length));
    expect(response.headers.get("X-Feed-Skipped")).toBe("0");
    const { header, records } = parseCsv(text);
    expect(header.slice(0, 4)).toEqual(["id", "stall_id", "stall_slug", "stall_name"]);
    expect(records.map((r) => caseOf.get(r.id))).toEqual([...HARD_CASES]);
    const byCase = new Map(records.map((r) => [caseOf.get(r.id)!, r]));
    expect(byCase.get("title300")).toMatchObject({
      title: TITLE_300,
      google_readiness: "title_too_long",
      shopify_readiness: "title_too_long",
    });
    expect(byCase.get("text")).toMatchObject({ title: TRICKY_TITLE, description: TRICKY_DESCRIPTION });
    expect(byCase.get("formula")!.title).toBe(FORMULA_TITLE);
    expect(byCase.get("noPhoto")).toMatchObject({ image_link: "", google_readiness: "no_photo" });
    expect(byCase.get("smallPhoto")!.meta_readiness).toBe("photo_too_small");
    // An expired certificate is a warning: still ready.
    expect(byCase.get("expiredCert")!.google_readiness).toBe("ready");
    expect(JSON.parse(byCase.get("expiredCert")!.certifications)).toEqual([
      expect.objectContaining({ type: "vietgap", validUntil: addDays(hard.today, -1) }),
    ]);
    // Sold by the piece with no weight: TikTok Shop wants one (and a longer title).
    expect(byCase.get("piece")!.tiktok_readiness).toBe("title_too_short no_weight");
  });

  it("products.json is one document the JSON Schema accepts, and the schema refuses what no feed may say", async () => {
    const { response, text } = await fetchFeed(`/feeds/${slug}/products.json`);
    expect(response.headers.get("Content-Type")).toBe("application/json; charset=utf-8");
    const document = JSON.parse(text) as { items: Record<string, unknown>[]; title: string; link: string };
    expect(productsJsonProblems(document)).toEqual([]);
    expect(document.title).toBe(name);
    expect(document.items.map((i) => caseOf.get(i.id as string))).toEqual([...HARD_CASES]);
    // Each hard case is refused by exactly the targets, and for exactly the reasons, the feeds left it out for.
    for (const target of ["google", "meta", "shopify"] as const) {
      for (const item of document.items as { id: string; readiness: Record<string, { errors: string[] }> }[]) {
        const c = caseOf.get(item.id)!;
        expect(item.readiness[target].errors, `${target} ${c}`).toEqual(LEFT_OUT[target][c] ?? []);
      }
    }
    const expired = document.items.find((i) => i.id === hard.ids.expiredCert) as {
      readiness: { google: { ready: boolean; warnings: string[] } };
    };
    expect(expired.readiness.google).toEqual({ ready: true, errors: [], warnings: ["certificate_expired"] });
    const text2 = document.items.find((i) => i.id === hard.ids.text)!;
    expect(text2).toMatchObject({ title: TRICKY_TITLE, description: TRICKY_DESCRIPTION });

    const item = document.items[0] as Record<string, unknown> & { availability: Record<string, unknown> };
    const broken = {
      longId: { ...item, id: `${item.id as string}-${"x".repeat(20)}` },
      availability: { ...item, availability: { ...item.availability, google: "available" } },
      price: { ...item, price: "45000" },
      missingField: Object.fromEntries(Object.entries(item).filter(([k]) => k !== "priceDong")),
    };
    for (const [what, bad] of Object.entries(broken)) {
      expect(productsJsonProblems({ ...document, items: [bad] }), what).not.toEqual([]);
    }
  });
});

describe("what is in a feed follows the listings and the stall", () => {
  let farmer: FarmerWithStall;
  let listingIds: string[];
  const ids = async (file = "google.xml") => {
    const { response, text } = await fetchFeed(`/feeds/${farmer.stall.slug}/${file}`);
    expect(response.status).toBe(200);
    return parseGoogleXml(text).items.map((i) => i.id);
  };

  beforeAll(async () => {
    farmer = await createFarmerWithStall(db);
    listingIds = [];
    for (const [i, title] of ["Rau muống", "Cải ngọt", "Mồng tơi"].entries()) {
      const listing = await createListing(db, {
        stallId: farmer.stall.id,
        userId: farmer.user.id,
        input: listingInput({ title, category: "rau-la", unit: "bo", priceDong: 10_000 + i }),
        photos: [await makePhoto(9500 + i)],
        status: "active",
      });
      listingIds.push(listing.id);
    }
  });

  it("a paused or archived listing disappears, and comes back when on sale again", async () => {
    expect(await ids()).toEqual(listingIds);
    await setListingStatus(db, { listingId: listingIds[1], stallId: farmer.stall.id, status: "paused" });
    expect(await ids()).toEqual([listingIds[0], listingIds[2]]);
    await setListingStatus(db, { listingId: listingIds[2], stallId: farmer.stall.id, status: "archived" });
    expect(await ids()).toEqual([listingIds[0]]);
    await setListingStatus(db, { listingId: listingIds[1], stallId: farmer.stall.id, status: "active" });
    expect(await ids()).toEqual([listingIds[0], listingIds[1]]);
  });

  it("an unpublished stall gives empty feeds (a marketplace then removes its items)", async () => {
    await db.update(stalls).set({ status: "unpublished" }).where(eq(stalls.id, farmer.stall.id));
    try {
      const { response, text } = await fetchFeed(`/feeds/${farmer.stall.slug}/google.xml`);
      expect(response.status).toBe(200);
      expect(response.headers.get("X-Feed-Items")).toBe("0");
      expect(await xsdProblems(text)).toEqual([]);
      expect(parseGoogleXml(text).items).toEqual([]);
      const meta = await fetchFeed(`/feeds/${farmer.stall.slug}/meta.csv`);
      expect(meta.text).toBe(`${META_CSV_HEADER.join(",")}\r\n`);
      const json = await fetchFeed(`/feeds/${farmer.stall.slug}/products.json`);
      expect(json.response.headers.get("X-Feed-Items")).toBe("0");
      expect(JSON.parse(json.text).items).toEqual([]);
      expect(productsJsonProblems(JSON.parse(json.text))).toEqual([]);
    } finally {
      await db.update(stalls).set({ status: "published" }).where(eq(stalls.id, farmer.stall.id));
    }
  });
});

describe("feeds that are not there", () => {
  let unknown: { status: number; body: string; headers: [string, string][] };
  /** The headers that could tell one 404 from another (not the per-response ones). */
  const telling = (response: Response) =>
    [...response.headers].filter(([name]) => !["date", "x-request-id", "content-security-policy"].includes(name));

  beforeAll(async () => {
    const { response, text } = await fetchFeed("/feeds/khong-co-gian-hang-nay/google.xml");
    unknown = { status: response.status, body: text, headers: telling(response) };
    expect(unknown.status).toBe(404);
  });

  async function expectSameAsUnknown(path: string) {
    const { response, text } = await fetchFeed(path);
    expect({ status: response.status, body: text, headers: telling(response) }, path).toEqual(unknown);
  }

  it("an unknown file name, and a stall never published, answer as an unknown stall does", async () => {
    await expectSameAsUnknown(`/feeds/${slug}/google.json`);
    await expectSameAsUnknown(`/feeds/${slug}/..%2Fgoogle.xml`);
    const draft = await createFarmerWithStall(db, { stall: { status: "draft", publishedAt: null } });
    await expectSameAsUnknown(`/feeds/${draft.stall.slug}/google.xml`);
    await expectSameAsUnknown(`/feeds/${draft.stall.slug}/products.json`);
  });

  it("a private feed answers only with its token; renewed, the old one stops; revoked, none works", async () => {
    const farmer = await createFarmerWithStall(db);
    const path = `/feeds/${farmer.stall.slug}/meta.csv`;
    expect((await fetchFeed(path)).response.headers.get("Cache-Control")).toBe("public, max-age=900");

    const { feedToken: token } = (await makeFeedsPrivate(db, farmer.stall.id))!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await expectSameAsUnknown(path);
    await expectSameAsUnknown(`${path}?token=`);
    await expectSameAsUnknown(`${path}?token=${oneCharacterOff(token!)}`);
    await expectSameAsUnknown(`${path}?token=${token}x`);
    const allowed = await fetchFeed(`${path}?token=${token}`);
    expect(allowed.response.status).toBe(200);
    expect(allowed.response.headers.get("Cache-Control")).toBe("private, max-age=900");
    expect(parseCsv(allowed.text).header).toEqual(META_CSV_HEADER);

    // A second tap keeps the token the farmer may have pasted already.
    expect((await makeFeedsPrivate(db, farmer.stall.id))!.feedToken).toBe(token);

    const { feedToken: renewed } = (await renewFeedToken(db, farmer.stall.id))!;
    expect(renewed).not.toBe(token);
    await expectSameAsUnknown(`${path}?token=${token}`);
    expect((await fetchFeed(`${path}?token=${renewed}`)).response.status).toBe(200);

    expect(await revokeFeedToken(db, farmer.stall.id)).toEqual({ feedsPrivate: true, feedToken: null });
    await expectSameAsUnknown(`${path}?token=${renewed}`);
    await expectSameAsUnknown(path);

    expect(await makeFeedsPublic(db, farmer.stall.id)).toEqual({ feedsPrivate: false, feedToken: null });
    expect((await fetchFeed(path)).response.status).toBe(200);
  });
});

describe("conditional requests", () => {
  let farmer: FarmerWithStall;
  let listingId: string;
  const path = () => `/feeds/${farmer.stall.slug}/google.xml`;
  const etagNow = async () => (await fetchFeed(path())).response.headers.get("ETag")!;

  beforeAll(async () => {
    farmer = await createFarmerWithStall(db);
    const listing = await createListing(db, {
      stallId: farmer.stall.id,
      userId: farmer.user.id,
      input: listingInput({ title: "Na dai Chi Lăng", priceDong: 70_000 }),
      photos: [await makePhoto(9600)],
      status: "active",
    });
    listingId = listing.id;
  });

  it("a poller with the current ETag gets a 304 with no body; a changed price changes the ETag", async () => {
    const first = await fetchFeed(path());
    const etag = first.response.headers.get("ETag")!;
    expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]+"$/);
    expect(first.response.headers.get("Cache-Control")).toBe("public, max-age=900");
    expect(new Date(first.response.headers.get("Last-Modified")!).getTime()).not.toBeNaN();

    const again = await fetchFeed(path(), { headers: { "If-None-Match": etag } });
    expect(again.response.status).toBe(304);
    expect(again.text).toBe("");
    expect(again.response.headers.get("ETag")).toBe(etag);
    expect(again.response.headers.get("Cache-Control")).toBe("public, max-age=900");
    // The strong form of the same tag, and a list holding it, match too.
    expect((await fetchFeed(path(), { headers: { "If-None-Match": etag.slice(2) } })).response.status).toBe(304);
    expect((await fetchFeed(path(), { headers: { "If-None-Match": `"other", ${etag}` } })).response.status).toBe(304);

    await updateListing(db, {
      listingId,
      stallId: farmer.stall.id,
      input: listingInput({ title: "Na dai Chi Lăng", priceDong: 75_000 }),
    });
    const changed = await fetchFeed(path(), { headers: { "If-None-Match": etag } });
    expect(changed.response.status).toBe(200);
    expect(changed.response.headers.get("ETag")).not.toBe(etag);
    expect(parseGoogleXml(changed.text).items[0].price).toBe("75000 VND");
  });

  it("Last-Modified answers If-Modified-Since, unless If-None-Match is there", async () => {
    const { response } = await fetchFeed(path());
    const lastModified = response.headers.get("Last-Modified")!;
    expect((await fetchFeed(path(), { headers: { "If-Modified-Since": lastModified } })).response.status).toBe(304);
    const earlier = new Date(Date.parse(lastModified) - 1000).toUTCString();
    expect((await fetchFeed(path(), { headers: { "If-Modified-Since": earlier } })).response.status).toBe(200);
    const both = { "If-Modified-Since": lastModified, "If-None-Match": 'W/"not-this-one"' };
    expect((await fetchFeed(path(), { headers: both })).response.status).toBe(200);
  });

  it("photo changes and status changes change the ETag; each file has its own", async () => {
    const etags = new Set<string>([await etagNow()]);
    const photos = await addPhotos(db, {
      listingId,
      stallId: farmer.stall.id,
      photos: [await makePhoto(9601)],
    });
    etags.add(await etagNow());
    expect(etags.size).toBe(2);
    await removePhoto(db, { listingId, stallId: farmer.stall.id, mediaId: photos[1].mediaId });
    etags.add(await etagNow());
    expect(etags.size).toBe(3);
    await setListingStatus(db, { listingId, stallId: farmer.stall.id, status: "paused" });
    etags.add(await etagNow());
    expect(etags.size).toBe(4);
    await setListingStatus(db, { listingId, stallId: farmer.stall.id, status: "active" });
    etags.add(await etagNow());
    expect(etags.size).toBe(5);
    const meta = (await fetchFeed(`/feeds/${farmer.stall.slug}/meta.csv`)).response.headers.get("ETag")!;
    expect(etags.has(meta)).toBe(false);
  });

  it("the Vietnam date changes the ETag and Last-Modified (availability moves overnight)", async () => {
    const today = await fetchFeed(path());
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      // Midnight in Hà Nội is 17:00 UTC the day before.
      const tomorrow = addDays(hard.today, 1);
      vi.setSystemTime(new Date(`${tomorrow}T00:30:00+07:00`));
      const next = await fetchFeed(path(), { headers: { "If-None-Match": today.response.headers.get("ETag")! } });
      expect(next.response.status).toBe(200);
      expect(next.response.headers.get("ETag")).not.toBe(today.response.headers.get("ETag"));
      expect(new Date(next.response.headers.get("Last-Modified")!).toISOString()).toBe(
        new Date(`${tomorrow}T00:00:00+07:00`).toISOString(),
      );
    } finally {
      vi.useRealTimers();
    }
  });

  it("HEAD says the same as GET without a body", async () => {
    const get = await fetchFeed(`/feeds/${slug}/google.xml`);
    const head = await fetchFeed(`/feeds/${slug}/google.xml`, { method: "HEAD" });
    expect(head.response.status).toBe(200);
    expect(head.text).toBe("");
    for (const name of ["ETag", "Last-Modified", "Content-Type", "X-Feed-Items", "X-Feed-Skipped", "Cache-Control"]) {
      expect(head.response.headers.get(name), name).toBe(get.response.headers.get(name));
    }
  });
});

describe("the HTTP layer around feeds", () => {
  it("compresses them for a client that takes gzip, with the same validator", async () => {
    const plain = await server.fetch(`/feeds/${slug}/products.json`, { headers: { "Accept-Encoding": "identity" } });
    const gzip = await server.fetch(`/feeds/${slug}/products.json`, { headers: { "Accept-Encoding": "gzip" } });
    expect(plain.headers.get("Content-Encoding")).toBeNull();
    expect(gzip.headers.get("Content-Encoding")).toBe("gzip");
    expect(gzip.headers.get("Vary")).toContain("Accept-Encoding");
    expect(gzip.headers.get("ETag")).toBe(plain.headers.get("ETag"));
    expect(JSON.parse(await gzip.text()).items).toEqual(JSON.parse(await plain.text()).items);
  });

  it("never keeps a feed as a page for anonymous visitors", async () => {
    const keptPages = new KeptPages();
    const own = await startTestServer({ keptPages });
    try {
      for (const file of ["google.xml", "meta.csv", "products.json"]) {
        expect((await own.fetch(`/feeds/${slug}/${file}`)).status).toBe(200);
        expect((await own.fetch(`/feeds/${slug}/${file}`)).status).toBe(200);
      }
      expect(keptPages.size).toBe(0);
    } finally {
      await own.close();
    }
  });

  describe("logs", () => {
    const capture = captureLogs();
    beforeAll(() => {
      vi.spyOn(logger, "child").mockImplementation((bindings) => capture.log.child(bindings));
      vi.spyOn(logger, "error").mockImplementation((...args: unknown[]) =>
        (capture.log.error as (...a: unknown[]) => void)(...args),
      );
    });
    afterAll(() => vi.restoreAllMocks());

    it("never hold the token, not even when the feed fails", async () => {
      const farmer = await createFarmerWithStall(db);
      await createListing(db, {
        stallId: farmer.stall.id,
        userId: farmer.user.id,
        input: listingInput({ title: "Mắm tôm Ba Làng", category: "gia-vi", unit: "hu" }),
        photos: [await makePhoto(9700)],
        status: "active",
      });
      const { feedToken: token } = (await makeFeedsPrivate(db, farmer.stall.id))!;
      const base = `/feeds/${farmer.stall.slug}`;
      expect((await server.fetch(`${base}/google.xml?token=${token}`)).status).toBe(200);
      expect((await server.fetch(`${base}/google.xml?token=wrong${token}`)).status).toBe(404);

      // Make every read of the listings' certificates fail for a moment: the feed's pass that counts
      // (google.xml, before the answer) and its body (products.json, after the headers) both fail.
      await db.execute(sql.raw("ALTER TABLE listing_certifications RENAME TO listing_certifications_away"));
      try {
        expect((await server.fetch(`${base}/google.xml?token=${token}`)).status).toBe(500);
        // The answer has begun (200, headers on their way) when the body fails: the connection is cut,
        // so the client never takes half a document for a whole one.
        const streamed = await server
          .fetch(`${base}/products.json?token=${token}`)
          .then((response) => response.text())
          .then(
            () => "whole",
            () => "cut",
          );
        expect(streamed).toBe("cut");
      } finally {
        await db.execute(sql.raw("ALTER TABLE listing_certifications_away RENAME TO listing_certifications"));
      }
      const text = capture.text();
      expect(text).toContain(`"path":"${base}/google.xml"`);
      expect(text).toContain("request failed");
      expect(text).toContain("unhandled error");
      expect(text).not.toContain(token!);
      expect(text).not.toContain("token=");
    });
  });
});

describe("listings table rows written directly", () => {
  it("a listing on sale keeps its id in the feed when its title and slug change", async () => {
    const farmer = await createFarmerWithStall(db);
    const listing = await createListing(db, {
      stallId: farmer.stall.id,
      userId: farmer.user.id,
      input: listingInput({ title: "Ổi Đông Dư" }),
      photos: [await makePhoto(9800)],
      status: "active",
    });
    const before = parseGoogleXml((await fetchFeed(`/feeds/${farmer.stall.slug}/google.xml`)).text).items;
    await db.update(listings).set({ title: "Ổi lê Đông Dư", slug: "oi-le-dong-du" }).where(eq(listings.id, listing.id));
    const after = parseGoogleXml((await fetchFeed(`/feeds/${farmer.stall.slug}/google.xml`)).text).items;
    expect(after.map((i) => i.id)).toEqual(before.map((i) => i.id));
    expect(after[0].link).toBe(`${server.origin}/s/${farmer.stall.slug}/oi-le-dong-du`);
  });
});
