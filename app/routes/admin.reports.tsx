import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "~/auth/index.server";
import { getT } from "~/i18n/index.server";
import { SHARE_COLUMNS, shares } from "~/officers";
import { provinceProgress } from "~/officers/index.server";
import { FunnelTable, ProgressFunnel, SalesCharts } from "~/officers/ProgressViews";
import { db } from "~/utils/db.server";
import { formatDateTime, formatNumber } from "~/utils/format";
import { pageTitle } from "~/utils/page-title";

/**
 * /admin/reports: the province view (ADR 027): totals, a table per commune in
 * the spirit of the province's digital-transformation index (shares of
 * registered households with a published stall, with an order, paid online),
 * a table per officer, orders and sales per month; CSV and XLSX downloads.
 * Read from the rollups only. Admins only.
 */
export const handle = { i18n: ["common", "officers"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const asked = new URL(request.url).searchParams.get("province");
  const [t, report] = await Promise.all([getT(request, "officers"), provinceProgress(db, asked)]);
  return { title: pageTitle(t("reports.title")), ...report };
}

export default function AdminReports() {
  const { provinces, provinceCode, total, communes, officers, months, computedAt } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("officers");
  const lng = i18n.language;
  const province = provinces.find((p) => p.code === provinceCode);
  const percent = (v: number) => `${formatNumber(v, lng)} %`;
  const query = provinceCode ? `?province=${encodeURIComponent(provinceCode)}` : "";
  return (
    <main className="page stack">
      <h1>{t("reports.title")}</h1>
      <p className="muted">
        {computedAt ? t("progress.computedAt", { when: formatDateTime(computedAt, lng) }) : t("progress.neverComputed")}
      </p>
      {provinces.length > 1 ? (
        <Form method="get" className="filters">
          <div className="field">
            <label htmlFor="province">{t("reports.province")}</label>
            <select id="province" name="province" defaultValue={provinceCode ?? ""}>
              {provinces.map((p) => (
                <option key={p.code} value={p.code}>
                  {p.name}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="btn">
            {t("reports.show")}
          </button>
        </Form>
      ) : null}
      {!province ? (
        <p className="muted">{t("reports.none")}</p>
      ) : (
        <>
          <p className="button-row">
            <a className="btn btn-small" href={`/admin/reports.csv${query}`} download>
              {t("progress.csv")}
            </a>
            <a className="btn btn-small" href={`/admin/reports.xlsx${query}`} download>
              {t("progress.xlsx")}
            </a>
          </p>
          <section className="stack" aria-labelledby="totals-heading">
            <h2 id="totals-heading">
              {t("reports.totals")}: {province.name}
            </h2>
            <ProgressFunnel id="funnel-province" scope={province.name} funnel={total} />
            <SalesCharts id="sales-province" scope={province.name} months={months} />
          </section>
          <section className="stack" aria-labelledby="communes-heading">
            <h2 id="communes-heading">{t("reports.communes")}</h2>
            <p className="muted">{t("reports.sharesNote")}</p>
            <div className="report-table__scroll">
              <table className="report-table">
                <thead>
                  <tr>
                    <th scope="col">{t("progress.commune")}</th>
                    <th scope="col" className="num">
                      {t("funnel.registered")}
                    </th>
                    {SHARE_COLUMNS.map((c) => (
                      <th key={c} scope="col" className="num">
                        {t(`funnel.${c}`)}
                      </th>
                    ))}
                    <th scope="col" className="num">
                      {t("funnel.stuck")}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {[
                    ...communes.map((c) => ({ key: c.scopeKey, name: c.name, f: c })),
                    { key: "total", name: t("reports.totals"), f: total },
                  ].map(({ key, name, f }) => {
                    const s = shares(f);
                    return (
                      <tr key={key}>
                        <th scope="row">{name}</th>
                        <td className="num">{formatNumber(f.registered, lng)}</td>
                        {SHARE_COLUMNS.map((c) => (
                          <td key={c} className="num">
                            {percent(s[c])}
                          </td>
                        ))}
                        <td className="num">{formatNumber(f.stuck, lng)}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            <FunnelTable
              nameHeader={t("progress.commune")}
              rows={communes.map((c) => ({ key: c.scopeKey, name: c.name, funnel: c }))}
            />
          </section>
          <section className="stack" aria-labelledby="officers-heading">
            <h2 id="officers-heading">{t("reports.officers")}</h2>
            <FunnelTable
              nameHeader={t("reports.officer")}
              rows={officers.map((o) => ({ key: o.scopeKey, name: o.name, funnel: o }))}
            />
          </section>
        </>
      )}
    </main>
  );
}
