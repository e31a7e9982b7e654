import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getLocale, getT } from "~/i18n/index.server";
import { todayInVietnam } from "~/listings";
import { ProductBadges } from "~/listings/ProductCard";
import { Picture } from "~/media/Picture";
import { mediaBaseUrl } from "~/media/index.server";
import { clip, socialImage, socialMeta, isInSeason, absoluteUrl, productJsonLd, productPath } from "~/stalls";
import { BuyingTerms } from "~/stalls/BuyingTerms";
import { ContactLinks } from "~/stalls/ContactLinks";
import { ShareLinks } from "~/stalls/ShareLinks";
import { StallCard } from "~/stalls/StallCard";
import { publicOrigin, getPublicListing, type PublicListing } from "~/stalls/index.server";
import { db } from "~/utils/db.server";
import { formatDate, formatVnd } from "~/utils/format";

export const handle = { i18n: ["common", "listings"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? socialMeta(data.card, [data.jsonLd]) : []);

/**
 * Online ordering opens with the orders capability (its /cart route takes this
 * form's POST). Until then the form is shown, disabled, with the farmer's
 * phone and Zalo as the way to order.
 */
const ONLINE_ORDERING = true;

/** A product page: /s/:stallSlug/:productSlug (public URL contract). */
export async function loader({ params, request }: LoaderFunctionArgs) {
  const today = todayInVietnam();
  const product = await getPublicListing(db, {
    stallSlug: params.stallSlug ?? "",
    productSlug: params.productSlug ?? "",
    today,
  });
  if (!product) throw new Response("Not found", { status: 404 });
  const [t, language] = await Promise.all([getT(request, ["listings", "common"]), getLocale(request)]);
  const { listing, stall, photos } = product;
  const site = { origin: publicOrigin(request), mediaBaseUrl: mediaBaseUrl() };
  const url = absoluteUrl(productPath(stall.slug, listing.slug), site);
  const unit = t(`units.${listing.unit}`);
  const cardPhoto = photos[0] ?? stall.banner;
  return {
    product,
    inSeason: isInSeason(listing, today),
    url,
    card: {
      title: `${listing.title} – ${stall.name}`,
      description: clip(
        listing.description ||
          t("common:storefront.productMetaDescription", {
            title: listing.title,
            price: formatVnd(listing.priceDong, language),
            unit,
            stall: stall.name,
            place: t("common:stall.location", { commune: stall.communeName, province: stall.provinceName }),
          }),
      ),
      url,
      type: "product" as const,
      language,
      image: cardPhoto ? socialImage(cardPhoto, site, photos[0]?.alt || listing.title) : null,
      // Facebook reads the price of an og:type "product" from these.
      extra: [
        { property: "product:price:amount", content: String(listing.priceDong) },
        { property: "product:price:currency", content: "VND" },
      ],
    },
    jsonLd: productJsonLd({
      product,
      site,
      today,
      unitText: unit,
      category: t(`categories.${listing.category}`),
    }),
  };
}

export default function ProductPage() {
  const { product, inSeason, url } = useLoaderData<typeof loader>();
  const { listing, stall, photos, certifications } = product;
  const { t, i18n } = useTranslation(["listings", "common"]);
  const unit = t(`units.${listing.unit}`);
  return (
    <main className="page stack product-page">
      <nav aria-label={t("common:storefront.breadcrumb")}>
        <Link to={`/s/${stall.slug}`} className="back-link">
          <span aria-hidden="true">←</span>
          {stall.name}
        </Link>
      </nav>
      {photos.length > 0 ? (
        <ul className="gallery" aria-label={t("product.photos")}>
          {photos.map((photo, i) => (
            <li key={photo.mediaId}>
              <Picture
                photo={photo}
                alt={photo.alt || `${listing.title} (${i + 1}/${photos.length})`}
                sizes="(min-width: 800px) 460px, (min-width: 600px) 60vw, 88vw"
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
        inSeason={inSeason}
        badges={certifications.map((c) => ({ type: c.type, ocopStars: c.ocopStars }))}
      />
      <ul className="list-plain muted">
        <li>
          {listing.madeToOrder
            ? t("product.madeToOrder")
            : listing.status === "sold_out"
              ? t("statuses.sold_out")
              : listing.stockQty > 0 || !listing.availableFrom
                ? t("product.inStock", { count: listing.stockQty, unit })
                : t("common:storefront.preorderFrom", { date: formatDate(listing.availableFrom, i18n.language) })}
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
      <AddToCart listing={listing} unit={unit} phone={stall.phone} />
      {listing.description ? <p className="product-page__description">{listing.description}</p> : null}
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
      <section aria-labelledby="seller-heading" className="stack">
        <h2 id="seller-heading">{t("common:storefront.seller")}</h2>
        <StallCard stall={stall} />
        <BuyingTerms stall={stall} />
      </section>
      <section aria-labelledby="share-heading" className="stack">
        <h2 id="share-heading">{t("common:storefront.share.productHeading")}</h2>
        <ShareLinks url={url} title={listing.title} />
      </section>
    </main>
  );
}

/**
 * The buy box. A real form (listingId + quantity, POST /cart) so the orders
 * capability only has to add the route and turn ONLINE_ORDERING on.
 */
function AddToCart({
  listing,
  unit,
  phone,
}: {
  listing: Pick<PublicListing["listing"], "id" | "status" | "minOrderQty" | "madeToOrder" | "preorder" | "stockQty">;
  unit: string;
  phone: string | null;
}) {
  const { t } = useTranslation("common");
  if (listing.status === "sold_out") {
    return (
      <div className="card stack buy-box">
        <p className="buy-box__sold-out">{t("storefront.cart.soldOut")}</p>
        <p>{t("storefront.cart.soldOutHint")}</p>
        <ContactLinks phone={phone} />
      </div>
    );
  }
  // Only plain stock caps the quantity; made-to-order and pre-order amounts are the farmer's to confirm.
  const max = listing.madeToOrder || listing.preorder ? undefined : listing.stockQty;
  return (
    <Form method="post" action="/cart" className="card stack buy-box">
      <div className="field">
        <label htmlFor="quantity">{t("storefront.cart.quantity", { unit })}</label>
        <input
          id="quantity"
          name="quantity"
          type="number"
          inputMode="numeric"
          min={listing.minOrderQty}
          max={max}
          step={1}
          defaultValue={listing.minOrderQty}
          required
        />
      </div>
      <button
        type="submit"
        className="btn btn-primary btn-block"
        disabled={!ONLINE_ORDERING}
        aria-describedby={ONLINE_ORDERING ? undefined : "ordering-soon"}
      >
        {t("storefront.cart.add")}
      </button>
      {ONLINE_ORDERING ? null : (
        <p id="ordering-soon" className="buy-box__note">
          {t("storefront.cart.soon")}
        </p>
      )}
      <ContactLinks phone={phone} />
      {/* Last: a hidden first child would still push the first visible one down (.stack). */}
      <input type="hidden" name="listingId" value={listing.id} />
      <input type="hidden" name="intent" value="add" />
    </Form>
  );
}
