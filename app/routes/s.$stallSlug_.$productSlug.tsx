import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getPublicListing } from "~/listings/listings.server";
import { ProductBadges } from "~/listings/ProductCard";
import { Picture, photoUrls } from "~/media/picture";
import { mediaBaseUrl } from "~/media/storage.server";
import { db } from "~/utils/db.server";
import { formatDate, formatVnd } from "~/utils/format";

export const handle = { i18n: ["common", "listings"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [];
  const { listing, stall } = data.product;
  return [
    { title: `${listing.title} – ${stall.name}` },
    { name: "description", content: listing.description.slice(0, 160) },
    { property: "og:title", content: listing.title },
    { property: "og:type", content: "product" },
    ...(data.ogImage ? [{ property: "og:image", content: data.ogImage }] : []),
    { "script:ld+json": data.jsonLd },
  ];
};

/** A product page: /s/:stallSlug/:productSlug (public URL contract). */
export async function loader({ params, request }: LoaderFunctionArgs) {
  const product = await getPublicListing(db, {
    stallSlug: params.stallSlug ?? "",
    productSlug: params.productSlug ?? "",
  });
  if (!product) throw new Response("Not found", { status: 404 });
  const origin = new URL(request.url).origin;
  const { listing, stall, photos } = product;
  const images = photos.map((p) => new URL(photoUrls(p, mediaBaseUrl()).largestJpeg, origin).toString());
  const jsonLd = {
    "@context": "https://schema.org",
    "@type": "Product",
    name: listing.title,
    description: listing.description || undefined,
    image: images,
    url: `${origin}/s/${stall.slug}/${listing.slug}`,
    brand: { "@type": "Brand", name: stall.name },
    offers: {
      "@type": "Offer",
      price: listing.priceDong,
      priceCurrency: "VND",
      availability:
        listing.status === "sold_out"
          ? "https://schema.org/OutOfStock"
          : listing.preorder
            ? "https://schema.org/PreOrder"
            : "https://schema.org/InStock",
      seller: { "@type": "Organization", name: stall.name },
    },
  };
  return { product, jsonLd, ogImage: images[0] ?? null };
}

export default function ProductPage() {
  const { product } = useLoaderData<typeof loader>();
  const { listing, stall, photos, certifications } = product;
  const { t, i18n } = useTranslation(["listings", "common"]);
  const unit = t(`units.${listing.unit}`);
  return (
    <main className="page stack">
      {photos.length > 0 ? (
        <ul className="gallery" aria-label={t("product.photos")}>
          {photos.map((photo, i) => (
            <li key={photo.mediaId}>
              <Picture
                photo={photo}
                alt={photo.alt || `${listing.title} (${i + 1}/${photos.length})`}
                sizes="(min-width: 600px) 60vw, 88vw"
                loading={i === 0 ? "eager" : "lazy"}
                fetchPriority={i === 0 ? "high" : undefined}
              />
            </li>
          ))}
        </ul>
      ) : null}
      <h1>{listing.title}</h1>
      <p className="price">
        {formatVnd(listing.priceDong, i18n.language)} <span className="muted">/ {unit}</span>
      </p>
      <ProductBadges
        status={listing.status}
        preorder={listing.preorder}
        badges={certifications.map((c) => ({ type: c.type, ocopStars: c.ocopStars }))}
      />
      <ul className="list-plain muted">
        <li>
          {listing.madeToOrder
            ? t("product.madeToOrder")
            : listing.status === "sold_out"
              ? t("statuses.sold_out")
              : t("product.inStock", { count: listing.stockQty, unit })}
        </li>
        {listing.minOrderQty > 1 ? <li>{t("product.minOrder", { count: listing.minOrderQty, unit })}</li> : null}
        {listing.availableFrom || listing.availableUntil ? (
          <li>
            {t("product.season", {
              from: listing.availableFrom ? formatDate(listing.availableFrom, i18n.language) : "…",
              until: listing.availableUntil ? formatDate(listing.availableUntil, i18n.language) : "…",
            })}
          </li>
        ) : null}
      </ul>
      {listing.description ? <p style={{ whiteSpace: "pre-line" }}>{listing.description}</p> : null}
      {certifications.length > 0 ? (
        <section aria-labelledby="certs" className="stack">
          <h2 id="certs">{t("product.certifications")}</h2>
          <ul className="list-plain">
            {certifications.map((c) => (
              <li key={`${c.type}-${c.number}`}>
                <strong>
                  {t(`certifications.${c.type}`)}
                  {c.ocopStars ? ` ${c.ocopStars}★` : ""}
                </strong>{" "}
                {t("product.certificate", {
                  number: c.number,
                  issuer: c.issuer || "–",
                  until: formatDate(c.validUntil, i18n.language),
                })}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <Link to={`/s/${stall.slug}`} className="card stall-card">
        <h2>{stall.name}</h2>
        <p className="muted">
          {t("common:stall.location", { commune: stall.communeName, province: stall.provinceName })}
        </p>
      </Link>
    </main>
  );
}
