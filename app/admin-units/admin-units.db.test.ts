import fs from "node:fs";
import path from "node:path";
import { count, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { adminUnitDatasets, communes, provinces } from "#db/schema";
import { db } from "~/utils/db.server";
import {
  AdminUnitsDataError,
  currentDataset,
  getCommune,
  importAdminUnits,
  listCommunes,
  listProvinces,
  searchCommunes,
  type AdminUnitsData,
} from "./admin-units.server";

const FULL_LIST = path.resolve(process.cwd(), "../shared/data/vn-admin-units/units-2026-07-25.json");
const loadFullList = (): AdminUnitsData => JSON.parse(fs.readFileSync(FULL_LIST, "utf8"));

const countOf = async (table: typeof communes | typeof provinces | typeof adminUnitDatasets) =>
  (await db.select({ n: count() }).from(table))[0].n;
const codes = (rows: { code: string }[]) => rows.map((r) => r.code);

// The tests share one database and run in order: built-in data first, then imports on top.

describe("built-in administrative units (migration)", () => {
  it("holds the 34 provinces and the 114 communes of Hải Phòng, with diacritics", async () => {
    expect(await countOf(provinces)).toBe(34);
    expect(await countOf(communes)).toBe(114);
    const haiPhong = await listCommunes(db, "31");
    expect(haiPhong).toHaveLength(114);

    const thanhHa = await getCommune(db, "10813");
    expect(thanhHa).toMatchObject({
      name: "Thanh Hà",
      fullName: "Xã Thanh Hà",
      provinceCode: "31",
      nameEn: "Thanh Ha",
    });
    expect(thanhHa!.name).toBe(thanhHa!.name.normalize("NFC"));
    expect(await getCommune(db, "10903")).toMatchObject({ fullName: "Xã Cẩm Giàng" });
    expect(await getCommune(db, "10525")).toMatchObject({ fullName: "Phường Hải Dương" });
    expect(await getCommune(db, "99999")).toBeNull();
    expect(await getCommune(db, "10813' OR '1'='1")).toBeNull();
  });

  it("lists provinces in Vietnamese order", async () => {
    const names = (await listProvinces(db)).map((p) => p.name);
    expect(names).toHaveLength(34);
    expect(names).toContain("Hải Phòng");
    expect(names).toEqual([...names].sort(new Intl.Collator("vi").compare));
    // đ sorts after d in Vietnamese (and Đắk Lắk after Đà Nẵng).
    expect(names.indexOf("Đà Nẵng")).toBeGreaterThan(names.findLastIndex((n) => n.startsWith("D")));
  });

  it("records the built-in dataset", async () => {
    expect(await currentDataset(db)).toMatchObject({ version: "builtin-2026-07-25", provinces: 34, communes: 114 });
  });
});

describe("searchCommunes", () => {
  it("ignores case and diacritics", async () => {
    expect(codes(await searchCommunes(db, "31", "thanh ha"))[0]).toBe("10813");
    expect(codes(await searchCommunes(db, "31", "THANH HA"))[0]).toBe("10813");
    expect(codes(await searchCommunes(db, null, "Thanh Hà"))[0]).toBe("10813");
    expect((await searchCommunes(db, null, "thanh ha"))[0]).toMatchObject({
      name: "Thanh Hà",
      provinceName: "Hải Phòng",
    });
    expect(codes(await searchCommunes(db, "31", "kinh mon"))).toContain("10675");
  });

  it("finds both Cẩm Giang and Cẩm Giàng, ranking the exact diacritics first", async () => {
    expect(codes(await searchCommunes(db, "31", "cam giang")).sort()).toEqual(["10888", "10903"]);
    expect(codes(await searchCommunes(db, "31", "Cẩm Giàng"))).toEqual(["10903", "10888"]);
    expect(codes(await searchCommunes(db, "31", "Cẩm Giang"))).toEqual(["10888", "10903"]);
    expect(codes(await searchCommunes(db, "31", "CẨM GIÀNG"))).toEqual(["10903", "10888"]);
    // Decomposed (NFD) input, as some keyboards send it.
    expect(codes(await searchCommunes(db, "31", "Cẩm Giàng".normalize("NFD")))).toEqual(["10903", "10888"]);
  });

  it("accepts the unit type in the query", async () => {
    expect(codes(await searchCommunes(db, "31", "xa thanh ha"))[0]).toBe("10813");
    expect(codes(await searchCommunes(db, "31", "Phường Kinh Môn"))[0]).toBe("10675");
  });

  it("ranks whole-name and prefix matches before substrings, and honours the limit", async () => {
    const ha = await searchCommunes(db, "31", "ha", 5);
    expect(ha).toHaveLength(5);
    const all = await searchCommunes(db, "31", "ha", 100);
    expect(all.length).toBeGreaterThan(5);
    expect(codes(all.slice(0, 5))).toEqual(codes(ha));
  });

  it("filters by province and treats LIKE wildcards literally", async () => {
    expect(await searchCommunes(db, "01", "thanh ha")).toEqual([]);
    expect(await searchCommunes(db, "31", "%")).toEqual([]);
    expect(await searchCommunes(db, "31", "_")).toEqual([]);
    expect(await searchCommunes(db, "31", "   ")).toEqual([]);
    expect(await searchCommunes(db, "not-a-code", "thanh")).toEqual([]);
  });
});

describe("importAdminUnits", () => {
  const options = { version: "2026-07-25", source: "thanglequoc/vietnamese-provinces-database (test)" };

  it("adds the rest of the country on top of the built-in units", async () => {
    const report = await importAdminUnits(db, loadFullList(), options);
    expect(report).toMatchObject({
      version: "2026-07-25",
      provinces: 34,
      communes: 3321,
      added: 3321 - 114,
      changed: 0,
      unchanged: 34 + 114,
      notInFile: 0,
    });
    expect(await countOf(communes)).toBe(3321);
    expect(await currentDataset(db)).toMatchObject({ version: "2026-07-25", communes: 3321, added: 3207, changed: 0 });
    expect(await getCommune(db, "00004")).toMatchObject({ name: "Ba Đình", provinceCode: "01" });
    // Now searchable across the country.
    expect(codes(await searchCommunes(db, null, "ba dinh"))).toContain("00004");
  });

  it("changes nothing when the same list is imported again", async () => {
    const before = await getCommune(db, "10813");
    const report = await importAdminUnits(db, loadFullList(), { ...options, version: "2026-07-25-again" });
    expect(report).toMatchObject({ added: 0, changed: 0, unchanged: 34 + 3321, changes: [] });
    expect(await countOf(communes)).toBe(3321);
    expect((await getCommune(db, "10813"))!.updatedAt).toEqual(before!.updatedAt);
    expect((await currentDataset(db))!.version).toBe("2026-07-25-again");
  });

  it("reports and applies a renamed unit", async () => {
    const data = loadFullList();
    const haiPhong = data.find((p) => p.Code === "31")!;
    const ward = haiPhong.Wards.find((w) => w.Code === "10813")!;
    ward.Name = "Thanh Hà Mới";
    ward.FullName = "Xã Thanh Hà Mới";

    const report = await importAdminUnits(db, data, { ...options, version: "2026-07-25-renamed" });
    expect(report).toMatchObject({ added: 0, changed: 1, unchanged: 34 + 3320 });
    expect(report.changes).toEqual([
      { kind: "commune", code: "10813", before: "Xã Thanh Hà (31)", after: "Xã Thanh Hà Mới (31)" },
    ]);
    expect(await getCommune(db, "10813")).toMatchObject({ name: "Thanh Hà Mới" });
    expect(await currentDataset(db)).toMatchObject({ version: "2026-07-25-renamed", changed: 1, added: 0 });
  });

  it("keeps units the file leaves out (addresses may point at them)", async () => {
    const data = loadFullList().filter((p) => p.Code !== "01");
    const report = await importAdminUnits(db, data, { ...options, version: "without-ha-noi" });
    expect(report.provinces).toBe(33);
    expect(report.notInFile).toBe(1 + (await listCommunes(db, "01")).length);
    expect(await countOf(provinces)).toBe(34);
  });

  describe("rejects malformed input with a clear message and changes nothing", () => {
    const cases: Array<[string, (data: AdminUnitsData) => unknown, RegExp]> = [
      ["not an array", () => ({ provinces: [] }), /must be a JSON array of provinces/],
      ["no provinces", () => [], /holds no provinces/],
      [
        "a numeric code",
        (d) => {
          (d[0].Wards[1] as { Code: unknown }).Code = 8;
          return d;
        },
        /province #1 \(code "01", Hà Nội\), commune #2 \(Ngọc Hà\): Code must be a string of digits like "01", not a number/,
      ],
      [
        "a code with letters",
        (d) => {
          d[26].Code = "3x";
          return d;
        },
        /province #27 \(code "3x", .+\): Code must be a string of digits/,
      ],
      [
        "a missing name",
        (d) => {
          delete (d[0] as Partial<AdminUnitsData[number]>).Name;
          return d;
        },
        /province #1 \(code "01"\): Name is missing/,
      ],
      [
        "an empty name",
        (d) => {
          d[0].Wards[0].FullName = "  ";
          return d;
        },
        /commune #1 \(code "00004", Ba Đình\): FullName must not be empty/,
      ],
      [
        "a control character",
        (d) => {
          d[2].Wards[0].Name = "Bad\u0000Name";
          return d;
        },
        /province #3 \(code "08", Tuyên Quang\), commune #1 \(code "\d+", Bad.Name\): Name must not contain control characters/,
      ],
      [
        "a commune under the wrong province",
        (d) => {
          d[0].Wards[0].ProvinceCode = "31";
          return d;
        },
        /commune #1 \(code "00004", Ba Đình\): ProvinceCode "31" does not match its province "01"/,
      ],
      [
        "a repeated commune code",
        (d) => {
          d[1].Wards[0].Code = "00004";
          return d;
        },
        /code "00004" is also used in province #1/,
      ],
    ];

    it.each(cases)("%s", async (_label, corrupt, message) => {
      const datasets = await countOf(adminUnitDatasets);
      const communeCount = await countOf(communes);
      const thanhHa = await getCommune(db, "10813");
      const data = loadFullList();
      data.find((p) => p.Code === "31")!.Wards.find((w) => w.Code === "10813")!.Name = "Changed Anyway";

      const attempt = importAdminUnits(db, corrupt(data), { ...options, version: "bad" });
      await expect(attempt).rejects.toThrow(AdminUnitsDataError);
      await expect(attempt).rejects.toThrow(message);

      expect(await countOf(adminUnitDatasets)).toBe(datasets);
      expect(await countOf(communes)).toBe(communeCount);
      expect(await getCommune(db, "10813")).toEqual(thanhHa);
    });

    it("rolls back everything when the database refuses part of it", async () => {
      // A trigger stands in for any failure the database may raise halfway through.
      await db.execute(sql`
        CREATE FUNCTION test_refuse_boom() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.name = 'Boom' THEN RAISE EXCEPTION 'refused %', NEW.code; END IF;
          RETURN NEW;
        END $$`);
      await db.execute(sql`
        CREATE TRIGGER test_refuse_boom BEFORE INSERT OR UPDATE ON communes
        FOR EACH ROW EXECUTE FUNCTION test_refuse_boom()`);
      try {
        const data = loadFullList();
        data[0].Name = "Hà Nội Mới";
        data[33].Wards.at(-1)!.Name = "Boom";
        const datasets = await countOf(adminUnitDatasets);
        const error = await importAdminUnits(db, data, { ...options, version: "refused" }).catch((e: Error) => e);
        expect(error).toBeInstanceOf(Error);
        expect(error).not.toBeInstanceOf(AdminUnitsDataError);
        expect(String((error as Error).cause ?? error)).toMatch(/refused/);
        expect((await db.select().from(provinces).where(eq(provinces.code, "01")))[0].name).toBe("Hà Nội");
        expect(await countOf(adminUnitDatasets)).toBe(datasets);
      } finally {
        await db.execute(sql`DROP TRIGGER test_refuse_boom ON communes`);
        await db.execute(sql`DROP FUNCTION test_refuse_boom()`);
      }
    });
  });
});
