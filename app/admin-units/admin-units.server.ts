/**
 * Vietnam's administrative units since 1 July 2025: 34 provinces/cities and
 * their communes, wards and special zones (no districts). Addresses point at a
 * commune code; codes are zero-padded digit strings and the only stable key
 * (names and CodeName slugs repeat).
 */
import { and, asc, desc, eq, getTableColumns, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "#db/client";
import { adminUnitDatasets, communes, provinces, type Commune, type Province } from "#db/schema";
import { foldVietnamese, oneLine } from "../utils/text";

export type AdminUnitDataset = typeof adminUnitDatasets.$inferSelect;
export type CommuneMatch = Commune & { provinceName: string };

const collator = new Intl.Collator("vi");
const byName = (a: { name: string; code: string }, b: { name: string; code: string }) =>
  collator.compare(a.name, b.name) || a.code.localeCompare(b.code);

const isCode = (code: string) => /^\d{1,10}$/.test(code);

// ---------------------------------------------------------------- reading

export async function listProvinces(db: Database): Promise<Province[]> {
  const rows = await db.select().from(provinces);
  return rows.sort(byName);
}

export async function getProvince(db: Database, code: string): Promise<Province | null> {
  if (!isCode(code)) return null;
  const [row] = await db.select().from(provinces).where(eq(provinces.code, code));
  return row ?? null;
}

export async function listCommunes(db: Database, provinceCode: string): Promise<Commune[]> {
  if (!isCode(provinceCode)) return [];
  const rows = await db.select().from(communes).where(eq(communes.provinceCode, provinceCode));
  return rows.sort(byName);
}

export async function getCommune(db: Database, code: string): Promise<Commune | null> {
  if (!isCode(code)) return null;
  const [row] = await db.select().from(communes).where(eq(communes.code, code));
  return row ?? null;
}

/** The dataset most recently loaded (the built-in subset until someone imports a full list). */
export async function currentDataset(db: Database): Promise<AdminUnitDataset | null> {
  const [row] = await db.select().from(adminUnitDatasets).orderBy(desc(adminUnitDatasets.id)).limit(1);
  return row ?? null;
}

// ---------------------------------------------------------------- search

const escapeLike = (s: string) => s.replace(/[\\%_]/g, "\\$&");
const foldedName = sql`lower(f_unaccent(${communes.name}))`;

/** People often type the unit type too ("xa thanh ha", "Phường Kinh Môn"); names never contain it. */
const UNIT_TYPES = ["xa", "phuong", "dac khu"];

/**
 * Communes whose name contains the query, ignoring case and diacritics
 * ("cam giang" finds both Cẩm Giang and Cẩm Giàng). Names that contain the
 * query exactly as typed come first, so "Cẩm Giàng" ranks Cẩm Giàng above
 * Cẩm Giang; then whole-name and prefix matches; then the name without diacritics.
 */
export async function searchCommunes(
  db: Database,
  provinceCode: string | null,
  query: string,
  limit = 20,
): Promise<CommuneMatch[]> {
  const q = oneLine(query).slice(0, 100);
  if (!q || (provinceCode !== null && !isCode(provinceCode))) return [];
  const take = Math.min(Math.max(Math.trunc(limit) || 1, 1), 100);

  const contains = (text: string) => sql`${foldedName} LIKE lower(f_unaccent(${`%${escapeLike(text)}%`}))`;
  const folded = foldVietnamese(q);
  const type = UNIT_TYPES.find((t) => folded.startsWith(`${t} `) && folded.length > t.length + 1);
  const bare = type ? q.split(" ").slice(type.split(" ").length).join(" ") : q;
  const match = type
    ? or(contains(q), and(contains(bare), sql`lower(f_unaccent(${communes.fullName})) LIKE ${`${type} %`}`))
    : contains(q);

  // 0 sorts first. Ties go by the folded name, which both engines order the same
  // whatever their collation, so a smaller limit always returns a prefix of a larger one.
  const exact = sql`CASE WHEN lower(${communes.name}) LIKE lower(${`%${escapeLike(bare)}%`}) THEN 0 ELSE 1 END`;
  const whole = sql`CASE WHEN ${foldedName} = lower(f_unaccent(${bare})) THEN 0 ELSE 1 END`;
  const prefix = sql`CASE WHEN ${foldedName} LIKE lower(f_unaccent(${`${escapeLike(bare)}%`})) THEN 0 ELSE 1 END`;

  return db
    .select({ ...getTableColumns(communes), provinceName: provinces.name })
    .from(communes)
    .innerJoin(provinces, eq(provinces.code, communes.provinceCode))
    .where(and(provinceCode === null ? undefined : eq(communes.provinceCode, provinceCode), match))
    .orderBy(
      exact,
      whole,
      prefix,
      sql`${foldedName} COLLATE "C"`,
      sql`${communes.name} COLLATE "C"`,
      asc(communes.code),
    )
    .limit(take);
}

// ---------------------------------------------------------------- import

const missing = (expected: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? "is missing" : expected;
const code = z
  .string({
    error: (issue) =>
      issue.input === undefined
        ? "is missing"
        : typeof issue.input === "number"
          ? 'must be a string of digits like "01", not a number (numbers lose their leading zeros)'
          : 'must be a string of digits, like "01"',
  })
  .regex(/^\d{1,10}$/, 'must be a string of digits, like "01"');
const text = z
  .string({ error: missing("must be a string") })
  .transform((s) => s.normalize("NFC").trim())
  .pipe(
    z
      .string()
      .min(1, "must not be empty")
      .max(200, "is too long (over 200 characters)")
      .refine((s) => !/\p{Cc}/u.test(s), "must not contain control characters"),
  );

const WardSchema = z.object({
  Code: code,
  Name: text,
  NameEn: text,
  FullName: text,
  FullNameEn: text,
  CodeName: text,
  ProvinceCode: code.optional(),
});
const ProvinceSchema = z.object({
  Code: code,
  Name: text,
  NameEn: text,
  FullName: text,
  FullNameEn: text,
  CodeName: text,
  Wards: z.array(WardSchema, { error: missing("must be an array of communes") }),
});
const DatasetSchema = z
  .array(ProvinceSchema, { error: "must be a JSON array of provinces, each with its Wards" })
  .min(1, "holds no provinces");

export type AdminUnitsData = z.infer<typeof DatasetSchema>;

export class AdminUnitsDataError extends Error {
  constructor(readonly issues: string[]) {
    const shown = issues.slice(0, 10).map((i) => `  - ${i}`);
    if (issues.length > 10) shown.push(`  … and ${issues.length - 10} more`);
    super(`Invalid administrative-unit data:\n${shown.join("\n")}`);
    this.name = "AdminUnitsDataError";
  }
}

function describeEntry(entry: unknown, index: number, kind: string) {
  const e = (entry ?? {}) as Record<string, unknown>;
  const bits = [typeof e.Code === "string" ? `code "${e.Code}"` : null, typeof e.Name === "string" ? e.Name : null];
  const known = bits.filter(Boolean).join(", ");
  return `${kind} #${index + 1}${known ? ` (${known})` : ""}`;
}

/** E.g. `province #12 (code "31", Hải Phòng), commune #4 (Cẩm Giang): Code must be …`. */
function describeIssue(data: unknown, path: PropertyKey[], message: string) {
  const where: string[] = [];
  let field = path;
  if (typeof path[0] === "number") {
    const province = (data as unknown[])[path[0]];
    where.push(describeEntry(province, path[0], "province"));
    field = path.slice(1);
    if (field[0] === "Wards" && typeof field[1] === "number") {
      const wards = (province as { Wards?: unknown[] }).Wards;
      where.push(describeEntry(wards?.[field[1]], field[1], "commune"));
      field = field.slice(2);
    }
  }
  const name = field.map(String).join(".");
  return `${where.length ? `${where.join(", ")}: ` : "the file "}${name ? `${name} ` : ""}${message}`;
}

/** Checks the shape of a units file (thanglequoc simplified JSON) and normalises its text to NFC. */
export function parseAdminUnits(data: unknown): AdminUnitsData {
  const result = DatasetSchema.safeParse(data);
  if (!result.success) {
    throw new AdminUnitsDataError(result.error.issues.map((i) => describeIssue(data, i.path, i.message)));
  }
  const issues: string[] = [];
  const seenProvince = new Map<string, number>();
  const seenCommune = new Map<string, string>();
  result.data.forEach((p, pi) => {
    const label = describeEntry(p, pi, "province");
    if (seenProvince.has(p.Code))
      issues.push(`${label}: code "${p.Code}" repeats province #${seenProvince.get(p.Code)! + 1}`);
    seenProvince.set(p.Code, pi);
    p.Wards.forEach((w, wi) => {
      const where = `${label}, ${describeEntry(w, wi, "commune")}`;
      if (w.ProvinceCode !== undefined && w.ProvinceCode !== p.Code) {
        issues.push(`${where}: ProvinceCode "${w.ProvinceCode}" does not match its province "${p.Code}"`);
      }
      const earlier = seenCommune.get(w.Code);
      if (earlier) issues.push(`${where}: code "${w.Code}" is also used in ${earlier}`);
      else seenCommune.set(w.Code, where);
    });
  });
  if (issues.length) throw new AdminUnitsDataError(issues);
  return result.data;
}

export interface ImportReport {
  version: string;
  /** Units in the file. */
  provinces: number;
  communes: number;
  /** Provinces and communes together. */
  added: number;
  changed: number;
  unchanged: number;
  /** Units in the database that the file leaves out; kept, because addresses may point at them. */
  notInFile: number;
  changes: Array<{ kind: "province" | "commune"; code: string; before: string; after: string }>;
}

const FIELDS = ["name", "nameEn", "fullName", "fullNameEn", "codeName"] as const;
type UnitRow = Pick<Commune, (typeof FIELDS)[number] | "code"> & { provinceCode?: string };

function diff<T extends UnitRow>(incoming: T[], existing: T[], kind: "province" | "commune", report: ImportReport) {
  const before = new Map(existing.map((r) => [r.code, r]));
  const write: T[] = [];
  for (const row of incoming) {
    const old = before.get(row.code);
    if (!old) {
      report.added++;
      write.push(row);
    } else if (FIELDS.some((f) => old[f] !== row[f]) || old.provinceCode !== row.provinceCode) {
      report.changed++;
      const show = (r: T) => `${r.fullName}${r.provinceCode ? ` (${r.provinceCode})` : ""}`;
      report.changes.push({ kind, code: row.code, before: show(old), after: show(row) });
      write.push(row);
    } else {
      report.unchanged++;
    }
  }
  const codes = new Set(incoming.map((r) => r.code));
  report.notInFile += existing.filter((r) => !codes.has(r.code)).length;
  return write;
}

const CHUNK = 500;
const chunks = <T>(rows: T[]) =>
  Array.from({ length: Math.ceil(rows.length / CHUNK) }, (_, i) => rows.slice(i * CHUNK, (i + 1) * CHUNK));

const upsertSet = {
  name: sql`excluded.name`,
  nameEn: sql`excluded.name_en`,
  fullName: sql`excluded.full_name`,
  fullNameEn: sql`excluded.full_name_en`,
  codeName: sql`excluded.code_name`,
  updatedAt: sql`now()`,
};

/**
 * Loads a complete units list (e.g. a newer release of the thanglequoc dataset):
 * adds new units, updates renamed or moved ones, leaves the rest untouched, and
 * records the dataset version. All or nothing; running it again changes nothing.
 */
export async function importAdminUnits(
  db: Database,
  data: unknown,
  options: { version: string; source: string },
): Promise<ImportReport> {
  const parsed = parseAdminUnits(data);
  const version = options.version.trim();
  if (!version) throw new AdminUnitsDataError(["the dataset version must not be empty"]);

  const unit = (u: AdminUnitsData[number] | AdminUnitsData[number]["Wards"][number]) => ({
    code: u.Code,
    name: u.Name,
    nameEn: u.NameEn,
    fullName: u.FullName,
    fullNameEn: u.FullNameEn,
    codeName: u.CodeName,
  });
  const incomingProvinces = parsed.map(unit);
  const incomingCommunes = parsed.flatMap((p) => p.Wards.map((w) => ({ ...unit(w), provinceCode: p.Code })));

  return db.transaction(async (tx) => {
    // Two imports at once would each count the other's rows as theirs.
    await tx.execute(sql`LOCK TABLE ${provinces}, ${communes} IN SHARE ROW EXCLUSIVE MODE`);
    const report: ImportReport = {
      version,
      provinces: incomingProvinces.length,
      communes: incomingCommunes.length,
      added: 0,
      changed: 0,
      unchanged: 0,
      notInFile: 0,
      changes: [],
    };
    const provinceCols = { code: provinces.code, ...pick(provinces) };
    const communeCols = { code: communes.code, provinceCode: communes.provinceCode, ...pick(communes) };
    const writeProvinces = diff(incomingProvinces, await tx.select(provinceCols).from(provinces), "province", report);
    const writeCommunes = diff(incomingCommunes, await tx.select(communeCols).from(communes), "commune", report);

    for (const rows of chunks(writeProvinces)) {
      await tx.insert(provinces).values(rows).onConflictDoUpdate({ target: provinces.code, set: upsertSet });
    }
    for (const rows of chunks(writeCommunes)) {
      await tx
        .insert(communes)
        .values(rows)
        .onConflictDoUpdate({
          target: communes.code,
          set: { ...upsertSet, provinceCode: sql`excluded.province_code` },
        });
    }
    await tx.insert(adminUnitDatasets).values({
      version,
      source: options.source,
      provinces: report.provinces,
      communes: report.communes,
      added: report.added,
      changed: report.changed,
    });
    return report;
  });
}

function pick(table: typeof provinces | typeof communes) {
  return {
    name: table.name,
    nameEn: table.nameEn,
    fullName: table.fullName,
    fullNameEn: table.fullNameEn,
    codeName: table.codeName,
  };
}
