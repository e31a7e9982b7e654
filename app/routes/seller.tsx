import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/auth/session.server";
import { getSellerStall } from "~/stalls/ownership.server";
import { db } from "~/utils/db.server";

export const handle = { i18n: ["common", "seller", "listings"] };

export const meta: MetaFunction = () => [{ name: "robots", content: "noindex" }];

/** The seller's area: a tab bar over their stall's pages. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const stall = await getSellerStall(db, user.id);
  return { stall: stall ? { slug: stall.slug, name: stall.name, status: stall.status } : null };
}

export default function SellerLayout() {
  const { stall } = useLoaderData<typeof loader>();
  const { t } = useTranslation("seller");
  if (!stall) {
    return (
      <main className="page stack">
        <h1>{t("noStall.title")}</h1>
        <p>{t("noStall.body")}</p>
      </main>
    );
  }
  return (
    <>
      <nav className="seller-nav" aria-label={t("nav.label")}>
        <NavLink to="/seller/listings" end>
          {t("nav.listings")}
        </NavLink>
        <NavLink to="/seller/listings/new">{t("nav.newListing")}</NavLink>
        {stall.status === "published" ? <NavLink to={`/s/${stall.slug}`}>{t("nav.viewStall")}</NavLink> : null}
      </nav>
      <Outlet />
    </>
  );
}
