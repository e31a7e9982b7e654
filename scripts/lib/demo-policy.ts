/**
 * Where the demo marketplace may go (ADR 018). Its accounts, an admin among
 * them, share a password printed in the README, so the demo goes only where
 * nobody can mistake it for real data: the embedded database (no
 * DATABASE_URL: a laptop, a try-out, `npm start`), or anywhere SEED_DEMO=true
 * asks for it. SEED_DEMO=false keeps it out everywhere. On PostgreSQL with
 * NODE_ENV=production, --force is needed as well.
 */
import { CliError } from "./cli";

export interface DemoPolicyInput {
  DATABASE_URL?: string;
  SEED_DEMO?: string;
  NODE_ENV?: string;
}

/** SEED_DEMO: true/1, false/0, or unset (empty counts as unset). */
export function seedDemoSetting(value: string | undefined): boolean | undefined {
  const v = value?.trim().toLowerCase();
  if (!v) return undefined;
  if (v === "true" || v === "1") return true;
  if (v === "false" || v === "0") return false;
  throw new CliError(`SEED_DEMO must be true or false (or unset), not "${value}".`);
}

/** Why the demo may not be seeded into the database this environment names, or null when it may. */
export function whyNotSeedDemo(env: DemoPolicyInput, { force = false } = {}): string | null {
  const wanted = seedDemoSetting(env.SEED_DEMO);
  if (wanted === false) return "SEED_DEMO is false, so the demo marketplace is not seeded.";
  const postgresql = /^postgres(ql)?:\/\//.test(env.DATABASE_URL?.trim() ?? "");
  if (!postgresql) return null;
  if (wanted !== true)
    return (
      "DATABASE_URL points at PostgreSQL, where the demo marketplace (whose accounts share a published password) " +
      "is not seeded unless SEED_DEMO=true asks for it."
    );
  if (env.NODE_ENV === "production" && !force)
    return "NODE_ENV is production and the demo accounts share a published password: add --force to seed them into this PostgreSQL anyway.";
  return null;
}
