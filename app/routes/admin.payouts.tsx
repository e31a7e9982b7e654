import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "~/auth/index.server";
import { FormError } from "~/components/forms";
import { answerRefusal, type FormErrors } from "~/http/index.server";
import { getLocale, getT } from "~/i18n/index.server";
import { formatCode } from "~/orders";
import { PaymentError } from "~/payments";
import {
  markPayoutPaid,
  PAYOUT_REFERENCE_MAX,
  parsePayoutForm,
  payoutsOverview,
  payoutsPage,
  recordPayout,
  resolveAlert,
} from "~/payments/index.server";
import { PayoutStall } from "~/payments/PayoutStall";
import { db } from "~/utils/db.server";
import { isUuid } from "~/utils/db-errors.server";
import { formatDateTime, formatVnd } from "~/utils/format";
import { formValues, translateErrors, type FormValues } from "~/utils/forms";
import { redirectWithToast } from "~/utils/toast.server";
import { pageTitle } from "~/utils/page-title";

export const handle = { i18n: ["common", "admin", "payments"], hydrate: true };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const [t, page] = await Promise.all([getT(request, "admin"), payoutsPage(db)]);
  return { title: pageTitle(t("payouts.title")), ...page, referenceMax: PAYOUT_REFERENCE_MAX };
}

/**
 * intent=record (a payout to a stall's farmer), intent=markPaid (the transfer
 * went through), intent=resolveAlert. An answer names the part of the page it
 * belongs to (`target`: a stall's id, "alerts" or "page").
 */
export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const [t, lng, form] = await Promise.all([
    getT(request, ["admin", "payments"]),
    getLocale(request),
    request.formData(),
  ]);
  const intent = String(form.get("intent") ?? "");
  const stallId = String(form.get("stallId") ?? "");
  const target = intent === "resolveAlert" ? "alerts" : intent === "record" && isUuid(stallId) ? stallId : "page";
  const values = formValues(form, ["amount", "reference"]);
  // `error` and the typed values at the top: the names this page's answers had before errors and values.
  const answer = (errors: FormErrors) => ({ target, error: errors.form, ...values });
  const invalid = (errors: FormErrors) => data({ errors, values, ...answer(errors) }, { status: 400 });

  try {
    switch (intent) {
      case "record": {
        const parsed = parsePayoutForm(form);
        if (!parsed.ok) return invalid(translateErrors(t, parsed.errors));
        const { amountDong } = parsed.data;
        await recordPayout(db, { ...parsed.data, createdByUserId: admin.id });
        const [row] = (await payoutsOverview(db)).filter((r) => r.stallId === stallId);
        return redirectWithToast("/admin/payouts", {
          key: "admin:payouts.recordedToast",
          values: { amount: formatVnd(amountDong, lng), stall: row?.stallName ?? "" },
        });
      }
      case "markPaid": {
        const { payout, changed } = await markPayoutPaid(db, {
          payoutId: String(form.get("payoutId") ?? ""),
          paidByUserId: admin.id,
        });
        return redirectWithToast("/admin/payouts", {
          key: changed ? "admin:payouts.paidToast" : "admin:payouts.alreadyPaidToast",
          values: { amount: formatVnd(payout.amountDong, lng) },
        });
      }
      case "resolveAlert": {
        if (!(await resolveAlert(db, String(form.get("alertId") ?? "")))) throw new PaymentError("not_found");
        return redirectWithToast("/admin/payouts", { key: "admin:alerts.resolvedToast" });
      }
      default:
        return invalid({ form: t("admin:errors.invalid_input") });
    }
  } catch (error) {
    return answerRefusal(t, error, values, answer);
  }
}

type Answer = { target: string; errors: FormErrors; values: FormValues };

export default function AdminPayouts() {
  const { rows, totals, alerts, referenceMax } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>() as Answer | undefined;
  const { t, i18n } = useTranslation("admin");
  const lng = i18n.language;
  const vnd = (dong: number) => formatVnd(dong, lng);
  const answered = (target: string) => (answer?.target === target ? answer : undefined);

  return (
    <main className="page stack admin-payouts">
      <h1>{t("payouts.heading")}</h1>
      <p className="muted">{t("payouts.intro")}</p>
      <FormError message={answered("page")?.errors.form} />
      <p>
        {/* A file, not a page: a plain link the browser downloads. */}
        <a className="btn" href="/admin/payouts.csv" download>
          {t("payouts.downloadCsv")}
        </a>
      </p>

      <section className="stack" aria-labelledby="alerts-heading">
        <h2 id="alerts-heading">{t("alerts.heading")}</h2>
        <FormError message={answered("alerts")?.errors.form} id="alerts-error" />
        {alerts.length === 0 ? (
          <p className="muted">{t("alerts.empty")}</p>
        ) : (
          <ul className="list-plain">
            {alerts.map((a) => (
              <li key={a.id} className="card stack">
                <p>
                  <strong>
                    {a.reason === "not_confirmed" ? t("alerts.titles.not_confirmed") : t(`alerts.kinds.${a.kind}`)}
                  </strong>
                </p>
                {a.reason ? <p>{t(`alerts.reasons.${a.reason}`)}</p> : null}
                <ul className="list-plain tight">
                  {a.amountDong > 0 ? <li>{t("alerts.amount", { amount: vnd(a.amountDong) })}</li> : null}
                  {a.expectedDong !== null && a.receivedDong !== null ? (
                    <li>{t("alerts.expected", { expected: vnd(a.expectedDong), received: vnd(a.receivedDong) })}</li>
                  ) : null}
                  {a.orderCodes.length > 0 ? (
                    <li>{t("alerts.orders", { codes: a.orderCodes.map((c) => formatCode(c)).join(", ") })}</li>
                  ) : null}
                  {a.provider ? <li>{t("alerts.provider", { provider: a.provider })}</li> : null}
                  <li className="muted">{t("alerts.when", { when: formatDateTime(a.createdAt, lng) })}</li>
                </ul>
                <Form method="post">
                  <input type="hidden" name="intent" value="resolveAlert" />
                  <input type="hidden" name="alertId" value={a.id} />
                  <button type="submit" className="btn">
                    {t("alerts.resolve")}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="stack" aria-labelledby="stalls-heading">
        <h2 id="stalls-heading">{t("payouts.heading")}</h2>
        {rows.length === 0 ? (
          <p className="muted">{t("payouts.empty")}</p>
        ) : (
          <p>{t("payouts.totals", { owed: vnd(totals.owedDong), pending: vnd(totals.pendingDong) })}</p>
        )}
        {rows.map((r) => (
          <PayoutStall key={r.stallId} row={r} answer={answered(r.stallId)} referenceMax={referenceMax} />
        ))}
      </section>
    </main>
  );
}
