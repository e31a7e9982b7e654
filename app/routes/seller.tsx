import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { OfflineQueue } from "~/offline/OfflineQueue";
import { SETUP_PATH } from "~/onboarding";
import { requireActingStall } from "~/stalls/index.server";
import { useActingPath } from "~/utils/acting-paths";

export const handle = { i18n: ["common", "seller", "listings", "orders", "offline"], hydrate: true };

export const meta: MetaFunction = () => [{ name: "robots", content: "noindex" }];

/**
 * The seller's area: a tab bar over their stall's pages. Someone without a
 * household or stall yet has nothing to manage here: the wizard opens one.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { stall, user } = await requireActingStall(request, { noStallRedirect: SETUP_PATH });
  // The phone's queue keeps only this user's work (a shared phone never sends another's).
  return { stall: { slug: stall.slug, status: stall.status }, userId: user.id };
}

export default function SellerLayout() {
  const { stall, userId } = useLoaderData<typeof loader>();
  const { t } = useTranslation(["seller", "orders"]);
  const to = useActingPath();
  return (
    <>
      <nav className="seller-nav" aria-label={t("nav.label")}>
        <NavLink to={to("/seller")} end>
          {t("nav.overview")}
        </NavLink>
        <NavLink to={to("/seller/listings")} end>
          {t("nav.listings")}
        </NavLink>
        <NavLink to={to("/seller/listings/new")}>{t("nav.newListing")}</NavLink>
        <NavLink to={to("/seller/orders")}>{t("nav.sellerTab", { ns: "orders" })}</NavLink>
        {stall.status === "published" ? <NavLink to={`/s/${stall.slug}`}>{t("nav.viewStall")}</NavLink> : null}
      </nav>
      <OfflineQueue userId={userId}>
        <Outlet />
      </OfflineQueue>
    </>
  );
}
