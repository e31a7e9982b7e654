import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { StallGrid } from "~/stalls/StallCard";
import { listPublishedStalls } from "~/stalls/stalls.server";
import { getT } from "~/i18n/i18n.server";
import { db } from "~/utils/db.server";

export const handle = { i18n: ["common"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title ?? "Gian Hàng Số" },
  { name: "description", content: data?.description ?? "" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const [t, stalls] = await Promise.all([getT(request), listPublishedStalls(db, { limit: 24 })]);
  return { stalls, title: t("home.title"), description: t("home.lead") };
}

export default function Home() {
  const { stalls } = useLoaderData<typeof loader>();
  const { t } = useTranslation("common");
  return (
    <main className="page stack">
      <section className="hero stack" aria-labelledby="home-headline">
        <h1 id="home-headline">{t("home.headline")}</h1>
        <p>{t("home.lead")}</p>
        <p>
          <Link className="btn btn-primary" to="/signup?role=farmer">
            {t("home.sellCta")}
          </Link>
        </p>
      </section>
      <section aria-labelledby="stalls-heading" className="stack">
        <h2 id="stalls-heading">
          {t("home.stallsHeading")} <span className="muted">({t("home.stallsCount", { count: stalls.length })})</span>
        </h2>
        {stalls.length === 0 ? <p>{t("home.noStalls")}</p> : <StallGrid stalls={stalls} />}
      </section>
    </main>
  );
}
