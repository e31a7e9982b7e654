import { Readable } from "node:stream";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { parsePhotoKey } from "~/media";
import { IMMUTABLE_CACHE_CONTROL, storage } from "~/media/index.server";

/**
 * /media/photos/<hash>/<width>.<avif|webp|jpg>: photo variants from storage
 * (the local folder, or S3 when no S3_PUBLIC_URL lets browsers go there
 * directly). Only keys of that exact shape are looked up, so no path, however
 * encoded, reaches the store. Content-addressed, so cached for a year.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const key = params["*"] ?? "";
  const photo = parsePhotoKey(key);
  if (!photo) return notFound();

  const etag = `"${photo.hash}-${photo.width}.${photo.format}"`;
  const headers = new Headers({
    "Cache-Control": IMMUTABLE_CACHE_CONTROL,
    ETag: etag,
    "X-Content-Type-Options": "nosniff",
  });

  if (matches(request.headers.get("If-None-Match"), etag)) {
    // The bytes behind a key never change; only check it still exists.
    if (!(await storage().exists(key))) return notFound();
    return new Response(null, { status: 304, headers });
  }

  const object = await storage().get(key);
  if (!object) return notFound();
  headers.set("Content-Type", object.contentType);
  headers.set("Content-Length", String(object.size));
  if (request.method === "HEAD") {
    object.body.destroy();
    return new Response(null, { status: 200, headers });
  }
  // Streamed from disk or S3; a client that goes away cancels the stream, which closes the file.
  return new Response(Readable.toWeb(object.body) as ReadableStream<Uint8Array>, { status: 200, headers });
}

/** If-None-Match: `*`, or a list of (possibly weak) entity tags. */
function matches(header: string | null, etag: string) {
  if (!header) return false;
  return header.split(",").some((tag) => {
    const t = tag.trim();
    return t === "*" || t === etag || t === `W/${etag}`;
  });
}

function notFound() {
  return new Response("Not found", {
    status: 404,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });
}
