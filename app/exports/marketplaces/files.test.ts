/**
 * The marketplace files as a person downloads them, read back by other
 * libraries than the writers: the JSON by JSON.parse (and the platform's
 * schema for each item), the XLSX by SheetJS (exceljs wrote it). The hard
 * listings of issue 15 give the right rows or are left out for the right
 * reason; the spreadsheet never holds a formula; and the files stream, a
 * batch at a time.
 */
import type { Readable } from "node:stream";
import XLSX from "xlsx";
import { describe, expect, it } from "vitest";
import { MARKETPLACE_TARGETS, readinessOf, type ExportListing, type MarketplaceTarget } from "~/exports";
import {
  emptyMarketplaceFileStats,
  MARKETPLACE_FORMATS,
  marketplaceSheetHeaders,
  type MarketplaceFileOptions,
  PLACEHOLDER_NAMES,
  streamMarketplaceFile,
} from "~/exports/index.server";
import { asTextForPeople } from "~/utils/csv.server";
import {
  EXPORT_SITE,
  EXPORT_TODAY,
  exportListing,
  exportPhoto,
  inBatches,
  readAll,
} from "#tests/fixtures/export-listings";
import { productSchemaErrors } from "#tests/fixtures/exports/marketplace-schemas";

const FORMULA_TITLE = '=HYPERLINK("http://x","y") Vải thiều Thanh Hà loại một';
const TEXT_TITLE = 'Nhãn lồng "Hưng Yên", quả to, ngọt đậm 🍈';
const TEXT_DESCRIPTION =
  'Nhãn hái sáng, "cùi dày", hạt nhỏ.\nĐóng thùng 10 kg,\tgiao tận nơi 🚚.\n\nĐoạn hai; có dấu phẩy, và =1+1.';

/** The hard cases of issue 15 for these three targets, and where each belongs. */
const HARD = {
  plain: exportListing(),
  formulaTitle: exportListing({ title: FORMULA_TITLE }),
  text: exportListing({ title: TEXT_TITLE, description: TEXT_DESCRIPTION, category: "trai-cay" }),
  noPhoto: exportListing({ photos: [] }),
  photo300: exportListing({ photos: [exportPhoto(300)] }),
  photo250: exportListing({ photos: [exportPhoto(250)] }),
  pieceNoWeight: exportListing({ unit: "qua", weightGrams: null, title: "Bưởi Diễn Thanh Hoá quả to, vỏ mỏng" }),
  pieceWithWeight: exportListing({ unit: "qua", weightGrams: 1200, title: "Bưởi Diễn quả to 1,2 kg, vỏ mỏng" }),
  noPackageSize: exportListing({ packageLengthCm: null, packageWidthCm: null, packageHeightCm: null }),
  shortTitle: exportListing({ title: "Rau muống sạch", category: "rau-la" }),
  cheap: exportListing({ priceDong: 500 }),
  dear: exportListing({ priceDong: 200_000_000 }),
  expiredCertificate: exportListing({
    certifications: [
      {
        type: "vietgap",
        number: "VG-123",
        issuer: "Sở NN&PTNT Hải Dương",
        ocopStars: null,
        validFrom: "2024-01-01",
        validUntil: "2026-06-30",
      },
    ],
  }),
  soldOut: exportListing({ status: "sold_out", stockQty: 0 }),
} satisfies Record<string, ExportListing>;
type Hard = keyof typeof HARD;
const ALL = Object.values(HARD);

/** Which hard cases each target leaves out, and why. */
const LEFT_OUT: Record<MarketplaceTarget, Partial<Record<Hard, string>>> = {
  tiktok: {
    noPhoto: "no_photo",
    photo250: "photo_too_small",
    pieceNoWeight: "no_weight",
    shortTitle: "title_too_short",
    dear: "price_out_of_range",
  },
  shopee: {
    noPhoto: "no_photo",
    pieceNoWeight: "no_weight",
    cheap: "price_out_of_range",
    dear: "price_out_of_range",
  },
  lazada: {
    noPhoto: "no_photo",
    pieceNoWeight: "no_weight",
    noPackageSize: "no_package_size",
    cheap: "price_out_of_range",
  },
};

