/**
 * The product payloads of TikTok Shop, Shopee and Lazada, checked against
 * JSON Schemas written from each platform's documentation (not from this
 * code): every listing ready for a target gives a payload its schema takes,
 * the schema refuses what the platform refuses (negative fixtures), and the
 * values say what the listing says (đồng, kilograms, centimetres, photos,
 * the admin's category ids, escaped HTML).
 */
import { describe, expect, it } from "vitest";
import { MARKETPLACE_TARGETS, type ExportListing, type MarketplaceTarget } from "~/exports";
import {
  isPlaceholder,
  lazadaPayload,
  MARKETPLACE_FORMATS,
  shopeePayload,
  tiktokPayload,
  type LazadaProductCreate,
  type PayloadContext,
  type ShopeeAddItem,
  type TiktokProduct,
} from "~/exports/index.server";
import { EXPORT_SITE, EXPORT_TODAY, exportListing, exportPhoto } from "#tests/fixtures/export-listings";
import { PRODUCT_SCHEMAS, productSchemaErrors } from "#tests/fixtures/exports/marketplace-schemas";

const context: PayloadContext = { site: EXPORT_SITE, today: EXPORT_TODAY, categoryMap: {} };
const mapped: PayloadContext = { ...context, categoryMap: { "trai-cay": "100636", "rau-la": "100640" } };

const payloadOf = (target: MarketplaceTarget, item: ExportListing, ctx = context) =>
  MARKETPLACE_FORMATS[target].payload(item, ctx);

const clone = <T>(value: T): T => structuredClone(value);

/** Listings ready for all three targets, in every shape the payloads branch on. */
const READY: Record<string, ExportListing> = {
  "in stock, sold by the kg": exportListing(),
  "sold by the lạng": exportListing({ unit: "lang", priceDong: 12_000 }),
  "by the bunch with a weight": exportListing({ unit: "bo", weightGrams: 250, category: "rau-la" }),
  "a 5 g sachet": exportListing({ unit: "tui", weightGrams: 5, category: "gia-vi" }),
  "pre-order with a harvest date": exportListing({
    preorder: true,
    preorderCapacity: 300,
    stockQty: 0,
    availableFrom: "2027-05-20",
  }),
  "pre-order without a capacity or date": exportListing({ preorder: true, stockQty: 0 }),
  "made to order with a lead time": exportListing({ madeToOrder: true, stockQty: 0, leadTimeDays: 5 }),
  "made to order, no lead time": exportListing({ madeToOrder: true, stockQty: 0 }),
  "sold out": exportListing({ status: "sold_out", stockQty: 0 }),
  "one photo": exportListing({ photos: [exportPhoto(800)] }),
  "twelve photos": exportListing({ photos: Array.from({ length: 12 }, () => exportPhoto()) }),
  "hard text": exportListing({
    title: 'Mắm tôm "Bà Hai", loại\tđặc biệt 🦐 =HYPERLINK("http://x","y")',
    description: "Dòng một, có \"ngoặc kép\" & dấu <b>.\nDòng hai\tcó tab 😀\r\n\r\nĐoạn hai: 1 < 2 > 0 'nháy'.",
  }),
  "the longest description": exportListing({ description: "Vải thiều & nhãn lồng <ngon> ".repeat(400) }),
};

describe.each(MARKETPLACE_TARGETS)("%s payloads", (target) => {
  it.each(Object.entries(READY))("%s: the platform's schema takes it", (_, item) => {
    expect(productSchemaErrors(target, payloadOf(target, item))).toEqual([]);
    expect(productSchemaErrors(target, payloadOf(target, item, mapped))).toEqual([]);
  });

  it("refuses a payload missing any field the schema requires, at every level", () => {
    const payload = payloadOf(target, READY["pre-order with a harvest date"]) as Record<string, unknown>;
    const paths = requiredPaths(PRODUCT_SCHEMAS[target] as Schema, payload);
    expect(paths.length).toBeGreaterThan(5);
    for (const path of paths) {
      const broken = clone(payload);
      deleteAt(broken, path);
      expect(productSchemaErrors(target, broken), `without ${path.join(".")}`).not.toEqual([]);
    }
  });
});

