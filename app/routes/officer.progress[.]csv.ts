import type { LoaderFunctionArgs } from "@remix-run/node";
import { getT } from "~/i18n/index.server";
import { officerProgress, officerProgressSheets, reportCsv, requireOfficer } from "~/officers/index.server";
import { db } from "~/utils/db.server";
import { todayInVietnam } from "~/utils/format";

/** /officer/progress.csv: the progress page's table (one row per commune, the total, mine) for Excel. */
export async function loader({ request }: LoaderFunctionArgs) {
  const officer = await requireOfficer(request);
  const [t, progress] = await Promise.all([getT(request, "officers"), officerProgress(db, officer.id)]);
  const [funnel] = officerProgressSheets(t, progress);
  return new Response(reportCsv(funnel!), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${t("progress.filename")}-${todayInVietnam()}.csv"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
