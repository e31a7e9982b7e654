import { getPublishedStall } from "./stalls.server";
import { listPublicStallListings } from "~/listings/listings.server";
import type { Database } from "~/utils/db.server";
import { preparedPer } from "~/utils/prepared.server";
import { singleFlight } from "~/utils/single-flight.server";

/**
 * A published stall and the products on its page, or null: what /s/:stallSlug
 * shows. Simultaneous visitors of one stall share the database reads
 * (singleFlight); each still gets data no older than their own request.
 */
export function getStorefront(db: Database, slug: string, today: string) {
  return storefrontReader(db)(`${today} ${slug}`);
}

const storefrontReader = preparedPer((db: Database) =>
  singleFlight(async (key: string) => {
    const [today, slug] = key.split(" ");
    const stall = await getPublishedStall(db, slug);
    if (!stall) return null;
    return { stall, products: await listPublicStallListings(db, stall.id, { today }) };
  }),
);