describe("the schemas' required lists hold every field the reference marks required", () => {
  it("TikTok Shop: title, description, category, images, SKUs with price and warehouse stock, package weight", () => {
    const s = PRODUCT_SCHEMAS.tiktok;
    expect(s.required).toEqual(
      expect.arrayContaining(["title", "description", "category_id", "main_images", "skus", "package_weight"]),
    );
    const sku = s.properties.skus.items;
    expect(sku.required).toEqual(expect.arrayContaining(["inventory", "price"]));
    expect(sku.properties.price.required).toEqual(["amount", "currency"]);
    expect(sku.properties.inventory.items.required).toEqual(["warehouse_id", "quantity"]);
    expect(s.properties.package_weight.required).toEqual(["value", "unit"]);
  });

  it("Shopee: name, description, price, stock, leaf category, weight, images, logistics, brand, attributes", () => {
    expect(PRODUCT_SCHEMAS.shopee.required).toEqual(
      expect.arrayContaining([
        "item_name",
        "description",
        "original_price",
        "seller_stock",
        "category_id",
        "weight",
        "image",
        "logistic_info",
        "brand",
        "attribute_list",
      ]),
    );
    expect(PRODUCT_SCHEMAS.shopee.properties.image.required).toEqual(["image_id_list"]);
    expect(PRODUCT_SCHEMAS.shopee.properties.brand.required).toEqual(["brand_id", "original_brand_name"]);
  });

  it("Lazada: PrimaryCategory, name, brand_id, and per SKU SellerSku, price, package weight and sides", () => {
    const product = PRODUCT_SCHEMAS.lazada.properties.Request.properties.Product;
    expect(product.required).toEqual(expect.arrayContaining(["PrimaryCategory", "Attributes", "Skus"]));
    expect(product.properties.Attributes.required).toEqual(expect.arrayContaining(["name", "brand_id"]));
    expect(product.properties.Skus.properties.Sku.items.required).toEqual(
      expect.arrayContaining([
        "SellerSku",
        "price",
        "package_weight",
        "package_length",
        "package_width",
        "package_height",
      ]),
    );
  });
});

