/**
 * The preview of a roster (ADR 028): every row checked against the officer's
 * communes and the households we already know, nothing saved.
 *
 * Communes. The officer imports for the communes they cover. A row's commune
 * is matched, in this order: the name as written (diacritics kept, "Xã"/
 * "Phường" dropped) among the covered communes; an alias the officer's team
 * mapped before (commune_aliases: the folded name and old district); the
 * folded name among the covered communes when it names one only (Cẩm Giang
 * and Cẩm Giàng fold alike). A name that is a commune of the same province
 * the officer does not cover is "not yours"; any other name is unknown —
 * rosters predate the July 2025 merger — and the officer maps it once, from
 * their communes ranked by likeness to the name and the old district.
 */
import { and, eq, inArray } from "drizzle-orm";
import { communeAliases, communes, officerCommunes, rosterEntries, users } from "#db/schema";
import type { RosterRow } from "./read.server";
import type { Database } from "~/utils/db.server";
import { parseVietnameseMobile, type PhoneProblem } from "~/utils/phone";
import { foldVietnamese } from "~/utils/text";

export const NAME_MAX = 100;
export const HAMLET_MAX = 200;

export type RowError =
  | "missing_name"
  | "name_too_long"
  | "missing_phone"
  /** Not a Vietnamese mobile (`phoneProblem` says how). */
  | "bad_phone"
  | "missing_commune"
  /** A name no commune of the officer's provinces has, and not mapped yet. */
  | "unknown_commune"
  /** A commune the officer does not cover. */
  | "commune_not_covered"
  /** The phone is on an earlier row of the file (`firstLine`). */
  | "duplicate_in_file"
  /** The phone has an account already. */
  | "already_registered"
  /** The phone is on a roster already (an earlier import). */
  | "already_on_roster";

export interface CheckedRow extends RosterRow {
  e164: string | null;
  communeCode: string | null;
  /** The key of its unknown commune (`UnknownCommune.key`). */
  unknownKey?: string;
  errors: RowError[];
  phoneProblem?: PhoneProblem;
  firstLine?: number;
}

export interface CommuneChoice {
  code: string;
  fullName: string;
}

export interface UnknownCommune {
  /** `${nameKey}|${districtKey}`: what a mapping is stored under. */
  key: string;
  nameKey: string;
  districtKey: string;
  /** As written in the first row that has it. */
  name: string;
  district: string;
  rows: number;
  /** The officer's communes, most alike first. */
  suggestions: CommuneChoice[];
}

export interface RosterCheck {
  rows: CheckedRow[];
  unknown: UnknownCommune[];
  ready: number;
  withErrors: number;
}

const COMMUNE_PREFIX = /^(xã|phường|thị trấn|đặc khu|tt\.?|p\.|x\.)\s*/iu;
const FOLDED_COMMUNE_PREFIX = /^(xa|phuong|thi tran|dac khu|tt\.?|p\.|x\.)\s+/;
const FOLDED_DISTRICT_PREFIX = /^(huyen|quan|thi xa|thanh pho|tp\.?|tx\.?|h\.|q\.)\s+/;

const squeeze = (s: string) => s.normalize("NFC").toLowerCase().replace(/\s+/g, " ").trim();
/** "Xã  Cẩm Giàng" → "cẩm giàng": the name as written, without its kind. */
const plainName = (s: string) => squeeze(s).replace(COMMUNE_PREFIX, "");
/** "Xã Cẩm Giàng", "xa cam giang" → "cam giang": what aliases are stored under. */
export const communeKey = (s: string) => foldVietnamese(squeeze(s)).replace(FOLDED_COMMUNE_PREFIX, "").trim();
/** "Huyện Thanh Hà" → "thanh ha". */
export const districtKey = (s: string) => foldVietnamese(squeeze(s)).replace(FOLDED_DISTRICT_PREFIX, "").trim();

