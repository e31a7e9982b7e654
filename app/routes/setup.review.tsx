import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getCommune, getProvince } from "~/admin-units/index.server";
import { getT } from "~/i18n/index.server";
import { listStallListings } from "~/listings/index.server";
import {
  publishProblems,
  publishStall,
  DASHBOARD_PATH,
  reachedIndex,
  requireStallStep,
} from "~/onboarding/index.server";
import { PROBLEM_STEP, stepPath, type PublishProblem } from "~/onboarding";
import { WizardFrame } from "~/onboarding/WizardFrame";
import { findBank } from "~/payments";
import { offeredPaymentMethods } from "~/payments/index.server";
import { stallUrl } from "~/stalls/index.server";
import { db } from "~/utils/db.server";
import { formatVnd } from "~/utils/format";
import { redirectWithToast } from "~/utils/toast.server";
import { pageTitle } from "~/utils/page-title";
import { useActingPath } from "~/utils/acting-paths";

export const handle = { i18n: ["common", "onboarding"], hydrate: true };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title },
  { name: "robots", content: "noindex" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const { onboarding, household, stall } = await requireStallStep(request, "review");
  const t = await getT(request, "onboarding");
  const [commune, province, products, problems] = await Promise.all([
    getCommune(db, household.communeCode),
    getProvince(db, household.provinceCode),
    listStallListings(db, stall.id, { statuses: ["active", "sold_out"] }),
    publishProblems(db, { household, stall }),
  ]);
  return {
    title: pageTitle(t("review.title")),
    reached: reachedIndex(onboarding),
    problems,
    published: stall.status === "published",
    summary: {
      householdName: household.name,
      place: [household.addressLine, commune?.fullName, province?.fullName].filter(Boolean).join(", "),
      stallName: stall.name,
      link: stallUrl(request, stall.slug),
      products: products.map((p) => p.title),
      cod: stall.codEnabled,
      vietqr: stall.vietqrEnabled
        ? `${findBank(stall.bankBin ?? "")?.shortName ?? stall.bankBin} · ${stall.bankAccountNumber} · ${stall.bankAccountName}`
        : null,
      // VNPay and cards as buyers will see them: only where the deployment has them (and, with Connect, once ready).
      online: offeredPaymentMethods(stall).filter((m) => m === "vnpay" || m === "stripe"),
      pickup: stall.pickupEnabled ? [stall.pickupAddress, stall.pickupHours].filter(Boolean).join(" · ") : null,
      localFee: stall.localDeliveryEnabled ? stall.localDeliveryFeeDong : null,
      localCommunes: stall.localDeliveryCommunes.length,
      shipping: stall.shippingEnabled ? { mode: stall.shippingFeeMode, fee: stall.shippingFeeDong } : null,
    },
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { household, stall, onboarding } = await requireStallStep(request, "review");
  const result = await publishStall(db, { household, stall });
  if (!result.ok) return data({ problems: result.problems }, { status: 400 });
  return redirectWithToast(onboarding.path(DASHBOARD_PATH), {
    key: "onboarding:toast.published",
    values: { name: stall.name },
  });
}

function Missing({ problems }: { problems: PublishProblem[] }) {
  const { t } = useTranslation("onboarding");
  const to = useActingPath();
  return (
    <ul className="missing-list">
      {problems.map((p) => (
        <li key={p}>
          {t(`review.missing.${p}`)} <Link to={to(stepPath(PROBLEM_STEP[p]))}>{t("review.fix")}</Link>
        </li>
      ))}
    </ul>
  );
}

export default function ReviewStep() {
  const { reached, problems: loadedProblems, summary, published } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, i18n } = useTranslation("onboarding");
  const to = useActingPath();
  const problems = actionData?.problems ?? loadedProblems;
  const busy = navigation.state !== "idle" && navigation.formMethod === "POST";
  const money = (dong: number) => formatVnd(dong, i18n.language);

  const rows: { label: string; value: string; step: "household" | "stall" | "product" | "payment" | "delivery" }[] = [
    { label: t("review.household"), value: `${summary.householdName} · ${summary.place}`, step: "household" },
    { label: t("review.stall"), value: `${summary.stallName} · ${summary.link}`, step: "stall" },
    {
      label: t("review.products"),
      value: summary.products.length ? summary.products.join(", ") : t("review.none"),
      step: "product",
    },
    {
      label: t("review.payment"),
      value:
        [
          summary.cod ? t("payment.cod") : null,
          summary.vietqr ? `${t("payment.vietqr")}: ${summary.vietqr}` : null,
          ...summary.online.map((m) => t(`payment.${m}`)),
        ]
          .filter(Boolean)
          .join(" · ") || t("review.none"),
      step: "payment",
    },
    {
      label: t("review.delivery"),
      value:
        [
          summary.pickup !== null ? `${t("delivery.pickup")}: ${summary.pickup}` : null,
          summary.localFee !== null
            ? `${t("delivery.local")}: ${t("review.localSummary", { count: summary.localCommunes, fee: money(summary.localFee) })}`
            : null,
          summary.shipping
            ? `${t("delivery.shipping")}: ${money(summary.shipping.fee)} ${t(`review.feeModes.${summary.shipping.mode}`)}`
            : null,
        ]
          .filter(Boolean)
          .join(" · ") || t("review.none"),
      step: "delivery",
    },
  ];

  return (
    <WizardFrame step="review" reached={reached} title={t("review.title")} intro={t("review.intro")}>
      <dl className="review-list">
        {rows.map((row) => (
          <div key={row.label}>
            <dt>
              {row.label} <Link to={to(stepPath(row.step))}>{t("review.edit")}</Link>
            </dt>
            <dd>{row.value}</dd>
          </div>
        ))}
      </dl>
      {problems.length > 0 ? (
        <section className="form-error stack" role={actionData ? "alert" : undefined} aria-labelledby="missing-heading">
          <h2 id="missing-heading">{t("review.missingTitle")}</h2>
          <Missing problems={problems} />
        </section>
      ) : null}
      {published ? (
        <p>{t("review.alreadyPublished")}</p>
      ) : (
        <Form method="post" className="wizard-nav">
          <Link to={to(stepPath("delivery"))} className="btn">
            {t("nav.back")}
          </Link>
          <button type="submit" name="intent" value="publish" className="btn btn-primary" disabled={busy}>
            {busy ? t("nav.saving") : t("review.publish")}
          </button>
        </Form>
      )}
    </WizardFrame>
  );
}
