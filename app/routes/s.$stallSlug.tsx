import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getLocale, getT } from "~/i18n/index.server";
import { todayInVietnam } from "~/listings";
import { ProductBadges, ProductCard } from "~/listings/ProductCard";
import { Picture } from "~/media/Picture";
import { mediaBaseUrl } from "~/media/index.server";
import {
  clip,
  socialImage,
  socialMeta,
  isInSeason,
  stallCertifications,
  absoluteUrl,
  itemListJsonLd,
  stallPath,
  storeJsonLd,
} from "~/stalls";
import { BuyingTerms } from "~/stalls/BuyingTerms";
import { ContactLinks } from "~/stalls/ContactLinks";
import { ShareLinks } from "~/stalls/ShareLinks";
import { publicOrigin, getStorefront } from "~/stalls/index.server";
import { db } from "~/utils/db.server";
import { pageTitle } from "~/utils/page-title";

export const handle = { i18n: ["common", "listings"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? socialMeta(data.card, data.jsonLd) : []);

/** Cards whose photos load at once: the first row on a tablet; a phone shows the first one only. */
const FIRST_ROW = 2;

/** The public stall page /s/:stallSlug (URL contract: printed QR codes point here). */
export async function loader({ params, request }: LoaderFunctionArgs) {
  const today = todayInVietnam();
  const [storefront, t, language] = await Promise.all([
    params.stallSlug ? getStorefront(db, params.stallSlug, today) : null,
    getT(request, "common"),
    getLocale(request),
  ]);
  if (!storefront) throw new Response("Not found", { status: 404 });
  const { stall, products: listed } = storefront;
  const products = listed.map((p) => ({ ...p, inSeason: isInSeason(p, today) }));
  const site = { origin: publicOrigin(request), mediaBaseUrl: mediaBaseUrl() };
  const url = absoluteUrl(stallPath(stall.slug), site);
  const place = t("stall.location", { commune: stall.communeName, province: stall.provinceName });
  const cardPhoto = stall.banner ?? products.find((p) => p.cover)?.cover ?? null;
  return {
    stall,
    products,
    certifications: stallCertifications(products),
    url,
    card: {
      title: pageTitle(stall.name),
      description: clip(
        stall.description || t("storefront.metaDescription", { name: stall.name, owner: stall.ownerName, place }),
      ),
      url,
      type: "website" as const,
      language,
      image: cardPhoto ? socialImage(cardPhoto, site, stall.name) : null,
    },
    jsonLd: [storeJsonLd({ stall, products, site }), itemListJsonLd({ stall, products, site })],
  };
}

export default function StallPage() {
  const { stall, products, certifications, url } = useLoaderData<typeof loader>();
  const { t } = useTranslation(["common", "listings"]);
  return (
    <main className="page stack storefront">
      {stall.banner ? (
        <div className="storefront__banner">
          <Picture
            photo={stall.banner}
            alt={t("storefront.bannerAlt", { name: stall.name })}
            sizes="(min-width: 1024px) 1000px, 100vw"
            loading="eager"
            fetchPriority="high"
          />
        </div>
      ) : null}
      <header className="hero stack">
        <p className="muted">{t(`stall.${stall.householdKind}`)}</p>
        <h1>{stall.name}</h1>
        <p>
          {t("stall.by", { name: stall.ownerName })}
          <br />
          <span className="muted">
            {t("stall.location", { commune: stall.communeName, province: stall.provinceName })}
          </span>
        </p>
        {certifications.length > 0 ? <ProductBadges status="active" preorder={false} badges={certifications} /> : null}
        <ContactLinks phone={stall.phone} />
      </header>
      {stall.description ? <p className="storefront__about">{stall.description}</p> : null}
      <section aria-labelledby="products-heading" className="stack">
        <h2 id="products-heading">{t("listings:product.products")}</h2>
        {products.length === 0 ? (
          <p className="muted">{t("stall.productsSoon")}</p>
        ) : (
          <ul className="grid">
            {products.map((product, i) => (
              <li key={product.id}>
                <ProductCard
                  stallSlug={stall.slug}
                  product={product}
                  loading={i < FIRST_ROW ? "eager" : "lazy"}
                  // Without a banner, the first photo is what the page is judged by (LCP).
                  fetchPriority={i === 0 && !stall.banner ? "high" : undefined}
                />
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="how-to-buy" className="card stack">
        <h2 id="how-to-buy">{t("storefront.howToBuy")}</h2>
        <BuyingTerms stall={stall} />
      </section>
      <section aria-labelledby="share-heading" className="stack">
        <h2 id="share-heading">{t("storefront.share.heading")}</h2>
        <ShareLinks url={url} title={stall.name} />
      </section>
    </main>
  );
}
