/**
 * The admin's category mapping as data: every target and category read back
 * (null where unset), values saved all or nothing, an empty value unsets,
 * and who changed a value last is kept.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { exportCategoryMappings } from "#db/schema";
import { createUser } from "#tests/fixtures/factories";
import { CATEGORIES } from "~/listings";
import { db } from "~/utils/db.server";
import { categoryIdOf, categoryMappings, ExportError, saveCategoryMappings } from "./index.server";

const admin = await createUser(db, { role: "admin" });
const otherAdmin = await createUser(db, { role: "admin" });

const rows = () =>
  db
    .select({
      target: exportCategoryMappings.target,
      category: exportCategoryMappings.category,
      value: exportCategoryMappings.value,
      by: exportCategoryMappings.updatedByUserId,
    })
    .from(exportCategoryMappings)
    .orderBy(exportCategoryMappings.target, exportCategoryMappings.category);

async function refusal(promise: Promise<unknown>): Promise<ExportError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ExportError);
  return error as ExportError;
}

describe("what an admin may type as a category id", () => {
  it.each([
    ["100636", "100636"],
    ["  601226 ", "601226"],
    ["１００６３６", "100636"],
    ["12345678901234567890", "12345678901234567890"],
    ["", null],
    ["   ", null],
  ])("%j is kept as %j", (typed, kept) => {
    expect(categoryIdOf(typed)).toBe(kept);
  });

  it.each(["123456789012345678901", "100 636", "10063a", "-1", "1.5", "=1+1", "<<SHOPEE_CATEGORY_ID>>"])(
    "%j is refused",
    (typed) => {
      expect(categoryIdOf(typed)).toBeUndefined();
    },
  );
});

describe("the mapping", () => {
  it("starts empty: every target, every category, null", async () => {
    const mappings = await categoryMappings(db);
    expect(Object.keys(mappings)).toEqual(["tiktok", "shopee", "lazada"]);
    for (const map of Object.values(mappings)) {
      expect(Object.keys(map)).toEqual([...CATEGORIES]);
      expect(Object.values(map).every((v) => v === null)).toBe(true);
    }
  });

  it("saves one target's ids, leaving the other targets alone, and says how many changed", async () => {
    expect(await saveCategoryMappings(db, admin.id, "shopee", { "trai-cay": "100636", "rau-la": " 100640 " })).toEqual({
      changed: 2,
    });
    expect(await saveCategoryMappings(db, admin.id, "lazada", { "trai-cay": "10002019", "rau-la": "" })).toEqual({
      changed: 1,
    });
    const mappings = await categoryMappings(db);
    expect(mappings.shopee).toMatchObject({ "trai-cay": "100636", "rau-la": "100640", thit: null });
    expect(mappings.lazada).toMatchObject({ "trai-cay": "10002019", "rau-la": null });
    expect(Object.values(mappings.tiktok).every((v) => v === null)).toBe(true);
  });

  it("changes only what differs: the same ids again change nothing, and keep who set them", async () => {
    expect(
      await saveCategoryMappings(db, otherAdmin.id, "shopee", { "trai-cay": "100636", "rau-la": "100640" }),
    ).toEqual({ changed: 0 });
    expect((await rows()).filter((r) => r.target === "shopee").map((r) => r.by)).toEqual([admin.id, admin.id]);

    expect(
      await saveCategoryMappings(db, otherAdmin.id, "shopee", { "trai-cay": "100637", "rau-la": "100640" }),
    ).toEqual({ changed: 1 });
    const fruit = (await rows()).find((r) => r.target === "shopee" && r.category === "trai-cay");
    expect(fruit).toMatchObject({ value: "100637", by: otherAdmin.id });
  });

  it("an empty value unsets: the row goes", async () => {
    expect(await saveCategoryMappings(db, admin.id, "shopee", { "rau-la": "" })).toEqual({ changed: 1 });
    expect((await categoryMappings(db)).shopee["rau-la"]).toBeNull();
    expect(await db.select().from(exportCategoryMappings).where(eq(exportCategoryMappings.category, "rau-la"))).toEqual(
      [],
    );
  });

  it("refuses a bad value, naming its category, and changes nothing (not even the good values beside it)", async () => {
    const before = await rows();
    const error = await refusal(
      saveCategoryMappings(db, admin.id, "shopee", { "trai-cay": "999", thit: "12a", "gia-vi": "=1+1" }),
    );
    expect(error.code).toBe("invalid_input");
    expect(error.httpStatus).toBe(400);
    expect(error.fields).toEqual({ thit: "errors.categoryId", "gia-vi": "errors.categoryId" });
    expect(error.textKey).toBe("exports:errors.invalid_input");
    expect(await rows()).toEqual(before);
  });

  it("refuses an unknown target or category, changing nothing", async () => {
    const before = await rows();
    expect((await refusal(saveCategoryMappings(db, admin.id, "google", { "trai-cay": "1" }))).code).toBe(
      "invalid_input",
    );
    expect((await refusal(saveCategoryMappings(db, admin.id, "tiktok", { "do-choi": "1" }))).fields).toEqual({});
    expect(await rows()).toEqual(before);
  });
});