function bigrams(s: string): string[] {
  const t = ` ${s} `;
  return Array.from({ length: Math.max(0, t.length - 1) }, (_, i) => t.slice(i, i + 2));
}
/** Dice coefficient over letter pairs: 1 for the same text, 0 for nothing in common. */
export function likeness(a: string, b: string): number {
  if (!a || !b) return 0;
  const x = bigrams(a);
  const y = bigrams(b);
  const pool = new Map<string, number>();
  for (const g of y) pool.set(g, (pool.get(g) ?? 0) + 1);
  let common = 0;
  for (const g of x) {
    const n = pool.get(g) ?? 0;
    if (n > 0) {
      common++;
      pool.set(g, n - 1);
    }
  }
  return (2 * common) / (x.length + y.length);
}

interface CommuneRow {
  code: string;
  name: string;
  fullName: string;
  provinceCode: string;
}

/** The communes the officer covers, with names. */
export async function coveredCommunes(db: Database, officerUserId: string): Promise<CommuneRow[]> {
  return db
    .select({
      code: communes.code,
      name: communes.name,
      fullName: communes.fullName,
      provinceCode: communes.provinceCode,
    })
    .from(officerCommunes)
    .innerJoin(communes, eq(communes.code, officerCommunes.communeCode))
    .where(eq(officerCommunes.officerUserId, officerUserId))
    .orderBy(communes.name);
}

