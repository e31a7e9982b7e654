/**
 * /admin/audit: what officers changed for households across the province,
 * newest first, in plain words, with the household and the officer; filtered
 * by officer (`?officer=<id>`), in pages (`?before=<id>` of the last entry
 * shown). Admins only: officers and farmers are refused (403).
 */
import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "~/auth/index.server";
import { getLocale, getT } from "~/i18n/index.server";
import { officersForTrailFilter, parseBefore, provinceTrailPage } from "~/officers/index.server";
import { TrailList } from "~/officers/TrailList";
import { isUuid } from "~/utils/db-errors.server";
import { db } from "~/utils/db.server";
import { pageTitle } from "~/utils/page-title";

export const handle = { i18n: ["common", "acting"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

const PAGE = 50;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const query = new URL(request.url).searchParams;
  const before = parseBefore(query.get("before"));
  const asked = query.get("officer") ?? "";
  const officer = isUuid(asked) ? asked : "";
  const [t, lng, officers] = await Promise.all([
    getT(request, "acting"),
    getLocale(request),
    officersForTrailFilter(db),
  ]);
  const page = await provinceTrailPage(db, { t, lng, limit: PAGE, before, officerUserId: officer || undefined });
  return { title: pageTitle(t("trail.admin.title")), officers, officer, ...page, paged: before !== undefined };
}

export default function AdminAudit() {
  const { officers, officer, lines, older, paged } = useLoaderData<typeof loader>();
  const { t } = useTranslation("acting");
  const filter = officer ? `officer=${officer}&` : "";
  return (
    <main className="page stack">
      <h1>{t("trail.admin.heading")}</h1>
      <p className="muted">{t("trail.admin.intro")}</p>
      <Form method="get" className="button-row">
        <label className="field">
          <span className="field-label">{t("trail.admin.officer")}</span>
          <select name="officer" defaultValue={officer}>
            <option value="">{t("trail.admin.allOfficers")}</option>
            {officers.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="btn">
          {t("trail.admin.filter")}
        </button>
      </Form>
      {lines.length === 0 ? (
        <p>{t("trail.empty")}</p>
      ) : (
        <TrailList
          lines={lines}
          extra={(line) => (
            <>
              <strong>
                {t("trail.admin.household")}: {line.householdName || line.householdId.slice(0, 8)}
              </strong>
              {line.actorActive ? null : <span className="muted"> {t("trail.admin.deactivated")}</span>}
              <br />
            </>
          )}
        />
      )}
      <p className="button-row">
        {paged ? <Link to={`/admin/audit${officer ? `?officer=${officer}` : ""}`}>{t("trail.newest")}</Link> : null}
        {older !== null ? <Link to={`/admin/audit?${filter}before=${older}`}>{t("trail.older")}</Link> : null}
      </p>
    </main>
  );
}
