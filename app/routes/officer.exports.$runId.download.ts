import type { LoaderFunctionArgs } from "@remix-run/node";
import { bulkExportDownload } from "~/exports/index.server";
import { officerCommuneCodes, requireOfficer } from "~/officers/index.server";
import { db } from "~/utils/db.server";

/**
 * /officer/exports/:runId/download: a finished export of one of the
 * officer's communes. 404 for any other run (a province's, another
 * commune's), as for an unknown, unfinished or expired one.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const officer = await requireOfficer(request);
  const communes = await officerCommuneCodes(db, officer.id);
  return bulkExportDownload(request, params.runId ?? "", { communes });
}
