import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getT } from "~/i18n/index.server";
import { CATEGORIES } from "~/listings";
import { ProductCard } from "~/listings/ProductCard";
import { listInSeasonListings } from "~/listings/index.server";
import { StallGrid } from "~/stalls/StallCard";
import { listPublishedStalls, type PublicStall } from "~/stalls/index.server";
import { db } from "~/utils/db.server";

export const handle = { i18n: ["common", "listings"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title ?? "Gian Hàng Số" },
  { name: "description", content: data?.description ?? "" },
];

/** Stalls under their commune, communes in the order their first stall came (newest first). */
function byCommune(stalls: PublicStall[]) {
  const groups = new Map<string, { code: string; commune: string; province: string; stalls: PublicStall[] }>();
  for (const stall of stalls) {
    const group = groups.get(stall.communeCode) ?? {
      code: stall.communeCode,
      commune: stall.communeName,
      province: stall.provinceName,
      stalls: [],
    };
    group.stalls.push(stall);
    groups.set(stall.communeCode, group);
  }
  return [...groups.values()];
}

export async function loader({ request }: LoaderFunctionArgs) {
  const [t, stalls, inSeason] = await Promise.all([
    getT(request),
    listPublishedStalls(db, { limit: 24 }),
    listInSeasonListings(db, { limit: 8 }),
  ]);
  return {
    communes: byCommune(stalls),
    stallCount: stalls.length,
    inSeason,
    title: t("home.title"),
    description: t("home.lead"),
  };
}

export default function Home() {
  const { communes, stallCount, inSeason } = useLoaderData<typeof loader>();
  const { t } = useTranslation(["common", "listings"]);
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
      <nav aria-labelledby="categories-heading" className="stack">
        <h2 id="categories-heading">{t("home.categoriesHeading")}</h2>
        <ul className="chips list-plain">
          {CATEGORIES.map((code) => (
            <li key={code}>
              <Link className="chip" to={`/search?category=${code}`}>
                {t(`listings:categories.${code}`)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {inSeason.length > 0 ? (
        <section aria-labelledby="season-heading" className="stack">
          <h2 id="season-heading">{t("home.inSeasonHeading")}</h2>
          <ul className="grid">
            {inSeason.map((product) => (
              <li key={product.id}>
                <ProductCard stallSlug={product.stallSlug} product={{ ...product, inSeason: true }} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="stalls-heading" className="stack">
        <h2 id="stalls-heading">
          {t("home.stallsHeading")} <span className="muted">({t("home.stallsCount", { count: stallCount })})</span>
        </h2>
        {communes.length === 0 ? <p>{t("home.noStalls")}</p> : null}
        {communes.map((group) => (
          <section key={group.code} aria-labelledby={`commune-${group.code}`} className="stack">
            <h3 id={`commune-${group.code}`}>
              <Link to={`/search?commune=${group.code}`}>{group.commune}</Link>{" "}
              <span className="muted">· {group.province}</span>
            </h3>
            <StallGrid stalls={group.stalls} />
          </section>
        ))}
      </section>
    </main>
  );
}
