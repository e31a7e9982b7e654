import { Readable } from "node:stream";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/auth/index.server";
import { openBulkExportFile } from "~/exports/index.server";
import { getT } from "~/i18n/index.server";
import { db } from "~/utils/db.server";

/**
 * /admin/exports/:runId/download: a finished bulk export's file, streamed
 * from storage to a signed-in admin (never a public media URL: /media serves
 * photo keys only). 404 for an unknown, unfinished or expired run.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const file = await openBulkExportFile(db, params.runId ?? "");
  // Every stall's data of a province: never kept by a browser or a proxy.
  const headers = new Headers({ "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" });
  if (!file) {
    const t = await getT(request, "exports");
    headers.set("Content-Type", "text/plain; charset=utf-8");
    return new Response(t("bulk.download.notFound"), { status: 404, headers });
  }
  headers.set("Content-Type", file.contentType);
  headers.set("Content-Length", String(file.size));
  headers.set("Content-Disposition", `attachment; filename="${file.fileName}"`);
  if (request.method === "HEAD") {
    file.body.destroy();
    return new Response(null, { status: 200, headers });
  }
  // A client that goes away cancels the stream, which closes the file (or the S3 response).
  return new Response(Readable.toWeb(file.body) as ReadableStream<Uint8Array>, { status: 200, headers });
}
