import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, Outlet, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireActingHousehold } from "~/stalls/index.server";

/**
 * /officer/h/:householdId: an officer acting for one household (mounted by
 * remix.config.js, not by the file name; ADR 029). Its children are the
 * farmer's own wizard and seller pages; this layout only says, on every one
 * of them, for whom the officer is acting.
 */
export const handle = { i18n: ["common", "acting"], hydrate: true };

export const meta: MetaFunction = () => [{ name: "robots", content: "noindex" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { household, access } = await requireActingHousehold(request);
  return { household: { id: household!.id, name: household!.name }, access };
}

export default function ActingLayout() {
  const { household, access } = useLoaderData<typeof loader>();
  const { t } = useTranslation("acting");
  return (
    <>
      <div className="acting-banner" role="status">
        <p>
          <strong>{t("banner.actingFor", { name: household.name })}</strong>
          {access === "view" ? <span className="acting-banner__view"> {t("banner.viewOnly")}</span> : null}
        </p>
        <Link to="/officer">{t("banner.back")}</Link>
      </div>
      <Outlet />
    </>
  );
}
