/**
 * The progress pieces the officer's page and the admin's province report
 * share: the funnel chart, the monthly orders and sales charts, the funnel
 * table (ADR 027). Server-rendered SVG; nothing here needs JavaScript.
 */
import { useTranslation } from "react-i18next";
import { FunnelChart, MonthlyChart } from "./charts/charts";
import { FUNNEL_COLUMNS, type FunnelCounts as Funnel } from "./progress";
import { formatNumber, formatVnd } from "~/utils/format";

const FUNNEL_STEPS = [
  "roster",
  "registered",
  "stallCreated",
  "firstProduct",
  "published",
  "firstOrder",
  "active30d",
] as const;

export function ProgressFunnel({ id, scope, funnel }: { id: string; scope: string; funnel: Funnel }) {
  const { t, i18n } = useTranslation("officers");
  return (
    <FunnelChart
      id={id}
      title={t("progress.funnelTitle", { scope })}
      description={t("progress.funnelDesc")}
      labelHeader={t("progress.step")}
      valueHeader={t("progress.households")}
      bars={FUNNEL_STEPS.map((k) => ({
        label: t(`funnel.${k}`),
        value: funnel[k],
        text: formatNumber(funnel[k], i18n.language),
      }))}
    />
  );
}

export function SalesCharts({
  id,
  scope,
  months,
}: {
  id: string;
  scope: string;
  months: { month: string; orders: number; gmvDong: number }[];
}) {
  const { t, i18n } = useTranslation("officers");
  const lng = i18n.language;
  const label = (m: string) => `${m.slice(5, 7)}/${m.slice(2, 4)}`;
  return (
    <>
      <MonthlyChart
        id={`${id}-orders`}
        title={t("progress.ordersTitle", { scope })}
        description={t("progress.ordersDesc")}
        labelHeader={t("progress.month")}
        valueHeader={t("progress.orders")}
        points={months.map((m) => ({ label: label(m.month), value: m.orders, text: formatNumber(m.orders, lng) }))}
      />
      <MonthlyChart
        id={`${id}-gmv`}
        title={t("progress.gmvTitle", { scope })}
        description={t("progress.gmvDesc")}
        labelHeader={t("progress.month")}
        valueHeader={t("progress.gmv")}
        points={months.map((m) => ({
          label: label(m.month),
          value: m.gmvDong,
          text:
            m.gmvDong >= 1_000_000
              ? `${formatNumber(Math.round(m.gmvDong / 100_000) / 10, lng)}tr`
              : formatNumber(m.gmvDong, lng),
        }))}
      />
      <table className="visually-hidden">
        <caption>{t("progress.gmv")}</caption>
        <tbody>
          {months.map((m) => (
            <tr key={m.month}>
              <th scope="row">{label(m.month)}</th>
              <td>{formatVnd(m.gmvDong, lng)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export function FunnelTable({
  nameHeader,
  rows,
}: {
  nameHeader: string;
  rows: { key: string; name: string; funnel: Funnel }[];
}) {
  const { t, i18n } = useTranslation("officers");
  return (
    <div className="report-table__scroll">
      <table className="report-table">
        <thead>
          <tr>
            <th scope="col">{nameHeader}</th>
            {FUNNEL_COLUMNS.map((c) => (
              <th key={c} scope="col" className="num">
                {t(`funnel.${c}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">{r.name}</th>
              {FUNNEL_COLUMNS.map((c) => (
                <td key={c} className="num">
                  {formatNumber(r.funnel[c], i18n.language)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
