import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { StallGrid } from "~/stalls/StallCard";
import { searchStalls } from "~/stalls/stalls.server";
import { getT } from "~/i18n/i18n.server";
import { db } from "~/utils/db.server";

export const handle = { i18n: ["common"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Gian Hàng Số" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const q = (new URL(request.url).searchParams.get("q") ?? "").trim().slice(0, 100);
  const [t, stalls] = await Promise.all([getT(request), q ? searchStalls(db, q) : Promise.resolve([])]);
  return { q, stalls, title: `${q ? t("search.resultsFor", { q }) : t("search.title")} – Gian Hàng Số` };
}

export default function Search() {
  const { q, stalls } = useLoaderData<typeof loader>();
  const { t } = useTranslation("common");
  return (
    <main className="page stack">
      <h1>{q ? t("search.resultsFor", { q }) : t("search.title")}</h1>
      {!q ? (
        <p>{t("search.prompt")}</p>
      ) : stalls.length === 0 ? (
        <p role="status">{t("search.empty", { q })}</p>
      ) : (
        <section aria-labelledby="stall-results" className="stack">
          <h2 id="stall-results">{t("search.stallsHeading")}</h2>
          <StallGrid stalls={stalls} />
        </section>
      )}
    </main>
  );
}
