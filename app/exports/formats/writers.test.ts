/**
 * The feed writers on their own, without a database: text that XML forbids,
 * limits cut at a word, a document streamed over many batches that still
 * parses as one, and the machine CSV pieces. What the database gives them is
 * tested through the server (app/routes/feeds.db.test.ts).
 */
import { describe, expect, it } from "vitest";
import type { ExportListing } from "../item";
import { writeFeed, xmlText, type FeedChannel, type FeedContext } from "./feed-format";
import { googleItem } from "./google-item";
import { googleTsv } from "./google-tsv";
import { googleXml } from "./google-xml";
import { metaRow } from "./meta-csv";
import { productsCsv } from "./products-csv";
import { productsJson } from "./products-json";
import { paragraphsHtml, shopifyCsv, shopifyHandle, shopifyRows } from "./shopify-csv";
import { parseCsv, parseGoogleXml, productsJsonProblems, xsdProblems } from "#tests/harness/feeds";

const context: FeedContext = {
  site: { origin: "https://gianhangso.example", mediaBaseUrl: "/media" },
  today: "2026-12-07",
};
const channel: FeedChannel = {
  title: "Vườn vải Bác Thịnh",
  link: "https://gianhangso.example/s/vuon-vai",
  description: "Vải thiều Thanh Hà",
};

let n = 0;
function listing(overrides: Partial<ExportListing> = {}): ExportListing {
  n++;
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    slug: `vai-thieu-${n}`,
    title: "Vải thiều Thanh Hà",
    description: "Vải chín cây.",
    category: "trai-cay",
    unit: "kg",
    priceDong: 45_000,
    minOrderQty: 1,
    madeToOrder: false,
    stockQty: 10,
    availableFrom: null,
    availableUntil: null,
    preorder: false,
    preorderCapacity: null,
    status: "active",
    leadTimeDays: null,
    weightGrams: null,
    packageLengthCm: null,
    packageWidthCm: null,
    packageHeightCm: null,
    position: n,
    updatedAt: new Date("2026-12-01T03:00:00Z"),
    photos: [{ hash: "a".repeat(64), widths: [320, 640, 1280], width: 2000, height: 1500 }],
    certifications: [],
    stall: {
      id: "00000000-0000-4000-8000-000000000001",
      slug: "vuon-vai",
      name: "Vườn vải Bác Thịnh",
      communeCode: "10813",
      communeName: "Xã Thanh Hà",
      provinceCode: "31",
      provinceName: "Thành phố Hải Phòng",
    },
    ...overrides,
  };
}

async function* batchesOf(...batches: ExportListing[][]) {
  for (const batch of batches) yield batch;
}

async function collect(chunks: AsyncIterable<string>) {
  const list: string[] = [];
  for await (const chunk of chunks) list.push(chunk);
  return list;
}

// Controls other than tab, LF and CR; a lone low and a lone high surrogate; the two non-characters.
const FORBIDDEN = "\u0000\u0001\u0008\u000B\u000C\u000E\u001F\uDC00\uD800\uFFFE\uFFFF";

describe("XML text", () => {
  it("is escaped, keeps tabs, line breaks and emoji, and loses what XML 1.0 forbids", () => {
    expect(xmlText(`a${FORBIDDEN}b`)).toBe("ab");
    expect(xmlText(`<b>"Tôm" & 'cua'</b>`)).toBe("&lt;b&gt;&quot;Tôm&quot; &amp; &apos;cua&apos;&lt;/b&gt;");
    expect(xmlText("a\tb\nc 🌾")).toBe("a\tb\nc 🌾");
  });

  it("a listing with forbidden characters still gives a feed that parses and passes the XSD", async () => {
    const dirty = listing({ title: `Mắm${FORBIDDEN} tôm 🦐 <Ba Làng>`, description: `Ngon & rẻ${FORBIDDEN}\n"thật"` });
    const xml = (await collect(writeFeed(googleXml, batchesOf([dirty]), context, channel))).join("");
    expect(await xsdProblems(xml)).toEqual([]);
    const [item] = parseGoogleXml(xml).items;
    expect(item.title).toBe("Mắm tôm 🦐 <Ba Làng>");
    expect(item.description).toBe('Ngon & rẻ\n"thật"');
  });
});

