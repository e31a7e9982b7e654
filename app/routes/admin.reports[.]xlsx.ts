import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/auth/index.server";
import { getT } from "~/i18n/index.server";
import { provinceProgress, provinceSheets, reportXlsx, XLSX_TYPE } from "~/officers/index.server";
import { db } from "~/utils/db.server";
import { todayInVietnam } from "~/utils/format";

/** /admin/reports.xlsx?province=…: communes (with shares), officers, orders and sales per month, a sheet each. Admins only. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const asked = new URL(request.url).searchParams.get("province");
  const [t, report] = await Promise.all([getT(request, "officers"), provinceProgress(db, asked)]);
  const body = await reportXlsx(provinceSheets(t, report));
  return new Response(body, {
    headers: {
      "Content-Type": XLSX_TYPE,
      "Content-Disposition": `attachment; filename="${t("reports.filename")}-${report.provinceCode ?? ""}-${todayInVietnam()}.xlsx"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