const readyFor = (target: MarketplaceTarget) =>
  (Object.keys(HARD) as Hard[]).filter((name) => !LEFT_OUT[target][name]).map((name) => HARD[name]);

const options = (target: MarketplaceTarget, kind: "json" | "xlsx", more: Partial<MarketplaceFileOptions> = {}) => ({
  target,
  kind,
  site: EXPORT_SITE,
  today: EXPORT_TODAY,
  categoryMap: { "trai-cay": "100636" },
  generatedAt: new Date("2026-12-07T03:00:00Z"),
  ...more,
});

describe("the hard listings' readiness for these targets", () => {
  it("a TikTok title under 25 characters is refused with a longer one suggested from what the listing says", () => {
    const [problem] = readinessOf(HARD.shortTitle, "tiktok", EXPORT_TODAY);
    expect(problem).toMatchObject({ code: "title_too_short", severity: "error", limit: 25 });
    expect(problem.suggestion).toMatch(/^Rau muống sạch – Vải thiều Bác Thịnh/);
    expect(Array.from(problem.suggestion!).length).toBeGreaterThanOrEqual(25);
    expect(readinessOf(HARD.shortTitle, "shopee", EXPORT_TODAY)).toEqual([]);
  });

  it("an expired certificate is a warning: the listing stays", () => {
    for (const target of MARKETPLACE_TARGETS) {
      expect(readinessOf(HARD.expiredCertificate, target, EXPORT_TODAY)).toEqual([
        { code: "certificate_expired", severity: "warning", field: "certifications" },
      ]);
    }
  });
});

