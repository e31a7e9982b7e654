import type { LoaderFunctionArgs } from "@remix-run/node";
import { getT } from "~/i18n/index.server";
import { officerProgress, officerProgressSheets, reportXlsx, requireOfficer, XLSX_TYPE } from "~/officers/index.server";
import { db } from "~/utils/db.server";
import { todayInVietnam } from "~/utils/format";

/** /officer/progress.xlsx: the progress page's table and the orders and sales per month, one sheet each. */
export async function loader({ request }: LoaderFunctionArgs) {
  const officer = await requireOfficer(request);
  const [t, progress] = await Promise.all([getT(request, "officers"), officerProgress(db, officer.id)]);
  const body = await reportXlsx(officerProgressSheets(t, progress));
  return new Response(body, {
    headers: {
      "Content-Type": XLSX_TYPE,
      "Content-Disposition": `attachment; filename="${t("progress.filename")}-${todayInVietnam()}.xlsx"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
