import type { Database } from "~/utils/db.server";

/**
 * Something built once per database handle, on first use: a Drizzle prepared
 * statement (its SQL built once rather than on every request), a reader that
 * shares simultaneous reads. Tests and scripts that open their own database
 * get their own.
 */
export function perDatabase<T>(build: (db: Database) => T): (db: Database) => T {
  const built = new WeakMap<Database, T>();
  return (db) => {
    let value = built.get(db);
    if (value === undefined) {
      value = build(db);
      built.set(db, value);
    }
    return value;
  };
}