describe.each(MARKETPLACE_TARGETS)("%s JSON file", (target) => {
  it("is one document: the ready listings' payloads in order, the placeholders explained, what was left out counted", async () => {
    const stats = emptyMarketplaceFileStats();
    const text = (await readAll(streamMarketplaceFile(inBatches(ALL, 4), options(target, "json"), stats))).toString(
      "utf8",
    );
    const file = JSON.parse(text) as {
      target: string;
      api: string;
      generatedAt: string;
      notes: string;
      placeholders: Record<string, string>;
      items: unknown[];
      written: number;
      left: number;
      skipped: Record<string, number>;
    };
    expect(file).toMatchObject({ target, generatedAt: "2026-12-07T03:00:00.000Z" });
    expect(file.notes).toContain("<<TÊN>>");
    const ready = readyFor(target);
    expect(file.items).toHaveLength(ready.length);
    expect(file.items.map(skuOf(target))).toEqual(ready.map((item) => item.id));
    for (const item of file.items) expect(productSchemaErrors(target, item)).toEqual([]);

    // Every placeholder the items hold is explained, and only those of this target.
    const used = new Set([...JSON.stringify(file.items).matchAll(/<<([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]));
    expect(used.size).toBeGreaterThanOrEqual(3);
    for (const name of used) expect(file.placeholders[`<<${name}>>`], name).toBeTruthy();
    expect(Object.keys(file.placeholders)).toEqual(PLACEHOLDER_NAMES[target].map((n) => `<<${n}>>`));

    const left = Object.values(LEFT_OUT[target]);
    const expected: Record<string, number> = {};
    for (const code of left) expected[code] = (expected[code] ?? 0) + 1;
    expect(file.skipped).toEqual(expected);
    expect({ written: file.written, left: file.left }).toEqual({ written: ready.length, left: left.length });
    expect(stats).toEqual({ written: ready.length, left: left.length, skipped: expected });
  });

  it("keeps a formula-looking title as it is (the payload is for a program), text round-tripping exactly", async () => {
    const file = JSON.parse(
      (
        await readAll(streamMarketplaceFile(inBatches([HARD.formulaTitle, HARD.text]), options(target, "json")))
      ).toString(),
    ) as { items: unknown[] };
    const titles = file.items.map(titleOf(target));
    expect(titles).toEqual([FORMULA_TITLE, TEXT_TITLE]);
  });

  it("is an empty list, still one document, when nothing is ready", async () => {
    const file = JSON.parse(
      (
        await readAll(streamMarketplaceFile(inBatches([HARD.noPhoto, HARD.pieceNoWeight]), options(target, "json")))
      ).toString(),
    ) as { items: unknown[]; left: number };
    expect(file).toMatchObject({ items: [], left: 2 });
  });
});

describe.each(MARKETPLACE_TARGETS)("%s spreadsheet, read back by SheetJS", (target) => {
  it("has our fields under the target's names, one row per ready listing, typed and neutralised, and a guide", async () => {
    const stats = emptyMarketplaceFileStats();
    const workbook = XLSX.read(
      await readAll(streamMarketplaceFile(inBatches(ALL, 4), options(target, "xlsx"), stats)),
      {
        type: "buffer",
        cellFormula: true,
      },
    );
    expect(workbook.SheetNames).toEqual(["Sản phẩm", "Hướng dẫn"]);
    const sheet = workbook.Sheets["Sản phẩm"];
    const rows = XLSX.utils.sheet_to_json<unknown[]>(sheet, { header: 1, defval: null });
    const headers = marketplaceSheetHeaders(target);
    expect(rows[0]).toEqual(headers);
    const ready = readyFor(target);
    expect(rows).toHaveLength(1 + ready.length);
    expect(rows.slice(1).map((r) => r[0])).toEqual(ready.map((item) => item.id));
    expect(stats.written).toBe(ready.length);

    // Nothing in the file is a formula, anywhere.
    for (const name of workbook.SheetNames) {
      for (const [address, cell] of Object.entries(workbook.Sheets[name])) {
        if (!address.startsWith("!")) expect((cell as XLSX.CellObject).f, `${name}!${address}`).toBeUndefined();
      }
    }

    const column = (key: string) => headers.indexOf(headerOf(target, key));
    const rowOf = (item: ExportListing) => rows.find((r) => r[0] === item.id)!;
    const cellOf = (item: ExportListing, key: string) =>
      sheet[XLSX.utils.encode_cell({ r: rows.indexOf(rowOf(item)), c: column(key) })] as XLSX.CellObject;

    // The formula-looking title comes back as text, neutralised as every file for people does it.
    const title = cellOf(HARD.formulaTitle, "title");
    expect(title.t).toBe("s");
    expect(title.v).toBe(asTextForPeople(FORMULA_TITLE));
    expect(title.v).toBe(`'${FORMULA_TITLE}`);

    // Vietnamese, emoji, quotes, commas, tabs and line breaks come back as typed.
    expect(cellOf(HARD.text, "title").v).toBe(TEXT_TITLE);
    expect(cellOf(HARD.text, "description").v).toBe(TEXT_DESCRIPTION);

    // Numbers are numbers.
    expect(cellOf(HARD.plain, "price")).toMatchObject({ t: "n", v: 45_000 });
    expect(cellOf(HARD.plain, "weight")).toMatchObject({ t: "n", v: 1 });
    expect(cellOf(HARD.plain, "stock")).toMatchObject({ t: "n", v: 120 });
    expect(cellOf(HARD.plain, "category")).toMatchObject({ t: "n", v: 100636 });
    expect(cellOf(HARD.soldOut, "stock")).toMatchObject({ t: "n", v: 0 });
    if (target !== "lazada") expect(cellOf(HARD.noPackageSize, "length")).toBeUndefined();
    else expect(cellOf(HARD.plain, "length")).toMatchObject({ t: "n", v: 30 });

    // Photos as the URLs to upload; our category, product page and warnings in our columns.
    const cover = HARD.plain.photos[0];
    expect(cellOf(HARD.plain, "image1").v).toBe(`${EXPORT_SITE.mediaBaseUrl}/photos/${cover.hash}/1600.jpg`);
    expect(cellOf(HARD.plain, "ourCategory").v).toBe("Trái cây");
    expect(cellOf(HARD.plain, "productUrl").v).toBe(
      `${EXPORT_SITE.origin}/s/${HARD.plain.stall.slug}/${HARD.plain.slug}`,
    );
    expect(cellOf(HARD.expiredCertificate, "warnings").v).toBe("Có chứng nhận đã hết hạn");
    expect(cellOf(HARD.plain, "warnings")).toBeUndefined();

    const guide = XLSX.utils.sheet_to_json<unknown[]>(workbook.Sheets["Hướng dẫn"], { header: 1, defval: null });
    const firstColumn = guide.map((r) => r[0]);
    for (const name of PLACEHOLDER_NAMES[target]) expect(firstColumn).toContain(`<<${name}>>`);
    expect(guide).toContainEqual(["Sản phẩm trong tệp", ready.length]);
    expect(guide).toContainEqual(["Sản phẩm chưa sẵn sàng, không có trong tệp", Object.keys(LEFT_OUT[target]).length]);
    expect(guide).toContainEqual(["Chưa có cân nặng của mỗi đơn vị bán", 1]);
  });

  it("speaks English to an English reader, the API's field names still in brackets", async () => {
    const workbook = XLSX.read(
      await readAll(streamMarketplaceFile(inBatches([HARD.plain]), options(target, "xlsx", { lng: "en" }))),
      { type: "buffer" },
    );
    expect(workbook.SheetNames).toEqual(["Products", "Guide"]);
    const [headers] = XLSX.utils.sheet_to_json<string[]>(workbook.Sheets.Products, { header: 1 });
    expect(headers).toEqual(marketplaceSheetHeaders(target, "en"));
    expect(headers.at(-3)).toBe("Category on Gian Hàng Số");
  });
});

it("the Shopee sheet's headings are the seller centre's words with the API's field in brackets", () => {
  expect(marketplaceSheetHeaders("shopee")).toEqual([
    "SKU sản phẩm (item_sku)",
    "Tên sản phẩm (item_name)",
    "Mô tả sản phẩm (description)",
    "Ngành hàng (category_id)",
    "Giá, đồng (original_price)",
    "Kho hàng (seller_stock)",
    "Cân nặng, kg (weight)",
    "Chiều dài, cm (package_length)",
    "Chiều rộng, cm (package_width)",
    "Chiều cao, cm (package_height)",
    "Hàng đặt trước: số ngày chuẩn bị (days_to_ship)",
    "Ảnh bìa (image_id_list)",
    ...[2, 3, 4, 5, 6, 7, 8, 9].map((n) => `Hình ảnh sản phẩm ${n} (image_id_list)`),
    "Danh mục trên Gian Hàng Số",
    "Trang sản phẩm",
    "Lưu ý",
  ]);
});

describe("streaming, a batch at a time", () => {
  const SIZE = 500;
  const TOTAL = 20_000;
  const template = exportListing();

  /** TOTAL listings in batches, telling how many batches were taken and whether it was closed. */
  function generated() {
    const state = { pulled: 0, finished: false, closed: false };
    async function* batches(): AsyncGenerator<ExportListing[]> {
      try {
        for (let start = 0; start < TOTAL; start += SIZE) {
          state.pulled += 1;
          yield Array.from({ length: SIZE }, (_, i) => ({
            ...template,
            id: `00000000-0000-4000-8000-${String(start + i).padStart(12, "0")}`,
            title: `Vải thiều Thanh Hà số ${start + i}, loại một`,
          }));
        }
        state.finished = true;
      } finally {
        state.closed = true;
      }
    }
    return { state, batches: batches() };
  }

  const turns = async (n: number) => {
    for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
  };

  it("writes 20,000 rows to the spreadsheet as they come: bytes flow long before the last batch", async () => {
    const { state, batches } = generated();
    const file = streamMarketplaceFile(batches, options("shopee", "xlsx"));
    const chunks: Buffer[] = [];
    let bytes = 0;
    let firstChunkAt: number | null = null;
    let bytesWhenFinished: number | null = null;
    for await (const chunk of file as AsyncIterable<Buffer>) {
      firstChunkAt ??= state.pulled;
      if (state.finished && bytesWhenFinished === null) bytesWhenFinished = bytes;
      bytes += chunk.length;
      chunks.push(chunk);
    }
    expect(firstChunkAt).toBeLessThan(TOTAL / SIZE / 4);
    // When the last batch was taken, most of the file had already been read: nothing waited for the end.
    expect(bytesWhenFinished!).toBeGreaterThan(bytes / 2);

    const workbook = XLSX.read(Buffer.concat(chunks), { type: "buffer", dense: true });
    expect(workbook.Sheets["Sản phẩm"]["!ref"]).toBe("A1:W20001");
  });

  it("stops taking batches while nobody reads, and closes them when the reader goes away", async () => {
    for (const kind of ["xlsx", "json"] as const) {
      const { state, batches } = generated();
      const reader = (streamMarketplaceFile(batches, options("lazada", kind)) as Readable)[Symbol.asyncIterator]();
      expect((await reader.next()).done).toBe(false);
      // However long the reader waits, the writer holds about one batch, not the 40.
      await turns(200);
      expect(state.pulled, kind).toBeLessThanOrEqual(4);
      await reader.return!();
      await turns(20);
      expect(state, kind).toMatchObject({ finished: false, closed: true });
    }
  });
});

it("a reader of batches that fails makes the file fail, not end as if complete", async () => {
  async function* failing(): AsyncGenerator<ExportListing[]> {
    yield [exportListing()];
    throw new Error("database went away");
  }
  for (const kind of ["json", "xlsx"] as const) {
    await expect(readAll(streamMarketplaceFile(failing(), options("shopee", kind))), kind).rejects.toThrow(
      "database went away",
    );
  }
});

// ---------------------------------------------------------------- helpers

function skuOf(target: MarketplaceTarget) {
  return (payload: unknown): string => {
    const p = payload as Record<string, never>;
    if (target === "shopee") return p.item_sku;
    if (target === "tiktok") return (p.skus as { seller_sku: string }[])[0].seller_sku;
    return (p.Request as { Product: { Skus: { Sku: { SellerSku: string }[] } } }).Product.Skus.Sku[0].SellerSku;
  };
}

function titleOf(target: MarketplaceTarget) {
  return (payload: unknown): string => {
    const p = payload as Record<string, never>;
    if (target === "shopee") return p.item_name;
    if (target === "tiktok") return p.title;
    return (p.Request as { Product: { Attributes: { name: string } } }).Product.Attributes.name;
  };
}

/** The heading of one of our facts in `target`'s sheet. */
function headerOf(target: MarketplaceTarget, fact: string): string {
  const keys: Record<string, Record<MarketplaceTarget, string>> = {
    title: { shopee: "item_name", tiktok: "title", lazada: "name" },
    description: { shopee: "description", tiktok: "description", lazada: "description" },
    price: { shopee: "original_price", tiktok: "price", lazada: "price" },
    weight: { shopee: "weight", tiktok: "package_weight", lazada: "package_weight" },
    stock: { shopee: "stock", tiktok: "quantity", lazada: "quantity" },
    category: { shopee: "category_id", tiktok: "category_id", lazada: "PrimaryCategory" },
    length: { shopee: "package_length", tiktok: "package_length", lazada: "package_length" },
  };
  const headers = marketplaceSheetHeaders(target);
  const all = [...MARKETPLACE_FORMATS[target].columns, "ourCategory", "productUrl", "warnings"];
  const key = keys[fact]?.[target] ?? fact;
  return headers[all.indexOf(key)];
}
