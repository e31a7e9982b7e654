import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/auth/index.server";
import { bulkExportDownload } from "~/exports/index.server";

/**
 * /admin/exports/:runId/download: a finished bulk export's file, to a
 * signed-in admin (any run). 404 for an unknown, unfinished or expired run.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  return bulkExportDownload(request, params.runId ?? "");
}
