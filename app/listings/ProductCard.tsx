import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Picture } from "~/media/picture";
import { formatVnd } from "~/utils/format";
import type { PublicListingCard } from "./listings.server";

/** A product in a grid: cover photo, title, price per unit, badges. */
export function ProductCard({ stallSlug, product }: { stallSlug: string; product: PublicListingCard }) {
  const { t, i18n } = useTranslation(["listings", "common"]);
  return (
    <Link to={`/s/${stallSlug}/${product.slug}`} className="card stall-card product-grid stack">
      {product.cover ? (
        <Picture
          photo={product.cover}
          alt={product.title}
          sizes="(min-width: 960px) 30vw, (min-width: 600px) 45vw, 90vw"
        />
      ) : null}
      <h3>{product.title}</h3>
      <p className="price" style={{ fontSize: "1.1rem" }}>
        {formatVnd(product.priceDong, i18n.language)}
        <span className="muted"> / {t(`units.${product.unit}`)}</span>
      </p>
      <ProductBadges status={product.status} preorder={product.preorder} badges={product.badges} />
    </Link>
  );
}

export function ProductBadges({
  status,
  preorder,
  badges,
}: {
  status: "active" | "sold_out";
  preorder: boolean;
  badges: { type: string; ocopStars: number | null }[];
}) {
  const { t } = useTranslation("listings");
  if (status !== "sold_out" && !preorder && badges.length === 0) return null;
  return (
    <ul className="badges">
      {status === "sold_out" ? <li className="badge">{t("statuses.sold_out")}</li> : null}
      {preorder ? <li className="badge">{t("badges.preorder")}</li> : null}
      {badges.map((b) => (
        <li key={b.type} className="badge">
          {t(`certifications.${b.type}`)}
          {b.ocopStars ? ` ${b.ocopStars}★` : ""}
        </li>
      ))}
    </ul>
  );
}
