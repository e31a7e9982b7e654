/**
 * What a server started on a database without accounts tells the person who
 * started it: the server never seeds (ADR 018), so someone has to create the
 * first admin, or load the demo. server.js calls this once, after the
 * database is open and before it listens. No personal data: there is none yet.
 */
import { users } from "#db/schema";
import { db, dbDriver } from "./db.server";
import { logger, type Logger } from "./logger.server";

export function noAccountsHint(driver: typeof dbDriver): string {
  const demo =
    driver === "pglite"
      ? "for the demo marketplace stop the server and run `npm run db:seed`"
      : "for a demo marketplace on this PostgreSQL run `SEED_DEMO=true npm run db:seed`";
  return (
    "the database has no accounts yet: for a real deployment create the first admin with " +
    `\`npm run admin:create -- --phone 09xxxxxxxx\`; ${demo}`
  );
}

export async function hintWhenNoUsers(log: Logger = logger): Promise<boolean> {
  const [anyone] = await db.select({ id: users.id }).from(users).limit(1);
  if (!anyone) log.warn(noAccountsHint(dbDriver));
  return !anyone;
}
