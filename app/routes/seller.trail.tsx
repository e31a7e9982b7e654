/**
 * /seller/trail: every change officers made for the household, newest first,
 * in plain words, in pages (`?before=<id>` of the last entry shown). The
 * officer acting for the household reads it too (GET only).
 */
import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getLocale, getT } from "~/i18n/index.server";
import { useActingPath } from "~/utils/acting-paths";
import { householdTrailPage, parseBefore } from "~/officers/index.server";
import { TrailList } from "~/officers/TrailList";
import { requireActingStall } from "~/stalls/index.server";
import { db } from "~/utils/db.server";
import { pageTitle } from "~/utils/page-title";

export const handle = { i18n: ["common", "acting"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

const PAGE = 30;

export async function loader({ request }: LoaderFunctionArgs) {
  const { household } = await requireActingStall(request);
  const before = parseBefore(new URL(request.url).searchParams.get("before"));
  const [t, lng] = await Promise.all([getT(request, "acting"), getLocale(request)]);
  const page = await householdTrailPage(db, household.id, { t, lng, limit: PAGE, before });
  return { title: pageTitle(t("trail.title")), ...page, paged: before !== undefined };
}

export default function SellerTrail() {
  const { lines, older, paged } = useLoaderData<typeof loader>();
  const { t } = useTranslation("acting");
  const to = useActingPath();
  return (
    <main className="page stack">
      <h1>{t("trail.heading")}</h1>
      <p className="muted">{t("trail.intro")}</p>
      {lines.length === 0 ? <p>{t("trail.empty")}</p> : <TrailList lines={lines} />}
      <p className="button-row">
        {paged ? <Link to={to("/seller/trail")}>{t("trail.newest")}</Link> : null}
        {older !== null ? <Link to={to(`/seller/trail?before=${older}`)}>{t("trail.older")}</Link> : null}
      </p>
    </main>
  );
}
