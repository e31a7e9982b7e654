import type { LoaderFunctionArgs } from "@remix-run/node";
import { getT } from "~/i18n/index.server";
import {
  loadAppliedImport,
  REPORT_COLUMNS,
  requireOfficer,
  rosterReportCsv,
  type ReportColumn,
} from "~/officers/index.server";
import { db } from "~/utils/db.server";
import { TIME_ZONE } from "~/utils/format";

/**
 * /officer/import/:importId.csv: the result report of one roster import, for
 * Excel, in the officer's language: every row of the file, imported or why
 * not. Only the officer who imported it; anyone else gets a 404.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const officer = await requireOfficer(request);
  const applied = await loadAppliedImport(db, officer.id, params.importId ?? "");
  if (!applied) throw new Response("Not found", { status: 404 });
  const t = await getT(request, "roster");
  const headings = Object.fromEntries(REPORT_COLUMNS.map((c) => [c, t(`report.${c}`)])) as Record<ReportColumn, string>;
  const csv = rosterReportCsv(applied.lines, headings, (line) =>
    line.outcome
      .map((o) => (o === "imported" ? t("report.imported") : t(`errors.${o}`, { line: line.firstLine })))
      .join("; "),
  );
  const day = new Intl.DateTimeFormat("en-CA", { timeZone: TIME_ZONE }).format(applied.createdAt);
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${t("report.filename")}-${day}.csv"`,
      // Names and phone numbers: never kept by a browser or a proxy.
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
