import type { Database } from "../client";

/** Placeholder until the demo seed lands: seeds nothing. */
export async function seedDemoIfEmpty(_db: Database): Promise<Record<string, number> | null> {
  return null;
}
