import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { listPublicStallListings } from "~/listings/listings.server";
import { ProductCard } from "~/listings/ProductCard";
import { getPublishedStall } from "~/stalls/stalls.server";
import { db } from "~/utils/db.server";

export const handle = { i18n: ["common", "listings"] };

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? [{ title: `${data.stall.name} – Gian Hàng Số` }, { name: "description", content: data.stall.description }]
    : [];

/** The public stall page (its full storefront lands with the onboarding capability). */
export async function loader({ params }: LoaderFunctionArgs) {
  const stall = params.stallSlug ? await getPublishedStall(db, params.stallSlug) : null;
  if (!stall) throw new Response("Not found", { status: 404 });
  const products = await listPublicStallListings(db, stall.id);
  return { stall, products };
}

export default function StallPage() {
  const { stall, products } = useLoaderData<typeof loader>();
  const { t } = useTranslation(["common", "listings"]);
  return (
    <main className="page stack">
      <header className="hero stack">
        <p className="muted">{t(`stall.${stall.householdKind}`)}</p>
        <h1>{stall.name}</h1>
        <p>{t("stall.by", { name: stall.ownerName })}</p>
        <p className="muted">{t("stall.location", { commune: stall.communeName, province: stall.provinceName })}</p>
      </header>
      {stall.description ? <p>{stall.description}</p> : null}
      <section aria-labelledby="products-heading" className="stack">
        <h2 id="products-heading">{t("listings:product.products")}</h2>
        {products.length === 0 ? (
          <p className="muted">{t("stall.productsSoon")}</p>
        ) : (
          <ul className="grid">
            {products.map((product) => (
              <li key={product.id}>
                <ProductCard stallSlug={stall.slug} product={product} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </main>
  );
}
