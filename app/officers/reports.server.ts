/**
 * What the progress pages and their downloads show (ADR 027), read from the
 * rollups only: an officer's communes and their own funnel; a province's
 * totals, communes and officers. The CSV and the XLSX carry the same numbers
 * as the page, under the same translated headings.
 */
import ExcelJS from "exceljs";
import {
  communeFunnels,
  ensureProgressRollups,
  monthlySales,
  officerCommuneOptions,
  officerFunnel,
  provinceReport,
  reportProvinces,
  rollupsComputedAt,
  sumFunnels,
  type Funnel,
  type FunnelRow,
  type MonthPoint,
} from "./progress.server";
import { FUNNEL_COLUMNS, SHARE_COLUMNS, shares } from "./progress";
import type { Database } from "#db/client";
import { csvForPeople, type CsvCell } from "~/utils/csv.server";

export interface OfficerProgress {
  communes: FunnelRow[];
  /** The officer's communes together. */
  total: Funnel;
  /** The households this officer onboarded. */
  mine: Funnel;
  months: MonthPoint[];
  computedAt: string | null;
}

export async function officerProgress(db: Database, officerId: string, now = new Date()): Promise<OfficerProgress> {
  await ensureProgressRollups(db);
  const codes = (await officerCommuneOptions(db, officerId)).map((c) => c.code);
  const [communes, mine, months, computedAt] = await Promise.all([
    communeFunnels(db, codes),
    officerFunnel(db, officerId),
    monthlySales(db, "commune", codes, { now }),
    rollupsComputedAt(db),
  ]);
  return { communes, total: sumFunnels(communes), mine, months, computedAt };
}

export interface ProvinceProgress {
  provinces: { code: string; name: string; registered: number }[];
  provinceCode: string | null;
  total: Funnel;
  communes: FunnelRow[];
  officers: FunnelRow[];
  months: MonthPoint[];
  computedAt: string | null;
}

/** The province asked for, else the one with the most registered households. */
export async function provinceProgress(
  db: Database,
  asked: string | null,
  now = new Date(),
): Promise<ProvinceProgress> {
  await ensureProgressRollups(db);
  const provinces = await reportProvinces(db);
  const provinceCode = provinces.find((p) => p.code === asked)?.code ?? provinces[0]?.code ?? null;
  if (!provinceCode)
    return { provinces, provinceCode, total: sumFunnels([]), communes: [], officers: [], months: [], computedAt: null };
  const [report, months, computedAt] = await Promise.all([
    provinceReport(db, provinceCode),
    monthlySales(db, "province", [provinceCode], { now }),
    rollupsComputedAt(db),
  ]);
  return { provinces, provinceCode, ...report, months, computedAt };
}

export interface ReportSheet {
  name: string;
  header: string[];
  rows: CsvCell[][];
}

/** Funnel rows as a table: a name, the funnel's numbers and, with `withShares`, the shares in per cent. */
export function funnelSheet(
  name: string,
  nameHeader: string,
  heading: (column: string) => string,
  rows: { name: string; funnel: Funnel }[],
  { withShares = false }: { withShares?: boolean } = {},
): ReportSheet {
  return {
    name,
    header: [nameHeader, ...FUNNEL_COLUMNS.map(heading), ...(withShares ? SHARE_COLUMNS.map((c) => heading(c)) : [])],
    rows: rows.map(({ name: rowName, funnel }) => {
      const s = shares(funnel);
      return [
        rowName,
        ...FUNNEL_COLUMNS.map((c) => funnel[c]),
        // Shares in the CSV as text "12,5" (a Vietnamese Excel's decimal comma); numbers in the XLSX.
        ...(withShares ? SHARE_COLUMNS.map((c) => s[c]) : []),
      ];
    }),
  };
}

export function monthsSheet(name: string, headers: [string, string, string], months: MonthPoint[]): ReportSheet {
  return { name, header: headers, rows: months.map((m) => [m.month, m.orders, m.gmvDong]) };
}

/** The first sheet as a people CSV (ADR 017); shares written as text with a decimal comma. */
export function reportCsv(sheet: ReportSheet): string {
  return csvForPeople(
    sheet.header,
    sheet.rows.map((r) =>
      r.map((c) => (typeof c === "number" && !Number.isInteger(c) ? String(c).replace(".", ",") : c)),
    ),
  );
}

/** Every sheet in one workbook, numbers as numbers. */
export async function reportXlsx(sheets: ReportSheet[]): Promise<Uint8Array<ArrayBuffer>> {
  const workbook = new ExcelJS.Workbook();
  for (const s of sheets) {
    const ws = workbook.addWorksheet(s.name.slice(0, 31));
    ws.addRow(s.header).font = { bold: true };
    for (const r of s.rows) ws.addRow(r.map((c) => (c == null ? null : c)));
    ws.columns.forEach((col, i) => {
      col.width = i === 0 ? 28 : 14;
    });
  }
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** The officer's downloads: the funnel table (communes, their total, mine), then orders and sales per month. */
export function officerProgressSheets(t: Translate, p: OfficerProgress): ReportSheet[] {
  const heading = (c: string) => t(`funnel.${c}`);
  return [
    funnelSheet(t("progress.sheetFunnel"), t("progress.commune"), heading, [
      ...p.communes.map((c) => ({ name: c.name, funnel: c })),
      { name: t("progress.total"), funnel: p.total },
      { name: t("progress.mine"), funnel: p.mine },
    ]),
    monthsSheet(t("progress.sheetMonths"), [t("progress.month"), t("progress.orders"), t("progress.gmv")], p.months),
  ];
}

/** The admin's downloads: communes with shares (the province's total last), officers, orders and sales per month. */
export function provinceSheets(t: Translate, p: ProvinceProgress): ReportSheet[] {
  const heading = (c: string) => t(`funnel.${c}`);
  return [
    funnelSheet(
      t("reports.sheetCommunes"),
      t("progress.commune"),
      heading,
      [...p.communes.map((c) => ({ name: c.name, funnel: c })), { name: t("reports.totals"), funnel: p.total }],
      { withShares: true },
    ),
    funnelSheet(
      t("reports.sheetOfficers"),
      t("reports.officer"),
      heading,
      p.officers.map((o) => ({ name: o.name, funnel: o })),
    ),
    monthsSheet(t("progress.sheetMonths"), [t("progress.month"), t("progress.orders"), t("progress.gmv")], p.months),
  ];
}
