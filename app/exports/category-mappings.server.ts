/**
 * Which TikTok Shop, Shopee and Lazada category each of our categories goes
 * to: data an admin keeps on /admin/exports/categories (the marketplaces'
 * category trees are per market and change, so they are not committed with
 * the code as Google's are). The marketplace files put the id in each
 * payload; an unset one stays a named placeholder.
 *
 * A value is the marketplace's leaf category id as its seller centre or API
 * shows it: digits only, at most CATEGORY_ID_MAX_DIGITS. An empty value unsets.
 */
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { exportCategoryMappings } from "#db/schema";
import { CATEGORIES, type CategoryCode, isCategoryCode } from "~/listings";
import type { Database } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { ExportError } from "./errors";
import { MARKETPLACE_TARGETS, type MarketplaceTarget } from "./targets";

/** Marketplace category ids are 64-bit integers at most: 20 digits is room for any of them. */
export const CATEGORY_ID_MAX_DIGITS = 20;
const CATEGORY_ID = new RegExp(`^\\d{1,${CATEGORY_ID_MAX_DIGITS}}$`);

/** Our category → the marketplace's category id, or null when the admin has not set it. */
export type CategoryMap = Record<CategoryCode, string | null>;
export type CategoryMappings = Record<MarketplaceTarget, CategoryMap>;

export function isMarketplaceTarget(value: unknown): value is MarketplaceTarget {
  return typeof value === "string" && (MARKETPLACE_TARGETS as readonly string[]).includes(value);
}

/**
 * What an admin typed as the id kept: white space around it dropped and
 * full-width digits folded (NFKC); "" → null (unset); anything but digits → undefined.
 */
export function categoryIdOf(typed: string): string | null | undefined {
  const value = typed.normalize("NFKC").trim();
  if (value === "") return null;
  return CATEGORY_ID.test(value) ? value : undefined;
}

const emptyMap = (): CategoryMap => Object.fromEntries(CATEGORIES.map((c) => [c, null])) as CategoryMap;

/** Every target's mapping, every category present (null where unset). */
export async function categoryMappings(db: Database): Promise<CategoryMappings> {
  const rows = await db
    .select({
      target: exportCategoryMappings.target,
      category: exportCategoryMappings.category,
      value: exportCategoryMappings.value,
    })
    .from(exportCategoryMappings);
  const mappings = Object.fromEntries(MARKETPLACE_TARGETS.map((t) => [t, emptyMap()])) as CategoryMappings;
  for (const row of rows) {
    // A row of a target or category we no longer have is left alone, not shown.
    if (isMarketplaceTarget(row.target) && isCategoryCode(row.category)) mappings[row.target][row.category] = row.value;
  }
  return mappings;
}

/**
 * Sets `target`'s ids for the categories in `values` (category code → what
 * the admin typed; "" unsets). All or nothing: one value that is not an id,
 * an unknown category or target, and nothing changes (ExportError
 * "invalid_input", the refused fields named by category code). Returns how
 * many categories changed.
 */
export async function saveCategoryMappings(
  db: Database,
  userId: string,
  target: string,
  values: Readonly<Record<string, string>>,
): Promise<{ changed: number }> {
  if (!isMarketplaceTarget(target)) throw new ExportError("invalid_input");
  const wanted = new Map<CategoryCode, string | null>();
  const fields: Record<string, string> = {};
  for (const [category, typed] of Object.entries(values)) {
    const value = categoryIdOf(typed);
    if (!isCategoryCode(category)) fields.form = "errors.invalid_input";
    else if (value === undefined) fields[category] = "errors.categoryId";
    else wanted.set(category, value);
  }
  if (Object.keys(fields).length > 0) {
    const { form, ...byCategory } = fields;
    if (form) throw new ExportError("invalid_input");
    throw new ExportError("invalid_input", { fields: byCategory });
  }

  return db.transaction(async (tx) => {
    const current = new Map(
      (
        await tx
          .select({ category: exportCategoryMappings.category, value: exportCategoryMappings.value })
          .from(exportCategoryMappings)
          .where(eq(exportCategoryMappings.target, target))
      ).map((r) => [r.category, r.value]),
    );
    let changed = 0;
    for (const [category, value] of wanted) {
      if ((current.get(category) ?? null) === value) continue;
      changed += 1;
      if (value === null) {
        await tx
          .delete(exportCategoryMappings)
          .where(and(eq(exportCategoryMappings.target, target), eq(exportCategoryMappings.category, category)));
      } else {
        await tx
          .insert(exportCategoryMappings)
          .values({ target, category, value, updatedByUserId: userId })
          .onConflictDoUpdate({
            target: [exportCategoryMappings.target, exportCategoryMappings.category],
            set: { value, updatedByUserId: userId, updatedAt: new Date() },
          });
      }
    }
    return { changed };
  });
}

// ---------------------------------------------------------------- the admin's form

/** One form per target: `target` and one field per category, named by its code. */
export const CATEGORY_MAPPING_FIELDS = ["target", ...CATEGORIES] as const;

const CategoryMappingFormSchema = z
  .object(Object.fromEntries(CATEGORY_MAPPING_FIELDS.map((name) => [name, z.string()])))
  .transform((form, ctx) => {
    if (!isMarketplaceTarget(form.target)) {
      // Not one of the page's forms: the form as a whole is refused.
      ctx.addIssue({ code: "custom", path: [], message: "errors.invalid_input" });
      return z.NEVER;
    }
    for (const category of CATEGORIES) {
      if (categoryIdOf(form[category]) === undefined) {
        ctx.addIssue({ code: "custom", path: [category], message: "errors.categoryId" });
      }
    }
    const values = Object.fromEntries(CATEGORIES.map((c) => [c, form[c]])) as Record<CategoryCode, string>;
    return { target: form.target, values };
  });

/** The posted mapping of one target (saveCategoryMappings' input), or the fields refused (keys of "exports"). */
export function parseCategoryMappingForm(form: FormData) {
  return parseForm(CategoryMappingFormSchema, form, { fields: CATEGORY_MAPPING_FIELDS });
}