describe("limits", () => {
  it("a description over a target's limit is cut at a word, with an ellipsis", () => {
    const words = "Rau muống xanh ".repeat(800);
    const google = googleItem(listing({ description: words }), context).description;
    expect(Array.from(google).length).toBeLessThanOrEqual(5000);
    expect(google.endsWith("…")).toBe(true);
    expect(words.startsWith(google.slice(0, -1))).toBe(true);
    expect(google.slice(0, -1)).toMatch(/(muống|xanh|Rau)$/);
    const meta = metaRow(listing({ description: words.repeat(2) }), context).description as string;
    expect(Array.from(meta).length).toBeLessThanOrEqual(9999);
  });

  it("Google takes ten extra photos at most", () => {
    const photos = Array.from({ length: 13 }, (_, i) => ({
      hash: String(i).padStart(64, "0"),
      widths: [640],
      width: 640,
      height: 640,
    }));
    const item = googleItem(listing({ photos }), context);
    expect(item.image_link).toBe(`https://gianhangso.example/media/photos/${"0".repeat(64)}/640.jpg`);
    expect(item.additional_image_link).toHaveLength(10);
  });
});

describe("documents streamed over batches", () => {
  const batches = () => [[listing(), listing()], [], [listing({ title: 'Na "dai", Chi Lăng' })], [listing()]];

  it("write the opening, one chunk per non-empty batch, and the closing", async () => {
    const chunks = await collect(writeFeed(googleXml, batchesOf(...batches()), context, channel));
    expect(chunks).toHaveLength(1 + 3 + 1);
    expect(chunks[0]).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<rss version="2\.0"/);
    expect(chunks.at(-1)).toBe("</channel>\n</rss>\n");
    expect(parseGoogleXml(chunks.join("")).items).toHaveLength(4);
  });

  it("products.json is one JSON document, however the items fall into batches", async () => {
    for (const split of [batches(), [batches().flat()], [[], []]]) {
      const text = (await collect(writeFeed(productsJson, batchesOf(...split), context, channel))).join("");
      const document = JSON.parse(text);
      expect(productsJsonProblems(document)).toEqual([]);
      expect(document.items).toHaveLength(split.flat().length);
    }
  });

  it("CSV and TSV files are their header and one record per item (per photo for Shopify)", async () => {
    const list = batches();
    for (const [format, delimiter, rows] of [
      [googleTsv, "\t", 4],
      [productsCsv, ",", 4],
      [shopifyCsv, ",", 4],
    ] as const) {
      const text = (await collect(writeFeed(format, batchesOf(...list), context, channel))).join("");
      expect(parseCsv(text, delimiter).records).toHaveLength(rows);
    }
  });
});

describe("Shopify", () => {
  it("handles are the stall's slug and the listing's id: [a-z0-9-] and the same whatever the title", () => {
    const one = listing();
    expect(shopifyHandle(one)).toBe(`vuon-vai-${one.id}`);
    expect(shopifyHandle({ ...one, slug: "other", title: "Khác" } as ExportListing)).toBe(shopifyHandle(one));
    expect(shopifyHandle(one)).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it("the description is HTML paragraphs of escaped text", () => {
    expect(paragraphsHtml("Một <b>\n\nHai & ba\r\nbốn\n\n\n")).toBe("<p>Một &lt;b&gt;</p><p>Hai &amp; ba<br>bốn</p>");
    expect(paragraphsHtml("")).toBe("");
  });

  it("made to order is not tracked and goes on selling; in stock is tracked and stops at zero", () => {
    const [made] = shopifyRows(listing({ madeToOrder: true, stockQty: 0 }), context);
    expect(made).toMatchObject({ "Variant Inventory Tracker": "", "Variant Inventory Policy": "continue" });
    const [stocked] = shopifyRows(listing({ stockQty: 7 }), context);
    expect(stocked).toMatchObject({
      "Variant Inventory Tracker": "shopify",
      "Variant Inventory Qty": 7,
      "Variant Inventory Policy": "deny",
    });
  });
});
