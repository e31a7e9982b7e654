import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useActingPath } from "~/utils/acting-paths";
import {
  EXPORT_TARGETS,
  FEED_FILE_NAMES,
  feedUrls,
  fixHref,
  MARKETPLACE_TARGETS,
  type ExportTarget,
  type ReadinessProblem,
} from "~/exports";
import {
  feedAccessOf,
  makeFeedsPrivate,
  makeFeedsPublic,
  renewFeedToken,
  revokeFeedToken,
  stallReadiness,
} from "~/exports/index.server";
import { getT } from "~/i18n/index.server";
import { todayInVietnam } from "~/listings";
import { publicOrigin, requireActingStall } from "~/stalls/index.server";
import { db } from "~/utils/db.server";
import { pageTitle } from "~/utils/page-title";
import { redirectWithToast } from "~/utils/toast.server";

export const handle = { i18n: ["common", "seller", "listings"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

const HERE = "/seller/marketplaces";

/**
 * /seller/marketplaces — "Sell on other marketplaces": what each listing lacks
 * for each marketplace (with a link to the field that fixes it), the feed
 * URLs to give Google and Meta, who may read them, and how to list on each.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { stall } = await requireActingStall(request, { noStallRedirect: "/setup" });
  const [t, readiness] = await Promise.all([getT(request, "seller"), stallReadiness(db, stall, todayInVietnam())]);
  const access = feedAccessOf(stall);
  // A withdrawn secret: no URL works, so none is shown.
  const urls = access === "revoked" ? null : feedUrls(publicOrigin(request), stall);
  return {
    title: pageTitle(t("marketplaces.title")),
    published: stall.publishedAt !== null,
    access,
    feeds: FEED_FILE_NAMES.map((file) => ({ file, url: urls?.[file] ?? null })),
    readiness,
  };
}

const INTENTS = {
  private: { run: makeFeedsPrivate, toast: "seller:marketplaces.privacy.toast.private" },
  public: { run: makeFeedsPublic, toast: "seller:marketplaces.privacy.toast.public" },
  renew: { run: renewFeedToken, toast: "seller:marketplaces.privacy.toast.renewed" },
  revoke: { run: revokeFeedToken, toast: "seller:marketplaces.privacy.toast.revoked" },
} as const;

export async function action({ request }: ActionFunctionArgs) {
  const { stall, path } = await requireActingStall(request, { noStallRedirect: "/setup" });
  const intent = String((await request.formData()).get("intent") ?? "");
  if (!Object.hasOwn(INTENTS, intent)) throw new Response("Unknown intent", { status: 400 });
  const { run, toast } = INTENTS[intent as keyof typeof INTENTS];
  await run(db, stall.id);
  return redirectWithToast(path(HERE), { key: toast });
}

export default function SellOnMarketplaces() {
  const to = useActingPath();
  const { published, access, feeds, readiness } = useLoaderData<typeof loader>();
  const { t } = useTranslation("seller");
  return (
    <main className="page stack marketplaces">
      <h1>{t("marketplaces.title")}</h1>
      <p>{t("marketplaces.intro")}</p>

      <section className="card stack" aria-labelledby="ready-heading">
        <h2 id="ready-heading">{t("marketplaces.summary.heading")}</h2>
        {readiness.listings.length === 0 ? (
          <p>{t("marketplaces.summary.none")}</p>
        ) : (
          <ul className="list-plain">
            {EXPORT_TARGETS.map((target) => (
              <li key={target} data-target={target}>
                {t("marketplaces.summary.line", {
                  target: t(`marketplaces.targets.${target}`),
                  ...readiness.summary[target],
                })}
              </li>
            ))}
          </ul>
        )}
      </section>

      <ListingsToFix listings={readiness.listings} />

      <section className="card stack" aria-labelledby="feeds-heading">
        <h2 id="feeds-heading">{t("marketplaces.feeds.heading")}</h2>
        <p className="muted">{published ? t("marketplaces.feeds.hint") : t("marketplaces.feeds.notPublished")}</p>
        {access === "revoked" ? <p>{t("marketplaces.privacy.revoked")}</p> : null}
        <ul className="list-plain stack feed-urls">
          {feeds.map(({ file, url }) =>
            url ? (
              <li key={file}>
                <FeedUrl
                  label={t(`marketplaces.feeds.files.${file}`)}
                  url={url}
                  id={`feed-${file.replace(".", "-")}`}
                />
              </li>
            ) : null,
          )}
        </ul>
      </section>

      <section className="card stack" aria-labelledby="privacy-heading">
        <h2 id="privacy-heading">{t("marketplaces.privacy.heading")}</h2>
        <p data-access={access}>{t(`marketplaces.privacy.${access}`)}</p>
        <div className="button-row">
          {access === "public" ? <IntentButton intent="private" label={t("marketplaces.privacy.makePrivate")} /> : null}
          {access !== "public" ? (
            <IntentButton intent="renew" label={t("marketplaces.privacy.renew")} primary={access === "revoked"} />
          ) : null}
          {access === "private" ? <IntentButton intent="revoke" label={t("marketplaces.privacy.revoke")} /> : null}
          {access !== "public" ? <IntentButton intent="public" label={t("marketplaces.privacy.makePublic")} /> : null}
        </div>
        {access !== "public" ? <p className="muted">{t("marketplaces.privacy.renewHint")}</p> : null}
      </section>

      <section className="card stack" aria-labelledby="howto-heading">
        <h2 id="howto-heading">{t("marketplaces.howto.heading")}</h2>
        {EXPORT_TARGETS.map((target) => (
          <details key={target}>
            <summary>{t(`marketplaces.targets.${target}`)}</summary>
            <ol>
              {(t(`marketplaces.howto.${target}`, { returnObjects: true }) as string[]).map((step) => (
                <li key={step}>{step}</li>
              ))}
            </ol>
          </details>
        ))}
      </section>

      <section className="card stack" aria-labelledby="files-heading">
        <h2 id="files-heading">{t("marketplaces.files.heading")}</h2>
        <p className="muted">{t("marketplaces.files.hint")}</p>
        <ul className="list-plain stack">
          {MARKETPLACE_TARGETS.map((target) => (
            <li key={target} className="button-row">
              <a className="btn" href={to(`${HERE}/${target}.xlsx`)} download>
                {t("marketplaces.files.excel", { target: t(`marketplaces.targets.${target}`) })}
              </a>
              <a className="btn" href={to(`${HERE}/${target}.json`)} download>
                {t("marketplaces.files.json", { target: t(`marketplaces.targets.${target}`) })}
              </a>
            </li>
          ))}
        </ul>
      </section>
    </main>
  );
}

function ListingsToFix({
  listings,
}: {
  listings: { id: string; title: string; status: string; problems: Record<ExportTarget, ReadinessProblem[]> }[];
}) {
  const { t } = useTranslation(["seller", "listings"]);
  const to = useActingPath();
  const withProblems = listings.filter((l) => EXPORT_TARGETS.some((target) => l.problems[target].length > 0));
  return (
    <section className="card stack" aria-labelledby="fix-heading">
      <h2 id="fix-heading">{t("marketplaces.listings.heading")}</h2>
      {withProblems.length === 0 ? <p>{t("marketplaces.listings.allReady")}</p> : null}
      {withProblems.map((listing) => (
        <article key={listing.id} className="stack readiness" data-listing={listing.id}>
          <h3>
            {listing.title}
            {listing.status !== "active" && listing.status !== "sold_out" ? (
              <span className="muted">
                {" "}
                {t("marketplaces.listings.notOnSale", { status: t(`listings:statuses.${listing.status}`) })}
              </span>
            ) : null}
          </h3>
          <ul className="list-plain stack">
            {EXPORT_TARGETS.filter((target) => listing.problems[target].length > 0).map((target) => (
              <li key={target} data-target={target}>
                <strong>{t(`marketplaces.targets.${target}`)}</strong>
                <ul>
                  {listing.problems[target].map((problem) => (
                    <li key={problem.code} data-problem={problem.code}>
                      {problem.severity === "warning" ? `${t("marketplaces.listings.warning")}: ` : null}
                      {t(`marketplaces.problems.${problem.code}`, { limit: problem.limit, actual: problem.actual })}
                      {problem.suggestion ? (
                        <>
                          {" "}
                          {t("marketplaces.problems.title_too_short_suggestion", { suggestion: problem.suggestion })}
                        </>
                      ) : null}{" "}
                      <Link
                        to={to(fixHref(listing.id, problem.field))}
                        aria-label={t("marketplaces.listings.fixLabel", {
                          what: t(`marketplaces.fields.${problem.field}`),
                          title: listing.title,
                        })}
                      >
                        {t("marketplaces.listings.fix")}
                      </Link>
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </article>
      ))}
    </section>
  );
}

function FeedUrl({ label, url, id }: { label: string; url: string; id: string }) {
  const { t } = useTranslation("seller");
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className="feed-url">
        <input id={id} type="url" readOnly value={url} />
        <button
          type="button"
          className="btn btn-small when-can-copy"
          aria-label={t("marketplaces.feeds.copyLabel", { what: label })}
          data-copy={url}
          data-copied={t("marketplaces.feeds.copied")}
        >
          <span aria-live="polite">{t("marketplaces.feeds.copy")}</span>
        </button>
      </div>
    </div>
  );
}

function IntentButton({ intent, label, primary = false }: { intent: string; label: string; primary?: boolean }) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <button type="submit" className={primary ? "btn btn-primary" : "btn"}>
        {label}
      </button>
    </Form>
  );
}