describe("negative fixtures: what the platforms refuse, the schemas refuse", () => {
  const tiktokOk = tiktokPayload(READY["in stock, sold by the kg"], context);
  const shopeeOk = shopeePayload(READY["in stock, sold by the kg"], context);
  const lazadaOk = lazadaPayload(READY["in stock, sold by the kg"], context);

  it("the untouched payloads pass (so each refusal below is the change's doing)", () => {
    expect(productSchemaErrors("tiktok", tiktokOk)).toEqual([]);
    expect(productSchemaErrors("shopee", shopeeOk)).toEqual([]);
    expect(productSchemaErrors("lazada", lazadaOk)).toEqual([]);
  });

  const tiktokCases: [string, (p: TiktokProduct) => void][] = [
    ["a title of 24 characters", (p) => void (p.title = "Vải thiều Thanh Hà ngon!")],
    ["a title over 255 characters", (p) => void (p.title = "Vải ".repeat(64) + "ngon")],
    [
      "a price without its currency",
      (p) => void delete (p.skus[0].price as Partial<TiktokProduct["skus"][0]["price"]>).currency,
    ],
    ["a price as a number", (p) => void ((p.skus[0].price as unknown as { amount: number }).amount = 45000)],
    ["an unknown currency", (p) => void ((p.skus[0].price as { currency: string }).currency = "ĐỒNG")],
    ["a seller SKU over 50 characters", (p) => void (p.skus[0].seller_sku = "x".repeat(51))],
    ["no package weight", (p) => void delete (p as Partial<TiktokProduct>).package_weight],
    ["a weight in grams", (p) => void ((p.package_weight as { unit: string }).unit = "GRAM")],
    ["a zero weight", (p) => void (p.package_weight.value = "0")],
    ["no image", (p) => void (p.main_images = [])],
    ["ten images", (p) => void (p.main_images = Array.from({ length: 10 }, () => ({ uri: "abc" })))],
    ["a <script> in the description", (p) => void (p.description = "<p>Ngon</p><script>alert(1)</script>")],
    ["an unescaped & in the description", (p) => void (p.description = "<p>Rau & củ</p>")],
    ["more stock than 999999", (p) => void (p.skus[0].inventory[0].quantity = 1_000_000)],
    ["a misspelt field", (p) => void ((p as unknown as Record<string, unknown>).tittle = "x")],
    ["a malformed placeholder", (p) => void (p.category_id = "<<category>>")],
  ];
  it.each(tiktokCases)("TikTok Shop refuses %s", (_, change) => {
    const p = clone(tiktokOk);
    change(p);
    expect(productSchemaErrors("tiktok", p)).not.toEqual([]);
  });

  const shopeeCases: [string, (p: ShopeeAddItem) => void][] = [
    ["an unknown condition", (p) => void ((p as { condition: string }).condition = "REFURBISHED")],
    ["an unknown item status", (p) => void ((p as { item_status: string }).item_status = "DELETED")],
    ["no weight", (p) => void delete (p as Partial<ShopeeAddItem>).weight],
    ["a weight as text", (p) => void ((p as unknown as { weight: string }).weight = "1 kg")],
    [
      "a price as text with its currency",
      (p) => void ((p as unknown as { original_price: string }).original_price = "45000 VND"),
    ],
    ["a fractional price", (p) => void (p.original_price = 45000.5)],
    ["no logistics channel", (p) => void (p.logistic_info = [])],
    ["a category id with letters", (p) => void (p.category_id = "rau-la")],
    ["ten images", (p) => void (p.image.image_id_list = Array.from({ length: 10 }, (_, i) => `img${i}`))],
    ["a name of 9 characters", (p) => void (p.item_name = "Vải thiều")],
    ["a name of two lines", (p) => void (p.item_name = "Vải thiều Thanh Hà\nloại một")],
    ["a description over 3000 characters", (p) => void (p.description = "a".repeat(3001))],
    ["no brand", (p) => void delete (p as Partial<ShopeeAddItem>).brand],
  ];
  it.each(shopeeCases)("Shopee refuses %s", (_, change) => {
    const p = clone(shopeeOk);
    change(p);
    expect(productSchemaErrors("shopee", p)).not.toEqual([]);
  });

  type LazadaSku = LazadaProductCreate["Request"]["Product"]["Skus"]["Sku"][0];
  const lazadaCases: [string, (p: LazadaProductCreate) => void][] = [
    ["no package weight", (p) => void delete (p.Request.Product.Skus.Sku[0] as Partial<LazadaSku>).package_weight],
    ["a weight with three decimals", (p) => void (p.Request.Product.Skus.Sku[0].package_weight = "0.005")],
    ["a price written the Vietnamese way", (p) => void (p.Request.Product.Skus.Sku[0].price = "45.000")],
    ["a price with its currency", (p) => void (p.Request.Product.Skus.Sku[0].price = "45000 VND")],
    ["no package height", (p) => void delete (p.Request.Product.Skus.Sku[0] as Partial<LazadaSku>).package_height],
    ["no SKU", (p) => void (p.Request.Product.Skus.Sku = [])],
    ["no brand id", (p) => void delete (p.Request.Product.Attributes as { brand_id?: string }).brand_id],
    ["a name over 255 characters", (p) => void (p.Request.Product.Attributes.name = "x".repeat(256))],
    [
      "nine images",
      (p) => void (p.Request.Product.Images.Image = Array.from({ length: 9 }, () => "https://x.example/a.jpg")),
    ],
    ["an image that is not a URL", (p) => void (p.Request.Product.Images.Image = ["anh-bia.jpg"])],
    [
      "an unknown pre-order switch",
      (p) => void ((p.Request.Product.Attributes as { preorder_enable?: string }).preorder_enable = "Maybe"),
    ],
  ];
  it.each(lazadaCases)("Lazada refuses %s", (_, change) => {
    const p = clone(lazadaOk);
    change(p);
    expect(productSchemaErrors("lazada", p)).not.toEqual([]);
  });
});

