import { and, eq, like, ne, or } from "drizzle-orm";
import { stalls } from "#db/schema";
import { RESERVED_STALL_SLUGS, stallSlugFrom } from "./slug";
import type { Database } from "~/utils/db.server";

/**
 * A free stall slug from a name: the name's slug when free, else -2, -3, …
 * (reserved words are never free). Two stalls created at once may pick the same
 * slug; the unique index refuses the second and the caller reports it.
 */
export async function freeStallSlug(db: Database, name: string, exceptStallId?: string): Promise<string> {
  const base = stallSlugFrom(name);
  const rows = await db
    .select({ slug: stalls.slug })
    .from(stalls)
    .where(
      and(
        or(eq(stalls.slug, base), like(stalls.slug, `${base}-%`)),
        exceptStallId ? ne(stalls.id, exceptStallId) : undefined,
      ),
    );
  const taken = new Set(rows.map((r) => r.slug));
  const free = (slug: string) => !taken.has(slug) && !RESERVED_STALL_SLUGS.has(slug);
  if (free(base)) return base;
  for (let n = 2; ; n++) if (free(`${base}-${n}`)) return `${base}-${n}`;
}

/** Whether another stall already has this slug. */
export async function stallSlugTaken(db: Database, slug: string, exceptStallId?: string): Promise<boolean> {
  const [row] = await db
    .select({ id: stalls.id })
    .from(stalls)
    .where(and(eq(stalls.slug, slug), exceptStallId ? ne(stalls.id, exceptStallId) : undefined))
    .limit(1);
  return Boolean(row);
}
