import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "./client";
import { PG_ADMIN_URL, urlFor } from "../tests/setup/pg";

type Row = Record<string, unknown>;
const rows = (r: unknown): Row[] => (Array.isArray(r) ? r : (r as { rows: Row[] }).rows);

/** Tables, columns (with types, nullability) and index definitions, normalised for comparison. */
async function shape(h: DatabaseHandle) {
  const columns = rows(
    await h.db.execute(sql`
      SELECT table_name, column_name, data_type, udt_name, is_nullable
      FROM information_schema.columns WHERE table_schema = 'public'
      ORDER BY table_name, column_name`),
  ).map((r) => `${r.table_name}.${r.column_name} ${r.udt_name} ${r.is_nullable}`);
  const indexes = rows(
    await h.db.execute(sql`
      SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname`),
  ).map((r) => `${r.indexname}: ${String(r.indexdef).replace(/\s+/g, " ")}`);
  const extensions = rows(
    await h.db.execute(sql`SELECT extname FROM pg_extension WHERE extname IN ('unaccent','pg_trgm') ORDER BY extname`),
  ).map((r) => r.extname);
  const tables = [...new Set(columns.map((c) => c.split(".")[0]))];
  return { tables, columns, indexes, extensions };
}

describe("migrations", () => {
  it("build the same tables, columns and indexes on PGlite and PostgreSQL", async () => {
    const name = `ghs_test_${process.pid}_parity_${randomBytes(4).toString("hex")}`;
    const admin = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE "${name}"`);
    const lite = await openDatabase({ url: "memory://" });
    const pg = await openDatabase({ url: urlFor(name) });
    try {
      await lite.migrate();
      await pg.migrate();
      const a = await shape(lite);
      const b = await shape(pg);
      expect(a.tables).toContain("users");
      expect(a.tables).toContain("stalls");
      expect(a.extensions).toEqual(["pg_trgm", "unaccent"]);
      expect(a.indexes.some((i) => i.includes("gin_trgm_ops"))).toBe(true);
      expect(b).toEqual(a);
      // Applying again is a no-op on both.
      await lite.migrate();
      await pg.migrate();
      expect(await shape(pg)).toEqual(b);
    } finally {
      await lite.close();
      await pg.close();
      await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    }
  });
});
