/** Where the PostgreSQL test databases live; override with TEST_DATABASE_URL. */
export const PG_ADMIN_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
/** Set by the global setup, so two runs at once (two engineers, or CI beside a session) never share a template. */
export const TEMPLATE_DB = process.env.GHS_TEMPLATE_DB ?? "ghs_test_template";

export function urlFor(database: string) {
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${database}`;
  return u.toString();
}
