import type { Database } from "~/utils/db.server";

/**
 * A Drizzle prepared statement per database handle, built on first use. The
 * public pages' hot reads use it so Drizzle builds their SQL once rather than
 * on every request; tests and scripts that open their own database get their
 * own statement.
 */
export function preparedPer<T>(build: (db: Database) => T): (db: Database) => T {
  const statements = new WeakMap<Database, T>();
  return (db) => {
    let statement = statements.get(db);
    if (!statement) {
      statement = build(db);
      statements.set(db, statement);
    }
    return statement;
  };
}
