import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getLocale, getT } from "~/i18n/index.server";
import {
  onboardingOf,
  publishProblems,
  publishStall,
  unpublishStall,
  DASHBOARD_PATH,
  resumeStep,
  stallChecklist,
} from "~/onboarding/index.server";
import { useActingPath } from "~/utils/acting-paths";
import { AccessChoice } from "~/officers/AccessChoice";
import { householdOfficers, householdTrailPage, type TrailLine } from "~/officers/index.server";
import { TrailList } from "~/officers/TrailList";
import { useSellerApp } from "~/offline";
import { UpdateNotice } from "~/offline/OfflineBanner";
import { SETUP_PATH, stepIndex, stepPath, WIZARD_STEPS, type WizardStep } from "~/onboarding";
import { PublishStatus } from "~/onboarding/PublishStatus";
import { StallChecklistCard } from "~/onboarding/StallChecklist";
import { stallReadiness } from "~/exports/index.server";
import { CardsStoppedNotice } from "~/payments/CardsStoppedNotice";
import { cardsNotice } from "~/payments/index.server";
import { todayInVietnam } from "~/listings";
import { requireActingStall, stallUrl } from "~/stalls/index.server";
import { db } from "~/utils/db.server";
import { redirectWithToast } from "~/utils/toast.server";
import { pageTitle } from "~/utils/page-title";

// "onboarding": the wizard's step names, what publishing needs, and the toasts
// of a step saved from here or of the wizard's last step, shown on this page.
// "acting": the officers' card and the trail of their changes (and its toasts).
// "payments": the notice while Stripe keeps the stall's card payments stopped.
export const handle = { i18n: ["common", "seller", "onboarding", "acting", "payments"] };

/** How many of the officers' latest changes the dashboard shows (the rest: /seller/trail). */
const TRAIL_ON_DASHBOARD = 5;

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

/** The household and stall the signed-in person may act for; never one named by the request. */
async function requireOwnStall(request: Request) {
  const { household, stall, path, actor } = await requireActingStall(request, { noStallRedirect: SETUP_PATH });
  return { onboarding: onboardingOf({ household, stall }), household, stall, path, actor };
}

/** /seller — the stall's home: where setup stands, whether buyers see it, what would help it sell. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { onboarding, household, stall, path, actor } = await requireOwnStall(request);
  // The seller app (ADR 031) is the owner's, on their own pages; never an officer's acting for them.
  const appUserId = path("/seller") === "/seller" && actor.role === "farmer" ? actor.userId : null;
  const [t, tActing, lng, checklist, problems, readiness, officers] = await Promise.all([
    getT(request, "seller"),
    getT(request, "acting"),
    getLocale(request),
    stallChecklist(db, stall, path),
    stall.status === "published" ? Promise.resolve([]) : publishProblems(db, { household, stall }),
    stallReadiness(db, stall, todayInVietnam()),
    householdOfficers(db, household.id),
  ]);
  const trail = await householdTrailPage(db, household.id, { t: tActing, lng, limit: TRAIL_ON_DASHBOARD });
  // A stall published once has been set up; later unpublishing is a pause, not unfinished setup.
  const resume = onboarding.progress !== "done" && !stall.publishedAt ? resumeStep(onboarding) : null;
  return {
    title: pageTitle(t("dashboard.title")),
    stall: { name: stall.name, slug: stall.slug, status: stall.status, url: stallUrl(request, stall.slug) },
    resume,
    problems,
    checklist,
    // Listings on sale that some marketplace would leave out today.
    notReadyForMarketplaces: readiness.onSaleNotReady,
    // Only the owner changes what officers may do; an officer acting sees the list.
    ownerView: actor.role === "farmer",
    officers: officers.map((o) => ({
      id: o.officerUserId,
      name: o.name,
      access: o.access,
      lapsed: o.lapsed,
      deactivated: o.deactivated,
    })),
    trail: { lines: trail.lines, more: trail.older !== null },
    appUserId,
    // Stripe stopped the stall's card payments; only the household opens its own Stripe account.
    cardsStopped: cardsNotice(stall),
    canOpenStripe: actor.role === "farmer",
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { household, stall, path } = await requireOwnStall(request);
  const intent = (await request.formData()).get("intent");
  const dashboard = path(DASHBOARD_PATH);
  if (intent === "publish") {
    const result = await publishStall(db, { household, stall });
    if (!result.ok) return data({ problems: result.problems }, { status: 400 });
    return redirectWithToast(dashboard, { key: "onboarding:toast.published", values: { name: stall.name } });
  }
  if (intent === "unpublish") {
    if (stall.status !== "published") return redirect(dashboard);
    await unpublishStall(db, stall);
    return redirectWithToast(dashboard, { key: "seller:dashboard.toast.unpublished" });
  }
  throw new Response("Unknown intent", { status: 400 });
}

export default function SellerDashboard() {
  const {
    stall,
    resume,
    problems: loadedProblems,
    checklist,
    notReadyForMarketplaces,
    ownerView,
    officers,
    trail,
    appUserId,
    cardsStopped,
    canOpenStripe,
  } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("seller");
  // Registers the seller app's worker once the page is idle (production only).
  const { updated } = useSellerApp(appUserId);
  return (
    <main className="page stack dashboard">
      {updated ? <UpdateNotice /> : null}
      <h1>{stall.name || t("dashboard.title")}</h1>
      {resume ? <ContinueSetup step={resume} /> : null}
      {cardsStopped ? <CardsStoppedNotice notice={cardsStopped} canOpenStripe={canOpenStripe} /> : null}
      <PublishStatus stall={stall} problems={actionData?.problems ?? loadedProblems} refused={Boolean(actionData)} />
      <StallChecklistCard checklist={checklist} />
      <Settings notReadyForMarketplaces={notReadyForMarketplaces} />
      {officers.length > 0 ? <OfficersCard officers={officers} ownerView={ownerView} /> : null}
      {officers.length > 0 || trail.lines.length > 0 ? <TrailCard lines={trail.lines} more={trail.more} /> : null}
    </main>
  );
}

function ContinueSetup({ step }: { step: WizardStep }) {
  const { t } = useTranslation(["seller", "onboarding"]);
  const to = useActingPath();
  const progress = t("onboarding:progress.count", {
    n: stepIndex(step) + 1,
    total: WIZARD_STEPS.length,
    name: t(`onboarding:steps.${step}`),
  });
  return (
    <section className="card stack dashboard-continue" aria-labelledby="continue-heading">
      <h2 id="continue-heading">{t("dashboard.continue.title")}</h2>
      <p>{t("dashboard.continue.body")}</p>
      <p className="dashboard-continue__step">{progress}</p>
      <Link to={to(SETUP_PATH)} className="btn btn-primary btn-block">
        {t("dashboard.continue.action")}
      </Link>
    </section>
  );
}

/** The wizard's screens edit the settings after publishing too (saving returns here). */
const SETTINGS_STEPS = ["household", "stall", "payment", "delivery"] as const satisfies readonly WizardStep[];

