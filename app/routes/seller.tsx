import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { SELLER_MANIFEST } from "~/offline";
import { OfflineBanner } from "~/offline/OfflineBanner";
import { OfflineQueue } from "~/offline/OfflineQueue";
import { SETUP_PATH } from "~/onboarding";
import { requireActingStall } from "~/stalls/index.server";
import { useActingPath } from "~/utils/acting-paths";
import type { RouteHandle } from "~/utils/route-handle";

// "offline": the banner without signal, the seller app's notices and the queue (ADRs 030–031); `manifest`: the seller app's.
export const handle: RouteHandle = {
  i18n: ["common", "seller", "listings", "orders", "offline"],
  hydrate: true,
  manifest: SELLER_MANIFEST,
};

export const meta: MetaFunction = () => [{ name: "robots", content: "noindex" }];

/**
 * The seller's area: a tab bar over their stall's pages. Someone without a
 * household or stall yet has nothing to manage here: the wizard opens one.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { stall, user, actor, householdIdInUrl } = await requireActingStall(request, { noStallRedirect: SETUP_PATH });
  // When the server made the page: a copy kept on the phone shows it as the time of its figures.
  // Whose page it is: the phone's queue keeps only this user's work (a shared phone never sends
  // another's), and the seller app's worker keeps the owner's own pages only (ADR 031).
  return {
    stall: { slug: stall.slug, status: stall.status },
    renderedAt: new Date().toISOString(),
    userId: user.id,
    appUserId: householdIdInUrl ? null : actor.userId,
  };
}

export default function SellerLayout() {
  const { stall, renderedAt, userId, appUserId } = useLoaderData<typeof loader>();
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
      <OfflineBanner renderedAt={renderedAt} userId={appUserId} />
      <OfflineQueue userId={userId}>
        <Outlet />
      </OfflineQueue>
    </>
  );
}
