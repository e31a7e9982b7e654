/**
 * The seller's home (/seller): whether buyers see the stall, what publishing
 * still needs (each with a link to the wizard step that fixes it), the button
 * that publishes or pauses it, and, once published, the ways to share it.
 */
import { Form, Link, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { PROBLEM_STEP, stepPath, type PublishProblem } from "./steps";
import type { Stall } from "#db/schema";
import { ShareLinks } from "~/stalls/ShareLinks";
import { useActingPath } from "~/utils/acting-paths";

export function PublishStatus({
  stall,
  problems,
  refused,
}: {
  stall: { name: string; slug: string; status: Stall["status"]; url: string };
  problems: PublishProblem[];
  refused: boolean;
}) {
  const { t } = useTranslation(["seller", "onboarding"]);
  const to = useActingPath();
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
                    <Link to={to(stepPath(PROBLEM_STEP[p]))}>{t("onboarding:review.fix")}</Link>
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
