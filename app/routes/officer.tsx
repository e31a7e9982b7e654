import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { NavLink, Outlet } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireOfficer } from "~/officers/index.server";

/** The officer's workspace: a tab bar over their communes' households, roster import, progress and exports. */
export const handle = { i18n: ["common", "officers"], hydrate: true };

export const meta: MetaFunction = () => [{ name: "robots", content: "noindex" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireOfficer(request);
  return null;
}

export default function OfficerLayout() {
  const { t } = useTranslation("officers");
  return (
    <>
      <nav className="seller-nav" aria-label={t("nav.label")}>
        <NavLink to="/officer" end>
          {t("nav.households")}
        </NavLink>
        <NavLink to="/officer/onboard">{t("nav.onboard")}</NavLink>
        <NavLink to="/officer/import">{t("nav.import")}</NavLink>
        <NavLink to="/officer/progress">{t("nav.progress")}</NavLink>
        <NavLink to="/officer/exports">{t("nav.exports")}</NavLink>
      </nav>
      <Outlet />
    </>
  );
}
