import { sql } from "drizzle-orm";
import { db, dbDriver } from "~/utils/db.server";

/** Liveness plus a database round trip, for load balancers and uptime checks. */
export async function loader() {
  const started = performance.now();
  let database: { ok: boolean; driver: string; ms: number; error?: string };
  try {
    await db.execute(sql`SELECT 1`);
    database = { ok: true, driver: dbDriver, ms: Math.round((performance.now() - started) * 10) / 10 };
  } catch (error) {
    database = { ok: false, driver: dbDriver, ms: Math.round(performance.now() - started), error: String(error) };
  }
  const ok = database.ok;
  return Response.json(
    { status: ok ? "ok" : "error", database, uptimeSeconds: Math.round(process.uptime()) },
    { status: ok ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}
