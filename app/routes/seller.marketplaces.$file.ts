import { Readable } from "node:stream";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { bulkExportContentType, MARKETPLACE_FILE_NAMES, type MarketplaceFileName } from "~/exports";
import { EXPORT_WRITERS, emptyStats } from "~/exports/index.server";
import { todayInVietnam } from "~/listings";
import { publicOrigin, requireActingStall } from "~/stalls/index.server";
import { db } from "~/utils/db.server";

const isMarketplaceFile = (name: string | undefined): name is MarketplaceFileName =>
  (MARKETPLACE_FILE_NAMES as readonly (string | undefined)[]).includes(name);

/**
 * /seller/marketplaces/:file — the stall's file for TikTok Shop, Shopee or
 * Lazada (`shopee.xlsx`, `tiktok.json`, …), for the farmer (or whoever lists
 * the stall there) to download: the same writer as an admin's bulk export,
 * over this one stall, streamed as it is written.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { stall } = await requireActingStall(request, { noStallRedirect: "/setup" });
  const file = params.file;
  if (!isMarketplaceFile(file)) throw new Response("Not found", { status: 404 });
  const writer = EXPORT_WRITERS[file]!;
  const context = { site: publicOrigin(request), today: todayInVietnam() };
  const chunks = writer(db, { kind: "stall", stallId: stall.id }, file, context, emptyStats(), () => {});
  return new Response(Readable.toWeb(Readable.from(chunks)) as ReadableStream, {
    headers: {
      "Content-Type": bulkExportContentType(file),
      "Content-Disposition": `attachment; filename="${stall.slug}-${file}"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
