import type { LoaderFunctionArgs } from "@remix-run/node";
import { isFeedFile } from "~/exports";
import { describeSkipped, openStallFeed, type StallFeed } from "~/exports/index.server";
import { todayInVietnam } from "~/listings";
import { mediaBaseUrl } from "~/media/index.server";
import { publicOrigin } from "~/stalls/index.server";
import { db } from "~/utils/db.server";
import { textBodyStream } from "~/utils/text-stream.server";

/**
 * /feeds/:stallSlug/:file — a stall's product feed for marketplaces
 * (google.xml, google.tsv, meta.csv, shopify.csv, products.csv,
 * products.json; public URL contract). GET and HEAD. Streamed from the
 * database; a poller that sends back the ETag (or Last-Modified) gets a 304
 * while nothing changed. Unknown stall or file, a stall never published, a
 * private feed without its token: the same 404.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const file = params.file ?? "";
  if (!isFeedFile(file)) return notFound();
  const feed = await openStallFeed(db, {
    stallSlug: params.stallSlug ?? "",
    file,
    token: new URL(request.url).searchParams.get("token"),
    site: { origin: publicOrigin(request), mediaBaseUrl: mediaBaseUrl() },
    today: todayInVietnam(),
  });
  if (!feed) return notFound();

  const headers = new Headers({
    ETag: feed.etag,
    "Last-Modified": feed.lastModified.toUTCString(),
    // Marketplaces poll every few hours at most; a quarter of an hour spares the database a crawler's bursts.
    "Cache-Control": `${feed.private ? "private" : "public"}, max-age=900`,
  });
  if (notModified(request, feed)) return new Response(null, { status: 304, headers });

  const counts = await feed.count();
  headers.set("Content-Type", feed.contentType);
  headers.set("Content-Disposition", `inline; filename="${feed.filename}"`);
  headers.set("X-Content-Type-Options", "nosniff");
  headers.set("X-Robots-Tag", "noindex");
  headers.set("X-Feed-Items", String(counts.items));
  headers.set("X-Feed-Skipped", describeSkipped(counts));
  return new Response(textBodyStream(feed.body()), { status: 200, headers });
}

/** If-None-Match (weak comparison, RFC 9110 §13.1.2), else If-Modified-Since. */
function notModified(request: Request, feed: Pick<StallFeed, "etag" | "lastModified">): boolean {
  const ifNoneMatch = request.headers.get("If-None-Match");
  if (ifNoneMatch !== null) {
    const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
    return ifNoneMatch.split(",").some((tag) => tag.trim() === "*" || opaque(tag) === opaque(feed.etag));
  }
  const since = Date.parse(request.headers.get("If-Modified-Since") ?? "");
  return Number.isFinite(since) && Math.floor(feed.lastModified.getTime() / 1000) * 1000 <= since;
}

/** One answer for every feed that is not there or not yours: nothing tells them apart. */
function notFound() {
  return new Response("Not found", {
    status: 404,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });
}