function Settings({ notReadyForMarketplaces }: { notReadyForMarketplaces: number }) {
  const { t } = useTranslation("seller");
  const to = useActingPath();
  return (
    <section className="card stack" aria-labelledby="settings-heading">
      <h2 id="settings-heading">{t("dashboard.settings.heading")}</h2>
      <ul className="list-plain dashboard-settings">
        {SETTINGS_STEPS.map((step) => (
          <li key={step}>
            <Link to={to(stepPath(step))}>
              <strong>{t(`dashboard.settings.${step}.label`)}</strong>
              <span className="muted">{t(`dashboard.settings.${step}.hint`)}</span>
            </Link>
          </li>
        ))}
        <li>
          <Link to={to("/seller/listings")}>
            <strong>{t("dashboard.settings.listings.label")}</strong>
            <span className="muted">{t("dashboard.settings.listings.hint")}</span>
          </Link>
        </li>
        <li>
          <Link to={to("/seller/marketplaces")}>
            <strong>{t("marketplaces.summary.dashboardLink")}</strong>
            <span className="muted" data-not-ready={notReadyForMarketplaces}>
              {notReadyForMarketplaces > 0
                ? t("marketplaces.summary.dashboardHint", { count: notReadyForMarketplaces })
                : t("marketplaces.summary.dashboardAllReady")}
            </span>
          </Link>
        </li>
      </ul>
    </section>
  );
}

interface OfficerRow {
  id: string;
  name: string;
  access: "edit" | "view" | "none";
  lapsed: boolean;
  deactivated: boolean;
}

/** "Cán bộ hỗ trợ": who holds a delegation, at which level; the owner changes or revokes it here. */
function OfficersCard({ officers, ownerView }: { officers: OfficerRow[]; ownerView: boolean }) {
  const { t } = useTranslation("acting");
  const to = useActingPath();
  return (
    <section className="card stack" aria-labelledby="officers-heading">
      <h2 id="officers-heading">{t("access.card.heading")}</h2>
      <p className="muted">{ownerView ? t("access.card.intro") : t("access.card.readOnly")}</p>
      <ul className="list-plain stack">
        {officers.map((officer) => (
          <li key={officer.id} className="stack" data-officer={officer.id}>
            <p>
              <strong>{officer.name}</strong>
              <br />
              {officer.lapsed ? (
                <span className="muted">{t("access.card.lapsed")}</span>
              ) : (
                <span>{t("access.card.level", { level: t(`access.levels.${officer.access}`) })}</span>
              )}
            </p>
            {ownerView && officer.lapsed && officer.deactivated ? (
              <p className="muted">{t("access.card.deactivated")}</p>
            ) : null}
            {ownerView && !(officer.lapsed && officer.deactivated) ? (
              <details>
                <summary>{t("access.card.change", { name: officer.name })}</summary>
                <Form method="post" action={to("/seller/officers")} className="stack">
                  {officer.lapsed ? <p className="muted">{t("access.card.lapsedActive")}</p> : null}
                  <input type="hidden" name="officerUserId" value={officer.id} />
                  <AccessChoice
                    legend={t("access.card.change", { name: officer.name })}
                    defaultValue={officer.lapsed ? "" : officer.access}
                    idPrefix={`access-${officer.id}`}
                  />
                  <button type="submit" className="btn">
                    {t("access.card.save")}
                  </button>
                </Form>
              </details>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** "Những thay đổi cán bộ đã làm": the latest entries in plain words; the rest at /seller/trail. */
function TrailCard({ lines, more }: { lines: TrailLine[]; more: boolean }) {
  const { t } = useTranslation("acting");
  const to = useActingPath();
  return (
    <section className="card stack" aria-labelledby="trail-heading">
      <h2 id="trail-heading">{t("trail.heading")}</h2>
      {lines.length === 0 ? <p className="muted">{t("trail.empty")}</p> : <TrailList lines={lines} />}
      {more || lines.length > 0 ? (
        <p>
          <Link to={to("/seller/trail")}>{t("trail.seeAll")}</Link>
        </p>
      ) : null}
    </section>
  );
}
