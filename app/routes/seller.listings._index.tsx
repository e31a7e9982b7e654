import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getT } from "~/i18n/index.server";
import { listStallListings } from "~/listings/index.server";
import { Picture } from "~/media/Picture";
import { requireActingStall } from "~/stalls/index.server";
import { db } from "~/utils/db.server";
import { formatVnd } from "~/utils/format";
import { pageTitle } from "~/utils/page-title";
import { useActingPath } from "~/utils/acting-paths";

export const handle = { i18n: ["common", "seller", "listings"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { stall } = await requireActingStall(request);
  const [t, listings] = await Promise.all([getT(request, "seller"), listStallListings(db, stall.id)]);
  return { listings, title: pageTitle(t("listings.title")) };
}

export default function SellerListings() {
  const { listings } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation(["seller", "listings"]);
  const to = useActingPath();
  return (
    <main className="page stack">
      <div className="button-row" style={{ justifyContent: "space-between", alignItems: "center" }}>
        <h1>{t("listings.heading")}</h1>
        <Link to={to("/seller/listings/new")} className="btn btn-primary">
          {t("nav.newListing")}
        </Link>
      </div>
      {listings.length === 0 ? (
        <p>{t("listings.empty")}</p>
      ) : (
        <ul className="list-plain">
          {listings.map((l) => {
            const unit = t(`units.${l.unit}`, { ns: "listings" });
            return (
              <li key={l.id} className="card">
                <Link to={to(`/seller/listings/${l.id}`)} className="listing-row">
                  <span className="listing-row__thumb">
                    {l.cover ? <Picture photo={l.cover} alt="" sizes="72px" /> : null}
                  </span>
                  <span className="tight">
                    <h3>{l.title}</h3>
                    <p>{t("listings.pricePerUnit", { price: formatVnd(l.priceDong, i18n.language), unit })}</p>
                    <p className="muted">
                      {l.madeToOrder ? t("listings.madeToOrder") : t("listings.stock", { count: l.stockQty, unit })}
                      {" · "}
                      {l.photoCount > 0 ? t("listings.photoCount", { count: l.photoCount }) : t("listings.noPhoto")}
                    </p>
                    <p>
                      <span className={`status-badge status-badge--${l.status}`}>
                        {t(`statuses.${l.status}`, { ns: "listings" })}
                      </span>
                    </p>
                  </span>
                </Link>
              </li>
            );
          })}
        </ul>
      )}
    </main>
  );
}
