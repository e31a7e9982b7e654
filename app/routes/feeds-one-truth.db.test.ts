/**
 * One truth (issue 15, deliverable 6): at the same moment, the product page's
 * JSON-LD, the Google feed, the Meta feed and products.json say the same id,
 * price and availability of a listing — each in its own words: InStock ↔
 * in_stock ↔ in stock, BackOrder ↔ backorder ↔ available for order, and so
 * on. Everything is fetched through the server, as a crawler and a
 * marketplace would.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/utils/db.server";
import { createHardCaseStall, type HardCase, type HardCaseStall } from "#tests/fixtures/exports";
import { parseCsv, parseGoogleXml } from "#tests/harness/feeds";
import { serveAppForThisFile } from "#tests/http/server";

const server = serveAppForThisFile();

/**
 * Each case's availability in each vocabulary: schema.org (the page), Google,
 * Meta. Made to order is "available for order" to Meta; to Google and
 * schema.org it is a back order from the day it would be ready when the lead
 * time is known, else simply in stock (Google's backorder needs a date).
 */
const EXPECTED = {
  plain: ["InStock", "in_stock", "in stock"],
  soldOut: ["OutOfStock", "out_of_stock", "out of stock"],
  preorder: ["PreOrder", "preorder", "preorder"],
  madeToOrderLead: ["BackOrder", "backorder", "available for order"],
  madeToOrderNoLead: ["InStock", "in_stock", "available for order"],
} as const satisfies Partial<Record<HardCase, readonly [string, string, string]>>;
const CASES = Object.keys(EXPECTED) as (keyof typeof EXPECTED)[];

let hard: HardCaseStall;

interface Offer {
  price: number;
  priceCurrency: string;
  availability: string;
  availabilityStarts?: string;
}

/** The Product of a product page's JSON-LD, read from the HTML the server sends. */
async function productJsonLd(path: string) {
  const response = await server.fetch(path);
  expect(response.status, path).toBe(200);
  const html = await response.text();
  const scripts = [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map(
    (m) => JSON.parse(m[1]) as { "@type": string; sku?: string; offers?: Offer },
  );
  const product = scripts.find((s) => s["@type"] === "Product");
  if (!product) throw new Error(`no Product JSON-LD on ${path}`);
  return product as { sku: string; offers: Offer };
}

beforeAll(async () => {
  hard = await createHardCaseStall(db, { seed: 9300 });
});

describe("the product page, the feeds and products.json", () => {
  it("say the same id, price and availability of each listing", async () => {
    const slug = hard.farmer.stall.slug;
    const [xml, meta, json] = await Promise.all(
      ["google.xml", "meta.csv", "products.json"].map(async (file) =>
        (await server.fetch(`/feeds/${slug}/${file}`)).text(),
      ),
    );
    const google = new Map(parseGoogleXml(xml).items.map((i) => [i.id as string, i]));
    const metaRows = new Map(parseCsv(meta).records.map((r) => [r.id, r]));
    const products = new Map(
      (
        JSON.parse(json) as {
          items: {
            id: string;
            url: string;
            priceDong: number;
            price: string;
            availability: { date: string | null; google: string; meta: string; schemaOrg: string };
          }[];
        }
      ).items.map((i) => [i.id, i]),
    );

    for (const c of CASES) {
      const id = hard.ids[c];
      const product = products.get(id)!;
      const page = await productJsonLd(new URL(product.url).pathname);
      const g = google.get(id)!;
      const m = metaRows.get(id)!;
      expect([page.sku, g.id, m.id, product.id], c).toEqual([id, id, id, id]);

      expect(page.offers.priceCurrency, c).toBe("VND");
      const price = `${page.offers.price} VND`;
      expect([g.price, m.price, product.price, `${product.priceDong} VND`], c).toEqual([price, price, price, price]);

      const [schemaOrg, googleWord, metaWord] = EXPECTED[c];
      expect([page.offers.availability, g.availability, m.availability, product.availability.schemaOrg], c).toEqual([
        `https://schema.org/${schemaOrg}`,
        googleWord,
        metaWord,
        schemaOrg,
      ]);
      expect([product.availability.google, product.availability.meta], c).toEqual([googleWord, metaWord]);

      // The day a pre-order's harvest starts or a made-to-order is ready: the same day everywhere.
      const day = page.offers.availabilityStarts ?? null;
      expect(day !== null, c).toBe(schemaOrg === "PreOrder" || schemaOrg === "BackOrder");
      expect((g.availability_date as string | undefined)?.slice(0, 10) ?? null, c).toBe(day);
      if (product.availability.google === "preorder" || product.availability.google === "backorder") {
        expect(product.availability.date, c).toBe(day);
      }
    }
  });
});
