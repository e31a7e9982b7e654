import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FunnelTable, ProgressFunnel, SalesCharts } from "~/officers/ProgressViews";
import { officerProgress, requireOfficer } from "~/officers/index.server";
import { getT } from "~/i18n/index.server";
import { db } from "~/utils/db.server";
import { formatDateTime } from "~/utils/format";
import { pageTitle } from "~/utils/page-title";

/**
 * /officer/progress: the funnel of the officer's communes and of the
 * households they registered, orders and sales per month, as SVG charts drawn
 * here (no JavaScript), a table per commune, and the CSV and XLSX downloads.
 * Read from the rollups only (ADR 027).
 */
export const handle = { i18n: ["common", "officers"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request }: LoaderFunctionArgs) {
  const officer = await requireOfficer(request);
  const [t, progress] = await Promise.all([getT(request, "officers"), officerProgress(db, officer.id)]);
  return { title: pageTitle(t("progress.title")), ...progress };
}

export default function OfficerProgress() {
  const { communes, total, mine, months, computedAt } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("officers");
  return (
    <main className="page stack">
      <h1>{t("progress.title")}</h1>
      <p className="muted">
        {computedAt
          ? t("progress.computedAt", { when: formatDateTime(computedAt, i18n.language) })
          : t("progress.neverComputed")}
      </p>
      <p className="button-row">
        <a className="btn btn-small" href="/officer/progress.csv" download>
          {t("progress.csv")}
        </a>
        <a className="btn btn-small" href="/officer/progress.xlsx" download>
          {t("progress.xlsx")}
        </a>
      </p>
      <section className="stack" aria-labelledby="all-heading">
        <h2 id="all-heading">{t("progress.allCommunes")}</h2>
        <ProgressFunnel id="funnel-all" scope={t("progress.allCommunes")} funnel={total} />
        <SalesCharts id="sales-all" scope={t("progress.allCommunes")} months={months} />
      </section>
      <section className="stack" aria-labelledby="mine-heading">
        <h2 id="mine-heading">{t("progress.mine")}</h2>
        <ProgressFunnel id="funnel-mine" scope={t("progress.mine")} funnel={mine} />
      </section>
      <section className="stack" aria-labelledby="communes-heading">
        <h2 id="communes-heading">{t("progress.communes")}</h2>
        <FunnelTable
          nameHeader={t("progress.commune")}
          rows={[
            ...communes.map((c) => ({ key: c.scopeKey, name: c.name, funnel: c })),
            { key: "total", name: t("progress.total"), funnel: total },
            { key: "mine", name: t("progress.mine"), funnel: mine },
          ]}
        />
      </section>
    </main>
  );
}
