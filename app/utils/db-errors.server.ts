/**
 * Reading database errors through Drizzle's wrapping (`cause`), the same way on
 * both drivers: postgres.js names the violated index `constraint_name`, PGlite
 * `constraint`.
 */
export function isUniqueViolation(error: unknown, indexName: string): boolean {
  let e: unknown = error;
  for (let depth = 0; depth < 5 && e && typeof e === "object"; depth++) {
    const { code, constraint, constraint_name } = e as Record<string, unknown>;
    if (code === "23505" && (constraint === indexName || constraint_name === indexName)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a value from a URL or a form can be compared with a uuid column (PostgreSQL refuses malformed ones). */
export const isUuid = (value: unknown): value is string => typeof value === "string" && UUID.test(value);
