import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Picture } from "~/media/Picture";
import { formatVnd } from "~/utils/format";
import type { PublicListingCard } from "./listings.server";

/**
 * How wide the card's photo is drawn: the grid's column (1, 2 or 3 in a page of
 * at most 64rem) less the page's and the card's padding (about 3.5rem), so a
 * phone picks the 640 px file rather than the 1280 px one.
 */
const CARD_SIZES =
  "(min-width: 1040px) 300px, (min-width: 960px) calc(33vw - 3rem), (min-width: 600px) calc(50vw - 3rem), calc(100vw - 3.5rem)";

/**
 * A product in a grid: cover photo, title, price per unit, badges.
 * `loading="eager"` only for the first row: the photos a phone shows without scrolling.
 */
export function ProductCard({
  stallSlug,
  product,
  loading = "lazy",
  fetchPriority,
}: {
  stallSlug: string;
  product: PublicListingCard & { inSeason?: boolean };
  loading?: "lazy" | "eager";
  fetchPriority?: "high";
}) {
  const { t, i18n } = useTranslation(["listings", "common"]);
  return (
    <Link to={`/s/${stallSlug}/${product.slug}`} className="card stall-card product-grid stack">
      {product.cover ? (
        <Picture
          photo={product.cover}
          alt={product.cover.alt || product.title}
          sizes={CARD_SIZES}
          loading={loading}
          fetchPriority={fetchPriority}
        />
      ) : null}
      <h3>{product.title}</h3>
      <p className="price" style={{ fontSize: "1.1rem" }}>
        {formatVnd(product.priceDong, i18n.language)}
        <span className="muted"> / {t(`units.${product.unit}`)}</span>
      </p>
      <ProductBadges
        status={product.status}
        preorder={product.preorder}
        inSeason={product.inSeason}
        badges={product.badges}
      />
    </Link>
  );
}

export function ProductBadges({
  status,
  preorder,
  inSeason = false,
  badges,
}: {
  status: "active" | "sold_out";
  preorder: boolean;
  /** Today is inside the harvest window (computed by the loader, in Vietnam's calendar). */
  inSeason?: boolean;
  badges: { type: string; ocopStars: number | null }[];
}) {
  const { t } = useTranslation("listings");
  if (status !== "sold_out" && !preorder && !inSeason && badges.length === 0) return null;
  return (
    <ul className="badges">
      {status === "sold_out" ? <li className="badge badge--sold-out">{t("statuses.sold_out")}</li> : null}
      {inSeason ? <li className="badge badge--season">{t("badges.inSeason")}</li> : null}
      {preorder ? <li className="badge badge--preorder">{t("badges.preorder")}</li> : null}
      {badges.map((b) => (
        <li key={`${b.type}-${b.ocopStars ?? ""}`} className="badge">
          {t(`certifications.${b.type}`)}
          {b.ocopStars ? ` ${b.ocopStars}★` : ""}
        </li>
      ))}
    </ul>
  );
}
