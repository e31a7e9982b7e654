import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/auth/index.server";
import { getT } from "~/i18n/index.server";
import { provinceProgress, provinceSheets, reportCsv } from "~/officers/index.server";
import { db } from "~/utils/db.server";
import { todayInVietnam } from "~/utils/format";

/** /admin/reports.csv?province=…: the province's table per commune (counts and shares, the total last). Admins only. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const asked = new URL(request.url).searchParams.get("province");
  const [t, report] = await Promise.all([getT(request, "officers"), provinceProgress(db, asked)]);
  const [communes] = provinceSheets(t, report);
  return new Response(reportCsv(communes!), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${t("reports.filename")}-${report.provinceCode ?? ""}-${todayInVietnam()}.csv"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