/** Checks every row; reads the database, writes nothing. */
export async function checkRoster(db: Database, officerUserId: string, input: RosterRow[]): Promise<RosterCheck> {
  const covered = await coveredCommunes(db, officerUserId);
  const coveredCodes = new Set(covered.map((c) => c.code));
  const provinces = [...new Set(covered.map((c) => c.provinceCode))];
  const provinceCommunes = provinces.length
    ? await db
        .select({
          code: communes.code,
          name: communes.name,
          fullName: communes.fullName,
          provinceCode: communes.provinceCode,
        })
        .from(communes)
        .where(inArray(communes.provinceCode, provinces))
    : [];

  const byPlain = (list: CommuneRow[]) => {
    const map = new Map<string, CommuneRow[]>();
    for (const c of list) map.set(plainName(c.name), [...(map.get(plainName(c.name)) ?? []), c]);
    return map;
  };
  const byFolded = (list: CommuneRow[]) => {
    const map = new Map<string, CommuneRow[]>();
    for (const c of list) map.set(communeKey(c.name), [...(map.get(communeKey(c.name)) ?? []), c]);
    return map;
  };
  const coveredPlain = byPlain(covered);
  const coveredFolded = byFolded(covered);
  const provincePlain = byPlain(provinceCommunes);
  const provinceFolded = byFolded(provinceCommunes);

  const nameKeys = [...new Set(input.map((r) => communeKey(r.commune)).filter(Boolean))];
  const aliases = new Map<string, string>();
  for (let i = 0; i < nameKeys.length; i += 1000) {
    const found = await db
      .select()
      .from(communeAliases)
      .where(inArray(communeAliases.nameKey, nameKeys.slice(i, i + 1000)));
    for (const a of found) aliases.set(`${a.nameKey}|${a.districtKey}`, a.communeCode);
  }

  type Match = { code: string } | { notCovered: true } | { unknown: true };
  const matchCache = new Map<string, Match>();
  const match = (commune: string, district: string): Match => {
    const plain = plainName(commune);
    const folded = communeKey(commune);
    const key = `${folded}|${districtKey(district)}`;
    // Cached by the name as written: Cẩm Giang and Cẩm Giàng share a folded key, not a commune.
    const cacheKey = `${plain}|${key}`;
    const cached = matchCache.get(cacheKey);
    if (cached) return cached;
    const alias = aliases.get(key);
    const exact = coveredPlain.get(plain);
    let result: Match;
    if (exact?.length === 1) result = { code: exact[0].code };
    else if (alias) result = coveredCodes.has(alias) ? { code: alias } : { notCovered: true };
    else if (coveredFolded.get(folded)?.length === 1 && !provincePlain.has(plain))
      result = { code: coveredFolded.get(folded)![0].code };
    else if (provincePlain.has(plain) || provinceFolded.has(folded)) result = { notCovered: true };
    else result = { unknown: true };
    matchCache.set(cacheKey, result);
    return result;
  };

  // Phones we know already: accounts, and earlier rosters.
  const phones = new Map<number, string>();
  input.forEach((r, i) => {
    const parsed = parseVietnameseMobile(r.phone);
    if (parsed.ok) phones.set(i, parsed.e164);
  });
  const distinct = [...new Set(phones.values())];
  const registered = new Set<string>();
  const onRoster = new Set<string>();
  for (let i = 0; i < distinct.length; i += 1000) {
    const chunk = distinct.slice(i, i + 1000);
    for (const u of await db.select({ phone: users.phone }).from(users).where(inArray(users.phone, chunk)))
      registered.add(u.phone);
    for (const e of await db
      .select({ phone: rosterEntries.phone })
      .from(rosterEntries)
      .where(inArray(rosterEntries.phone, chunk)))
      onRoster.add(e.phone);
  }

  const unknown = new Map<string, UnknownCommune>();
  const firstLineOf = new Map<string, number>();
  const rows = input.map((r, i): CheckedRow => {
    const row: CheckedRow = { ...r, hamlet: r.hamlet.slice(0, HAMLET_MAX), e164: null, communeCode: null, errors: [] };
    if (!r.name) row.errors.push("missing_name");
    else if (r.name.length > NAME_MAX) row.errors.push("name_too_long");

    const parsed = parseVietnameseMobile(r.phone);
    if (!r.phone) row.errors.push("missing_phone");
    else if (!parsed.ok) {
      row.errors.push("bad_phone");
      row.phoneProblem = parsed.problem;
    } else {
      row.e164 = phones.get(i)!;
      const first = firstLineOf.get(row.e164);
      if (first !== undefined) {
        row.errors.push("duplicate_in_file");
        row.firstLine = first;
      } else {
        firstLineOf.set(row.e164, r.line);
        if (registered.has(row.e164)) row.errors.push("already_registered");
        else if (onRoster.has(row.e164)) row.errors.push("already_on_roster");
      }
    }

    if (!r.commune) row.errors.push("missing_commune");
    else {
      const m = match(r.commune, r.district);
      if ("code" in m) row.communeCode = m.code;
      else if ("notCovered" in m) row.errors.push("commune_not_covered");
      else {
        const key = `${communeKey(r.commune)}|${districtKey(r.district)}`;
        row.errors.push("unknown_commune");
        row.unknownKey = key;
        const seen = unknown.get(key);
        if (seen) seen.rows++;
        else {
          const nk = communeKey(r.commune);
          const dk = districtKey(r.district);
          const score = (c: CommuneRow) =>
            Math.max(likeness(nk, communeKey(c.name)), 0.9 * likeness(dk, communeKey(c.name)));
          unknown.set(key, {
            key,
            nameKey: nk,
            districtKey: dk,
            name: r.commune,
            district: r.district,
            rows: 1,
            suggestions: [...covered]
              .sort((a, b) => score(b) - score(a))
              .map((c) => ({ code: c.code, fullName: c.fullName })),
          });
        }
      }
    }
    return row;
  });

  const withErrors = rows.filter((r) => r.errors.length > 0).length;
  return { rows, unknown: [...unknown.values()], ready: rows.length - withErrors, withErrors };
}

export type MappingProblem = "not_covered" | "unknown_name";

/**
 * The officer's answer for an unknown commune name: stored once (the folded
 * name and old district), then every row and every later file that has it
 * goes to that commune. Only a commune the officer covers can be chosen.
 */
export async function mapCommuneName(
  db: Database,
  officerUserId: string,
  mapping: { nameKey: string; districtKey: string; communeCode: string },
): Promise<{ ok: true } | { ok: false; problem: MappingProblem }> {
  if (!mapping.nameKey || mapping.nameKey.length > 200 || mapping.districtKey.length > 200)
    return { ok: false, problem: "unknown_name" };
  const [mine] = await db
    .select({ code: officerCommunes.communeCode })
    .from(officerCommunes)
    .where(and(eq(officerCommunes.officerUserId, officerUserId), eq(officerCommunes.communeCode, mapping.communeCode)));
  if (!mine) return { ok: false, problem: "not_covered" };
  await db
    .insert(communeAliases)
    .values({ ...mapping, createdByUserId: officerUserId })
    .onConflictDoUpdate({
      target: [communeAliases.nameKey, communeAliases.districtKey],
      set: { communeCode: mapping.communeCode, createdByUserId: officerUserId },
    });
  return { ok: true };
}
