import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/auth/index.server";
import { getT } from "~/i18n/index.server";
import { PAYOUT_CSV_COLUMNS, payoutsCsv, payoutsOverview, type PayoutCsvColumn } from "~/payments/index.server";
import { db } from "~/utils/db.server";
import { TIME_ZONE } from "~/utils/format";

/** /admin/payouts.csv: the payouts screen's table for Excel, in the admin's language. Admins only. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const [t, rows] = await Promise.all([getT(request, "admin"), payoutsOverview(db)]);
  const headings = Object.fromEntries(PAYOUT_CSV_COLUMNS.map((c) => [c, t(`csv.${c}`)])) as Record<
    PayoutCsvColumn,
    string
  >;
  // yyyy-mm-dd in Vietnam's time zone.
  const day = new Intl.DateTimeFormat("en-CA", { timeZone: TIME_ZONE }).format(new Date());
  return new Response(payoutsCsv(rows, headings), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${t("csv.filename")}-${day}.csv"`,
      // Bank details and money: never kept by a browser or a proxy.
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
