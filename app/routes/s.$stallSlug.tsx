import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getPublishedStall } from "~/stalls/stalls.server";
import { db } from "~/utils/db.server";

export const handle = { i18n: ["common"] };

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? [{ title: `${data.stall.name} – Gian Hàng Số` }, { name: "description", content: data.stall.description }]
    : [];

/** The public stall page (its full storefront lands with the onboarding capability). */
export async function loader({ params }: LoaderFunctionArgs) {
  const stall = params.stallSlug ? await getPublishedStall(db, params.stallSlug) : null;
  if (!stall) throw new Response("Not found", { status: 404 });
  return { stall };
}

export default function StallPage() {
  const { stall } = useLoaderData<typeof loader>();
  const { t } = useTranslation("common");
  return (
    <main className="page stack">
      <header className="hero stack">
        <p className="muted">{t(`stall.${stall.householdKind}`)}</p>
        <h1>{stall.name}</h1>
        <p>{t("stall.by", { name: stall.ownerName })}</p>
        <p className="muted">{t("stall.location", { commune: stall.communeName, province: stall.provinceName })}</p>
      </header>
      {stall.description ? <p>{stall.description}</p> : null}
      <p className="muted">{t("stall.productsSoon")}</p>
    </main>
  );
}
