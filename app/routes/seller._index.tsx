import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  type SerializeFrom,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getT } from "~/i18n/index.server";
import {
  onboardingOf,
  publishProblems,
  publishStall,
  unpublishStall,
  DASHBOARD_PATH,
  resumeStep,
} from "~/onboarding/index.server";
import {
  PROBLEM_STEP,
  SETUP_PATH,
  stepIndex,
  stepPath,
  WIZARD_STEPS,
  type PublishProblem,
  type WizardStep,
} from "~/onboarding";
import { requireActingStall, stallUrl } from "~/stalls/index.server";
import { stallChecklist, type ChecklistItem, type StallChecklist } from "~/onboarding/index.server";
import { ShareLinks } from "~/stalls/ShareLinks";
import { db } from "~/utils/db.server";
import { redirectWithToast } from "~/utils/toast.server";

// "onboarding": the wizard's step names, what publishing needs, and the toasts
// of a step saved from here or of the wizard's last step, shown on this page.
export const handle = { i18n: ["common", "seller", "onboarding"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

/** The household and stall the signed-in person may act for; never one named by the request. */
async function requireOwnStall(request: Request) {
  const { household, stall } = await requireActingStall(request, { noStallRedirect: SETUP_PATH });
  return { onboarding: onboardingOf({ household, stall }), household, stall };
}

/** /seller — the stall's home: where setup stands, whether buyers see it, what would help it sell. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { onboarding, household, stall } = await requireOwnStall(request);
  const [t, checklist, problems] = await Promise.all([
    getT(request, "seller"),
    stallChecklist(db, stall),
    stall.status === "published" ? Promise.resolve([]) : publishProblems(db, { household, stall }),
  ]);
  // A stall published once has been set up; later unpublishing is a pause, not unfinished setup.
  const resume = onboarding.progress !== "done" && !stall.publishedAt ? resumeStep(onboarding) : null;
  return {
    title: `${t("dashboard.title")} – Gian Hàng Số`,
    stall: { name: stall.name, slug: stall.slug, status: stall.status, url: stallUrl(request, stall.slug) },
    resume,
    problems,
    checklist,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { household, stall } = await requireOwnStall(request);
  const intent = (await request.formData()).get("intent");
  if (intent === "publish") {
    const result = await publishStall(db, { household, stall });
    if (!result.ok) return data({ problems: result.problems }, { status: 400 });
    return redirectWithToast(DASHBOARD_PATH, { key: "onboarding:toast.published", values: { name: stall.name } });
  }
  if (intent === "unpublish") {
    if (stall.status !== "published") return redirect(DASHBOARD_PATH);
    await unpublishStall(db, stall);
    return redirectWithToast(DASHBOARD_PATH, { key: "seller:dashboard.toast.unpublished" });
  }
  throw new Response("Unknown intent", { status: 400 });
}

export default function SellerDashboard() {
  const { stall, resume, problems: loadedProblems, checklist } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("seller");
  return (
    <main className="page stack dashboard">
      <h1>{stall.name || t("dashboard.title")}</h1>
      {resume ? <ContinueSetup step={resume} /> : null}
      <StallStatus stall={stall} problems={actionData?.problems ?? loadedProblems} refused={Boolean(actionData)} />
      <Checklist checklist={checklist} />
      <Settings />
    </main>
  );
}

function ContinueSetup({ step }: { step: WizardStep }) {
  const { t } = useTranslation(["seller", "onboarding"]);
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
      <Link to={SETUP_PATH} className="btn btn-primary btn-block">
        {t("dashboard.continue.action")}
      </Link>
    </section>
  );
}

type StallSummary = SerializeFrom<typeof loader>["stall"];

function StallStatus({
  stall,
  problems,
  refused,
}: {
  stall: StallSummary;
  problems: PublishProblem[];
  refused: boolean;
}) {
  const { t } = useTranslation(["seller", "onboarding"]);
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formMethod === "POST";
  const published = stall.status === "published";
  return (
    <section className="card stack" aria-labelledby="status-heading">
      <h2 id="status-heading">{t("dashboard.status.heading")}</h2>
      <p>
        <span className={`status-badge status-badge--${stall.status}`}>{t(`dashboard.status.${stall.status}`)}</span>
      </p>
      <p>{t(`dashboard.status.${stall.status}Body`)}</p>
      <p className="dashboard-link">
        <span className="muted">{t("dashboard.status.link")}: </span>
        {published ? <a href={stall.url}>{stall.url}</a> : <span>{stall.url}</span>}
      </p>
      {published ? (
        <>
          <Share url={stall.url} slug={stall.slug} name={stall.name} />
          <Form
            method="post"
            className="stack"
            onSubmit={(event) => {
              if (!window.confirm(t("dashboard.unpublish.confirm"))) event.preventDefault();
            }}
          >
            <p className="muted">{t("dashboard.unpublish.hint")}</p>
            <button type="submit" name="intent" value="unpublish" className="btn" disabled={busy}>
              {t("dashboard.unpublish.button")}
            </button>
          </Form>
        </>
      ) : (
        <>
          {problems.length > 0 ? (
            <div className="form-error stack" role={refused ? "alert" : undefined}>
              <h3>{t("dashboard.publish.missingTitle")}</h3>
              <ul className="missing-list">
                {problems.map((p) => (
                  <li key={p}>
                    {t(`onboarding:review.missing.${p}`)}{" "}
                    <Link to={stepPath(PROBLEM_STEP[p])}>{t("onboarding:review.fix")}</Link>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          <Form method="post">
            <button type="submit" name="intent" value="publish" className="btn btn-primary btn-block" disabled={busy}>
              {t(stall.status === "unpublished" ? "dashboard.publish.again" : "dashboard.publish.button")}
            </button>
          </Form>
        </>
      )}
    </section>
  );
}

/** The QR code and the poster to print, and the link to pass around (Zalo through the phone's share sheet). */
function Share({ url, slug, name }: { url: string; slug: string; name: string }) {
  const { t } = useTranslation("seller");
  const base = `/s/${encodeURIComponent(slug)}`;
  return (
    <div className="stack dashboard-share">
      <h3>{t("dashboard.share.heading")}</h3>
      <div className="button-row">
        <a href={`${base}/qr.svg`} className="btn btn-small">
          {t("dashboard.share.qr")}
        </a>
        <Link to={`${base}/poster`} className="btn btn-small">
          {t("dashboard.share.poster")}
        </Link>
      </div>
      <ShareLinks url={url} title={name} />
    </div>
  );
}

function Checklist({ checklist }: { checklist: StallChecklist }) {
  const { t } = useTranslation("seller");
  return (
    <section className="card stack" aria-labelledby="checklist-heading">
      <div className="dashboard-checklist__head">
        <h2 id="checklist-heading">{t("dashboard.checklist.heading")}</h2>
        <p className="dashboard-checklist__count">
          {t("dashboard.checklist.progress", { done: checklist.done, total: checklist.total })}
        </p>
      </div>
      <progress className="dashboard-checklist__bar" max={checklist.total} value={checklist.done} aria-hidden="true" />
      <ul className="checklist">
        {checklist.items.map((item) => (
          <ChecklistRow key={item.key} item={item} />
        ))}
      </ul>
      <h3>{t("dashboard.checklist.tipsHeading")}</h3>
      <ul className="checklist checklist--tips">
        {checklist.tips.map((item) => (
          <ChecklistRow key={item.key} item={item} tip />
        ))}
      </ul>
    </section>
  );
}

function ChecklistRow({ item, tip = false }: { item: ChecklistItem; tip?: boolean }) {
  const { t } = useTranslation("seller");
  const state = item.done ? "done" : tip ? "tip" : "todo";
  const base = `dashboard.checklist.items.${item.key}`;
  return (
    <li className={`checklist__item checklist__item--${state}`}>
      <span className="checklist__mark" aria-hidden="true">
        {item.done ? "✓" : tip ? "☆" : "○"}
      </span>
      <span className="tight">
        <span className="visually-hidden">{t(`dashboard.checklist.${state}`)}: </span>
        <strong>{t(`${base}.label`)}</strong>
        {item.done ? null : (
          <>
            <span className="checklist__hint">
              {item.count ? t(`${base}.missing`, { count: item.count }) : t(`${base}.hint`)}
            </span>
            <Link to={item.href} className="checklist__fix">
              {t(tip ? "dashboard.checklist.add" : "dashboard.checklist.fix")}
            </Link>
          </>
        )}
      </span>
    </li>
  );
}

/** The wizard's screens edit the settings after publishing too (saving returns here). */
const SETTINGS_STEPS = ["household", "stall", "payment", "delivery"] as const satisfies readonly WizardStep[];

function Settings() {
  const { t } = useTranslation("seller");
  return (
    <section className="card stack" aria-labelledby="settings-heading">
      <h2 id="settings-heading">{t("dashboard.settings.heading")}</h2>
      <ul className="list-plain dashboard-settings">
        {SETTINGS_STEPS.map((step) => (
          <li key={step}>
            <Link to={stepPath(step)}>
              <strong>{t(`dashboard.settings.${step}.label`)}</strong>
              <span className="muted">{t(`dashboard.settings.${step}.hint`)}</span>
            </Link>
          </li>
        ))}
        <li>
          <Link to="/seller/listings">
            <strong>{t("dashboard.settings.listings.label")}</strong>
            <span className="muted">{t("dashboard.settings.listings.hint")}</span>
          </Link>
        </li>
      </ul>
    </section>
  );
}