describe("what the payloads say", () => {
  it("prices in đồng: Shopee a number, Lazada a string, TikTok an amount with its currency", () => {
    const item = exportListing({ priceDong: 125_000 });
    expect(shopeePayload(item, context).original_price).toBe(125_000);
    expect(lazadaPayload(item, context).Request.Product.Skus.Sku[0].price).toBe("125000");
    expect(tiktokPayload(item, context).skus[0].price).toEqual({ amount: "125000", currency: "VND" });
  });

  it("weights in kilograms from the selling unit, or from the weight the farmer gave; never rounded down", () => {
    const kg = (item: ExportListing) => [
      shopeePayload(item, context).weight,
      tiktokPayload(item, context).package_weight,
      lazadaPayload(item, context).Request.Product.Skus.Sku[0].package_weight,
    ];
    expect(kg(READY["in stock, sold by the kg"])).toEqual([1, { value: "1", unit: "KILOGRAM" }, "1"]);
    expect(kg(READY["sold by the lạng"])).toEqual([0.1, { value: "0.1", unit: "KILOGRAM" }, "0.1"]);
    expect(kg(READY["by the bunch with a weight"])).toEqual([0.25, { value: "0.25", unit: "KILOGRAM" }, "0.25"]);
    // Lazada takes two decimals: 5 g is declared as 10 g rather than nothing.
    expect(kg(READY["a 5 g sachet"])).toEqual([0.005, { value: "0.005", unit: "KILOGRAM" }, "0.01"]);
    expect(kg(exportListing({ unit: "yen" }))).toEqual([10, { value: "10", unit: "KILOGRAM" }, "10"]);
  });

  it("package sides in centimetres when the farmer gave them, left out of Shopee and TikTok otherwise", () => {
    const item = exportListing({ packageLengthCm: 40, packageWidthCm: 30, packageHeightCm: 25 });
    expect(shopeePayload(item, context).dimension).toEqual({
      package_length: 40,
      package_width: 30,
      package_height: 25,
    });
    expect(tiktokPayload(item, context).package_dimensions).toEqual({
      length: "40",
      width: "30",
      height: "25",
      unit: "CENTIMETER",
    });
    expect(lazadaPayload(item, context).Request.Product.Skus.Sku[0]).toMatchObject({
      package_length: "40",
      package_width: "30",
      package_height: "25",
    });
    const unsized = exportListing({ packageLengthCm: null, packageWidthCm: null, packageHeightCm: null });
    expect(shopeePayload(unsized, context)).not.toHaveProperty("dimension");
    expect(tiktokPayload(unsized, context)).not.toHaveProperty("package_dimensions");
    expect(productSchemaErrors("shopee", shopeePayload(unsized, context))).toEqual([]);
    expect(productSchemaErrors("tiktok", tiktokPayload(unsized, context))).toEqual([]);
  });

  it("the admin's category id where mapped, else a placeholder naming our category", () => {
    const fruit = READY["in stock, sold by the kg"];
    const spice = READY["a 5 g sachet"];
    expect(shopeePayload(fruit, mapped).category_id).toBe(100636);
    expect(tiktokPayload(fruit, mapped).category_id).toBe("100636");
    expect(lazadaPayload(fruit, mapped).Request.Product.PrimaryCategory).toBe("100636");
    expect(shopeePayload(spice, mapped).category_id).toBe("<<SHOPEE_CATEGORY_ID:gia-vi>>");
    expect(tiktokPayload(spice, mapped).category_id).toBe("<<TIKTOK_CATEGORY_ID:gia-vi>>");
    expect(lazadaPayload(spice, mapped).Request.Product.PrimaryCategory).toBe("<<LAZADA_CATEGORY_ID:gia-vi>>");
  });

  it("photos as named placeholders carrying the photo's widest JPEG, cover first, within each platform's count", () => {
    const item = READY["twelve photos"];
    const url = (i: number) =>
      `${EXPORT_SITE.mediaBaseUrl}/photos/${item.photos[i].hash}/${Math.max(...item.photos[i].widths)}.jpg`;
    const shopee = shopeePayload(item, context).image.image_id_list;
    const tiktok = tiktokPayload(item, context).main_images;
    const lazada = lazadaPayload(item, context).Request.Product.Images.Image;
    expect(shopee).toHaveLength(9);
    expect(tiktok).toHaveLength(9);
    expect(lazada).toHaveLength(8);
    expect(shopee[0]).toBe(`<<SHOPEE_IMAGE_ID:${url(0)}>>`);
    expect(tiktok[8]).toEqual({ uri: `<<TIKTOK_IMAGE_URI:${url(8)}>>` });
    expect(lazada[7]).toBe(`<<LAZADA_IMAGE_URL:${url(7)}>>`);
    expect([...shopee, ...tiktok.map((i) => i.uri), ...lazada].every(isPlaceholder)).toBe(true);
  });

  it("platform ids we cannot know are named placeholders; Shopee's no-brand is its documented 0/NoBrand", () => {
    const item = READY["in stock, sold by the kg"];
    const shopee = shopeePayload(item, context);
    expect(shopee.logistic_info).toEqual([{ logistic_id: "<<SHOPEE_LOGISTIC_ID>>", enabled: true }]);
    expect(shopee.brand).toEqual({ brand_id: 0, original_brand_name: "NoBrand" });
    expect(shopee.attribute_list[0].attribute_id).toBe("<<SHOPEE_ATTRIBUTE_ID>>");
    expect(tiktokPayload(item, context).skus[0].inventory[0].warehouse_id).toBe("<<TIKTOK_WAREHOUSE_ID>>");
    expect(lazadaPayload(item, context).Request.Product.Attributes.brand_id).toBe("<<LAZADA_BRAND_ID:No Brand>>");
  });

  it("our listing id is every platform's SKU (and TikTok's external product id)", () => {
    const item = READY["in stock, sold by the kg"];
    expect(shopeePayload(item, context).item_sku).toBe(item.id);
    expect(tiktokPayload(item, context).skus[0].seller_sku).toBe(item.id);
    expect(tiktokPayload(item, context).external_product_id).toBe(item.id);
    expect(lazadaPayload(item, context).Request.Product.Skus.Sku[0].SellerSku).toBe(item.id);
  });

  it("stock: on hand, pre-order capacity, none when sold out (unlisted, a draft), a placeholder when nothing is counted", () => {
    const stock = (item: ExportListing) => [
      shopeePayload(item, context).seller_stock[0].stock,
      tiktokPayload(item, context).skus[0].inventory[0].quantity,
      lazadaPayload(item, context).Request.Product.Skus.Sku[0].quantity,
    ];
    expect(stock(READY["in stock, sold by the kg"])).toEqual([120, 120, "120"]);
    expect(stock(READY["pre-order with a harvest date"])).toEqual([300, 300, "300"]);
    expect(stock(READY["sold out"])).toEqual([0, 0, "0"]);
    expect(stock(READY["made to order, no lead time"])).toEqual(Array(3).fill("<<STOCK_TO_SET:made_to_order>>"));
    expect(stock(READY["pre-order without a capacity or date"])).toEqual(Array(3).fill("<<STOCK_TO_SET:preorder>>"));
    expect(shopeePayload(READY["sold out"], context).item_status).toBe("UNLIST");
    expect(tiktokPayload(READY["sold out"], context).save_mode).toBe("AS_DRAFT");
    expect(shopeePayload(READY["in stock, sold by the kg"], context).item_status).toBe("NORMAL");
  });

  it("pre-orders and made to order ship later: the days until the harvest or the lead time", () => {
    // 2026-12-07 → 2027-05-20: 164 days.
    const harvest = READY["pre-order with a harvest date"];
    expect(shopeePayload(harvest, context).pre_order).toEqual({ is_pre_order: true, days_to_ship: 164 });
    expect(lazadaPayload(harvest, context).Request.Product.Attributes).toMatchObject({
      preorder_enable: "Yes",
      preorder_days: "164",
    });
    expect(shopeePayload(READY["made to order with a lead time"], context).pre_order?.days_to_ship).toBe(5);
    expect(shopeePayload(READY["made to order, no lead time"], context).pre_order?.days_to_ship).toBe(
      "<<SHOPEE_DAYS_TO_SHIP>>",
    );
    expect(lazadaPayload(READY["made to order, no lead time"], context).Request.Product.Attributes.preorder_days).toBe(
      "<<LAZADA_PREORDER_DAYS>>",
    );
    expect(shopeePayload(READY["in stock, sold by the kg"], context)).not.toHaveProperty("pre_order");
    expect(lazadaPayload(READY["in stock, sold by the kg"], context).Request.Product.Attributes).not.toHaveProperty(
      "preorder_enable",
    );
  });

  it("TikTok's description is <p> and <br> around the farmer's escaped text; Lazada's is the same HTML; Shopee's plain", () => {
    const item = READY["hard text"];
    const html =
      "<p>Dòng một, có &quot;ngoặc kép&quot; &amp; dấu &lt;b&gt;.<br>Dòng hai\tcó tab 😀</p>" +
      "<p>Đoạn hai: 1 &lt; 2 &gt; 0 &#39;nháy&#39;.</p>";
    expect(tiktokPayload(item, context).description).toBe(html);
    expect(lazadaPayload(item, context).Request.Product.Attributes.description).toBe(html);
    expect(shopeePayload(item, context).description).toBe(
      "Dòng một, có \"ngoặc kép\" & dấu <b>.\nDòng hai\tcó tab 😀\n\nĐoạn hai: 1 < 2 > 0 'nháy'.",
    );
  });

  it("titles on one line (a tab or line break is a space), the text otherwise as typed, formula-looking or not", () => {
    const item = READY["hard text"];
    const title = 'Mắm tôm "Bà Hai", loại đặc biệt 🦐 =HYPERLINK("http://x","y")';
    expect(shopeePayload(item, context).item_name).toBe(title);
    expect(tiktokPayload(item, context).title).toBe(title);
    expect(lazadaPayload(item, context).Request.Product.Attributes.name).toBe(title);
  });

  it("descriptions cut at a word within each limit, HTML counted as the platform counts it", () => {
    const item = READY["the longest description"];
    const tiktok = tiktokPayload(item, context).description;
    expect(Array.from(tiktok).length).toBeLessThanOrEqual(10_000);
    expect(Array.from(shopeePayload(item, context).description).length).toBeLessThanOrEqual(3000);
    const shopee = shopeePayload(item, context).description;
    expect(shopee.endsWith("…")).toBe(true);
    const kept = shopee.slice(0, -1);
    expect(item.description.startsWith(kept)).toBe(true);
    // Cut between words, not inside one.
    expect(item.description[kept.length]).toMatch(/\s/);
    expect(tiktok).toMatch(/^<p>Vải thiều &amp; nhãn lồng &lt;ngon&gt; .*…<\/p>$/);
    // Lazada's 25 000 holds it whole.
    expect(lazadaPayload(item, context).Request.Product.Attributes.description).not.toContain("…");
  });
});

// ---------------------------------------------------------------- helpers

type Schema = { type?: string; required?: string[]; properties?: Record<string, Schema>; items?: Schema };

/** Every path to a required member, through required objects and the first element of arrays. */
function requiredPaths(schema: Schema, value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const paths: (string | number)[][] = [];
  if (schema.items && Array.isArray(value) && value.length > 0) {
    paths.push(...requiredPaths(schema.items, value[0], [...prefix, 0]));
  }
  if (schema.properties && value && typeof value === "object" && !Array.isArray(value)) {
    for (const name of schema.required ?? []) {
      paths.push([...prefix, name]);
      const member = (value as Record<string, unknown>)[name];
      if (schema.properties[name]) paths.push(...requiredPaths(schema.properties[name], member, [...prefix, name]));
    }
  }
  return paths;
}

function deleteAt(value: unknown, path: (string | number)[]) {
  let at = value as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  delete at[path.at(-1)!];
}
