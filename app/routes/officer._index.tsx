import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormError } from "~/components/forms";
import { getT, i18nInstance } from "~/i18n/index.server";
import { ONBOARDING_STEPS_FOR_LIST, type ListStep } from "~/officers";
import {
  listOfficerHouseholds,
  officerCommuneOptions,
  ReminderError,
  requireOfficer,
  sendReminder,
} from "~/officers/index.server";
import { publicOrigin } from "~/stalls/index.server";
import { db } from "~/utils/db.server";
import { formatDate, formatDateTime, formatNumber } from "~/utils/format";
import { pageTitle } from "~/utils/page-title";
import { redirectWithToast } from "~/utils/toast.server";

/**
 * /officer: the households of the officer's communes (and roster entries to
 * register), with their step, stall, listings for sale, recent orders and
 * whether they are stuck; a GET form filters (works without JavaScript); a
 * stuck household can be sent a reminder SMS.
 */
export const handle = { i18n: ["common", "officers"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

function filtersOf(url: URL, communeCodes: string[]) {
  const q = (url.searchParams.get("q") ?? "").trim().slice(0, 100);
  const commune = url.searchParams.get("commune") ?? "";
  const step = url.searchParams.get("step") ?? "";
  return {
    q,
    communeCode: communeCodes.includes(commune) ? commune : "",
    step: ((ONBOARDING_STEPS_FOR_LIST as readonly string[]).includes(step) ? step : "") as ListStep | "",
    stuck: url.searchParams.get("stuck") === "1",
    cursor: url.searchParams.get("cursor"),
  };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const officer = await requireOfficer(request);
  const url = new URL(request.url);
  const [t, communes] = await Promise.all([getT(request, "officers"), officerCommuneOptions(db, officer.id)]);
  const filters = filtersOf(
    url,
    communes.map((c) => c.code),
  );
  const page = await listOfficerHouseholds(db, officer.id, filters);
  // The next page's link keeps the filters.
  const next = new URLSearchParams(url.search);
  if (page.nextCursor) next.set("cursor", page.nextCursor);
  const first = new URLSearchParams(url.search);
  first.delete("cursor");
  return {
    title: pageTitle(t("workspace.title")),
    communes,
    filters: { ...filters, cursor: filters.cursor ?? null },
    rows: page.rows,
    nextHref: page.nextCursor ? `/officer?${next.toString()}` : null,
    firstHref: filters.cursor ? `/officer?${first.toString()}` : null,
    search: url.search,
  };
}

/** intent=remind: a reminder SMS to a stuck household of the officer's communes. */
export async function action({ request }: ActionFunctionArgs) {
  const officer = await requireOfficer(request);
  const [t, form] = await Promise.all([getT(request, "officers"), request.formData()]);
  const householdId = String(form.get("householdId") ?? "");
  const name = String(form.get("name") ?? "").slice(0, 200);
  const back = String(form.get("back") ?? "");
  const backTo = `/officer${back.startsWith("?") && back.length < 2000 ? back : ""}`;
  if (String(form.get("intent") ?? "") !== "remind")
    return data({ error: t("reminder.errors.not_found") }, { status: 400 });
  try {
    // In Vietnamese, whatever the officer's language: the household reads it.
    const text = i18nInstance("vi").getFixedT("vi", "officers")("reminder.sms", {
      url: `${publicOrigin(request)}/setup`,
      interpolation: { escapeValue: false },
    });
    await sendReminder(db, officer.id, householdId, { text });
  } catch (error) {
    if (!(error instanceof ReminderError)) throw error;
    const status = error.reason === "not_found" ? 404 : error.reason === "send_failed" ? 502 : 409;
    return data({ error: t(`reminder.errors.${error.reason}`) }, { status });
  }
  return redirectWithToast(backTo, { key: "officers:reminder.sent", values: { name } });
}

export default function OfficerWorkspace() {
  const { communes, filters, rows, nextHref, firstHref, search } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const { t, i18n } = useTranslation("officers");
  const lng = i18n.language;
  return (
    <main className="page stack">
      <h1>{t("workspace.title")}</h1>
      {communes.length === 0 ? <p className="muted">{t("workspace.noCommunes")}</p> : null}
      <FormError message={answer && "error" in answer ? answer.error : undefined} />
      <Form method="get" className="filters card" role="search">
        <div className="field">
          <label htmlFor="q">{t("workspace.search")}</label>
          <input id="q" name="q" type="search" defaultValue={filters.q} aria-describedby="q-hint" maxLength={100} />
          <p id="q-hint" className="field-hint">
            {t("workspace.searchHint")}
          </p>
        </div>
        <div className="field">
          <label htmlFor="commune">{t("workspace.commune")}</label>
          <select id="commune" name="commune" defaultValue={filters.communeCode}>
            <option value="">{t("workspace.allCommunes")}</option>
            {communes.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="step">{t("workspace.step")}</label>
          <select id="step" name="step" defaultValue={filters.step}>
            <option value="">{t("workspace.allSteps")}</option>
            {ONBOARDING_STEPS_FOR_LIST.map((s) => (
              <option key={s} value={s}>
                {t(`steps.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label>
            <input type="checkbox" name="stuck" value="1" defaultChecked={filters.stuck} /> {t("workspace.stuckOnly")}
          </label>
        </div>
        <button type="submit" className="btn">
          {t("workspace.filter")}
        </button>
        <Link to="/officer">{t("workspace.clear")}</Link>
      </Form>
      {rows.length === 0 ? <p className="muted">{t("workspace.empty")}</p> : null}
      <ul className="workspace-list">
        {rows.map((r) => (
          <li key={r.id} className={`card workspace-row${r.stuck ? " workspace-row--stuck" : ""}`}>
            <div>
              <strong>
                {r.kind === "household" && r.canAct ? <Link to={`/officer/h/${r.id}`}>{r.name}</Link> : r.name}
              </strong>
              <div className="muted">
                {r.communeName}
                {r.hamlet ? ` · ${r.hamlet}` : ""}
              </div>
            </div>
            <dl>
              <dt>{t("workspace.stepLabel")}</dt>
              <dd>{t(`steps.${r.step}`)}</dd>
              {r.kind === "household" ? (
                <>
                  <dt>{t("workspace.stall")}</dt>
                  <dd>{t(`stallStatus.${r.stallStatus ?? "none"}`)}</dd>
                  <dt>{t("workspace.forSale")}</dt>
                  <dd>{formatNumber(r.activeListings, lng)}</dd>
                  <dt>{t("workspace.orders30d")}</dt>
                  <dd>{formatNumber(r.orders30d, lng)}</dd>
                  <dt>{t("workspace.lastActivity")}</dt>
                  <dd>{r.lastActivityAt ? formatDateTime(r.lastActivityAt, lng) : t("workspace.noActivity")}</dd>
                </>
              ) : null}
            </dl>
            <div>
              {r.kind === "roster" ? (
                <Link className="btn btn-small" to={`/officer/onboard?roster=${r.id}`}>
                  {t("workspace.onboard")}
                </Link>
              ) : null}
              {r.kind === "household" && !r.canAct ? <p className="muted">{t("workspace.noAccess")}</p> : null}
              {r.stuck ? (
                <Form method="post">
                  <p className="badge">{t("workspace.stuck", { date: formatDate(r.stepReachedAt ?? "", lng) })}</p>
                  <input type="hidden" name="intent" value="remind" />
                  <input type="hidden" name="householdId" value={r.id} />
                  <input type="hidden" name="name" value={r.name} />
                  <input type="hidden" name="back" value={search} />
                  <button type="submit" className="btn btn-small">
                    {t("workspace.remind")}
                  </button>
                </Form>
              ) : null}
            </div>
          </li>
        ))}
      </ul>
      <p className="button-row">
        {firstHref ? <Link to={firstHref}>{t("workspace.first")}</Link> : null}
        {nextHref ? (
          <Link className="btn" to={nextHref}>
            {t("workspace.more")}
          </Link>
        ) : null}
      </p>
    </main>
  );
}
