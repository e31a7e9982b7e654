import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { listCommunes, listProvinces } from "~/admin-units/index.server";
import { SEARCH_SORTS, searchHref } from "~/catalog";
import { searchListings, searchSuggestions, parseSearchParams } from "~/catalog/index.server";
import { getT } from "~/i18n/index.server";
import { CATEGORIES, CERTIFICATION_TYPES, todayInVietnam } from "~/listings";
import { ProductCard } from "~/listings/ProductCard";
import { StallGrid } from "~/stalls/StallCard";
import { searchStalls } from "~/stalls/index.server";
import { db } from "~/utils/db.server";
import { pageTitle } from "~/utils/page-title";

export const handle = { i18n: ["common", "listings"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title ?? "Gian Hàng Số" },
  { name: "description", content: data?.description ?? "" },
];

/** Cards whose photos load at once: the first row on a tablet. */
const FIRST_ROW = 2;

/** Buyer search, `/search?q=&category=&province=&commune=` (+ cert, season, min, max, sort, after). */
export async function loader({ request }: LoaderFunctionArgs) {
  const today = todayInVietnam();
  const { params, problems } = parseSearchParams(new URL(request.url).searchParams);
  const [t, page, stalls, provinces, communes] = await Promise.all([
    getT(request),
    searchListings(db, params, { today }),
    // Stalls only on the first page: they are a side note to the products.
    params.q && !params.after ? searchStalls(db, params.q, { limit: 6 }) : Promise.resolve([]),
    listProvinces(db),
    params.province ? listCommunes(db, params.province) : Promise.resolve([]),
  ]);
  const empty = page.items.length === 0 && !params.after;
  const suggestions = empty ? await searchSuggestions(db, { today }) : null;
  return {
    params,
    problems,
    items: page.items,
    nextHref: page.next ? searchHref(params, page.next) : null,
    stalls,
    empty,
    suggestions,
    provinces: provinces.map((p) => ({ code: p.code, name: p.name })),
    communes: communes.map((c) => ({ code: c.code, name: c.name })),
    title: pageTitle(params.q ? t("search.resultsFor", { q: params.q }) : t("search.title")),
    description: params.q ? t("search.descriptionFor", { q: params.q }) : t("search.description"),
  };
}

export default function Search() {
  const { params, problems, items, nextHref, stalls, empty, suggestions, provinces, communes } =
    useLoaderData<typeof loader>();
  const { t } = useTranslation(["common", "listings"]);
  return (
    <main className="page stack">
      <h1>{params.q ? t("search.resultsFor", { q: params.q }) : t("search.title")}</h1>
      <Form method="get" action="/search" className="search-form stack" role="search">
        <label className="field">
          <span>{t("search.queryLabel")}</span>
          <input type="search" name="q" defaultValue={params.q} maxLength={100} placeholder={t("search.placeholder")} />
        </label>
        <details className="search-filters" open={Boolean(params.category || params.province || params.cert)}>
          <summary>{t("search.filters")}</summary>
          <div className="search-filters__grid">
            <label className="field">
              <span>{t("search.category")}</span>
              <select name="category" defaultValue={params.category ?? ""}>
                <option value="">{t("search.any")}</option>
                {CATEGORIES.map((c) => (
                  <option key={c} value={c}>
                    {t(`listings:categories.${c}`)}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>{t("search.province")}</span>
              <select name="province" defaultValue={params.province ?? ""}>
                <option value="">{t("search.any")}</option>
                {provinces.map((p) => (
                  <option key={p.code} value={p.code}>
                    {p.name}
                  </option>
                ))}
              </select>
            </label>
            {communes.length > 0 ? (
              <label className="field">
                <span>{t("search.commune")}</span>
                <select name="commune" defaultValue={params.commune ?? ""}>
                  <option value="">{t("search.any")}</option>
                  {communes.map((c) => (
                    <option key={c.code} value={c.code}>
                      {c.name}
                    </option>
                  ))}
                </select>
              </label>
            ) : null}
            <label className="field">
              <span>{t("search.cert")}</span>
              <select name="cert" defaultValue={params.cert ?? ""}>
                <option value="">{t("search.any")}</option>
                {CERTIFICATION_TYPES.map((c) => (
                  <option key={c} value={c}>
                    {t(`listings:certifications.${c}`)}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>{t("search.min")}</span>
              <input name="min" inputMode="numeric" defaultValue={params.min ?? ""} />
            </label>
            <label className="field">
              <span>{t("search.max")}</span>
              <input name="max" inputMode="numeric" defaultValue={params.max ?? ""} />
            </label>
            <label className="field">
              <span>{t("search.sort")}</span>
              <select name="sort" defaultValue={params.sort}>
                {SEARCH_SORTS.map((s) => (
                  <option key={s} value={s}>
                    {t(`search.sorts.${s}`)}
                  </option>
                ))}
              </select>
            </label>
            <label className="search-filters__check">
              <input type="checkbox" name="season" value="1" defaultChecked={params.season} />
              {t("search.season")}
            </label>
          </div>
        </details>
        <button type="submit" className="btn btn-primary">
          {t("search.submit")}
        </button>
      </Form>

      {problems.length > 0 ? (
        <ul className="search-problems" role="alert">
          {problems.map((p) => (
            <li key={p}>{t(`search.problems.${p}`)}</li>
          ))}
        </ul>
      ) : null}

      {empty ? (
        <section className="stack search-empty" aria-labelledby="search-empty">
          <p id="search-empty" role="status">
            {params.q ? t("search.empty", { q: params.q }) : t("search.emptyFilters")}
          </p>
          {suggestions && suggestions.categories.length > 0 ? (
            <>
              <h2>{t("search.suggestCategories")}</h2>
              <ul className="search-chips">
                {suggestions.categories.map((c) => (
                  <li key={c.code}>
                    <Link to={searchHref({ category: c.code })}>
                      {t(`listings:categories.${c.code}`)} ({c.count})
                    </Link>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {suggestions && suggestions.inSeason.length > 0 ? (
            <>
              <h2>{t("search.suggestInSeason")}</h2>
              <ul className="grid">
                {suggestions.inSeason.map((p) => (
                  <li key={p.id}>
                    <ProductCard stallSlug={p.stallSlug} product={p} />
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      ) : (
        <section aria-labelledby="product-results" className="stack">
          <h2 id="product-results">{t("search.productsHeading")}</h2>
          <ul className="grid">
            {items.map((p, i) => (
              <li key={p.id}>
                <ProductCard stallSlug={p.stallSlug} product={p} loading={i < FIRST_ROW ? "eager" : "lazy"} />
                <p className="muted search-stall">
                  <Link to={`/s/${p.stallSlug}`}>{p.stallName}</Link>
                </p>
              </li>
            ))}
          </ul>
          {nextHref ? (
            <p>
              <Link to={nextHref} className="btn" rel="next">
                {t("search.more")}
              </Link>
            </p>
          ) : null}
        </section>
      )}

      {stalls.length > 0 ? (
        <section aria-labelledby="stall-results" className="stack search-stalls">
          <h2 id="stall-results">{t("search.stallsHeading")}</h2>
          <StallGrid stalls={stalls} />
        </section>
      ) : null}
    </main>
  );
}
