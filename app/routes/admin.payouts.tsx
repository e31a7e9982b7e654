import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "~/auth/index.server";
import { Field, FormError } from "~/components/forms";
import { getLocale, getT } from "~/i18n/index.server";
import { formatCode } from "~/orders";
import {
  listPaymentAlerts,
  resolveAlert,
  markPayoutPaid,
  recordPayout,
  parseDongInput,
  payoutsOverview,
} from "~/payments/index.server";
import { PaymentError } from "~/payments";
import { db } from "~/utils/db.server";
import { isUuid } from "~/utils/db-errors.server";
import { formatDateTime, formatVnd } from "~/utils/format";
import { redirectWithToast } from "~/utils/toast.server";
import { oneLine } from "~/utils/text";

export const handle = { i18n: ["common", "admin", "payments"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

const REFERENCE_MAX = 200;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const [t, rows, alerts] = await Promise.all([getT(request, "admin"), payoutsOverview(db), listPaymentAlerts(db)]);
  return {
    title: `${t("payouts.title")} – Gian Hàng Số`,
    rows,
    totals: {
      owedDong: rows.reduce((sum, r) => sum + Math.max(0, r.owedDong), 0),
      pendingDong: rows.reduce((sum, r) => sum + r.pendingPayoutDong, 0),
    },
    alerts: alerts.map((a) => ({
      id: a.id,
      kind: a.kind,
      amountDong: a.amountDong,
      createdAt: a.createdAt,
      orderCodes: stringList(a.details.orderCodes),
      provider: typeof a.details.provider === "string" ? a.details.provider : null,
      reason: a.details.stuck === true ? "stuck" : a.details.reason === "system:not_confirmed" ? "not_confirmed" : null,
      expectedDong: safeInteger(a.details.expectedDong),
      receivedDong: safeInteger(a.details.receivedDong),
    })),
  };
}

type ActionError = { error: string; target: string; amount?: string; reference?: string };

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const [t, lng] = await Promise.all([getT(request, ["admin", "payments"]), getLocale(request)]);
  const form = await request.formData();
  const field = (name: string) => String(form.get(name) ?? "");
  const refuse = (status: number, body: ActionError) => data(body, { status });
  const refusal = (error: PaymentError, target: string, values: Partial<ActionError> = {}) =>
    refuse(error.httpStatus, {
      error: t(error.textKey, {
        available: formatVnd(error.details.availableDong ?? 0, lng),
        expected: formatVnd(error.details.expectedDong ?? 0, lng),
      }),
      target,
      ...values,
    });

  switch (field("intent")) {
    case "record": {
      const stallId = field("stallId");
      const values = { amount: field("amount"), reference: field("reference") };
      if (!isUuid(stallId)) return refuse(400, { error: t("admin:errors.invalid_input"), target: "page" });
      const amountDong = parseDongInput(values.amount);
      if (amountDong === null) return refuse(400, { error: t("admin:errors.amount"), target: stallId, ...values });
      const reference = oneLine(values.reference);
      if (reference.length > REFERENCE_MAX)
        return refuse(400, { error: t("admin:errors.referenceTooLong"), target: stallId, ...values });
      try {
        await recordPayout(db, { stallId, amountDong, reference, createdByUserId: admin.id });
      } catch (error) {
        if (error instanceof PaymentError) return refusal(error, stallId, values);
        throw error;
      }
      const [row] = (await payoutsOverview(db)).filter((r) => r.stallId === stallId);
      return redirectWithToast("/admin/payouts", {
        key: "admin:payouts.recordedToast",
        values: { amount: formatVnd(amountDong, lng), stall: row?.stallName ?? "" },
      });
    }
    case "markPaid": {
      const payoutId = field("payoutId");
      try {
        const { payout, changed } = await markPayoutPaid(db, { payoutId, paidByUserId: admin.id });
        return redirectWithToast("/admin/payouts", {
          key: changed ? "admin:payouts.paidToast" : "admin:payouts.alreadyPaidToast",
          values: { amount: formatVnd(payout.amountDong, lng) },
        });
      } catch (error) {
        if (error instanceof PaymentError) return refusal(error, "page");
        throw error;
      }
    }
    case "resolveAlert": {
      if (!(await resolveAlert(db, field("alertId")))) {
        return refuse(404, { error: t("payments:refusals.not_found"), target: "alerts" });
      }
      return redirectWithToast("/admin/payouts", { key: "admin:alerts.resolvedToast" });
    }
    default:
      return refuse(400, { error: t("admin:errors.invalid_input"), target: "page" });
  }
}

export default function AdminPayouts() {
  const { rows, totals, alerts } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionError | undefined;
  const { t, i18n } = useTranslation("admin");
  const lng = i18n.language;
  const vnd = (dong: number) => formatVnd(dong, lng);
  const errorFor = (target: string) => (actionData?.target === target ? actionData.error : undefined);

  return (
    <main className="page stack admin-payouts">
      <h1>{t("payouts.heading")}</h1>
      <p className="muted">{t("payouts.intro")}</p>
      <FormError message={errorFor("page")} />
      <p>
        {/* A file, not a page: a plain link the browser downloads. */}
        <a className="btn" href="/admin/payouts.csv" download>
          {t("payouts.downloadCsv")}
        </a>
      </p>

      <section className="stack" aria-labelledby="alerts-heading">
        <h2 id="alerts-heading">{t("alerts.heading")}</h2>
        <FormError message={errorFor("alerts")} id="alerts-error" />
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
        {rows.map((r) => {
          const error = errorFor(r.stallId);
          return (
            <article key={r.stallId} className="card stack" aria-labelledby={`stall-${r.stallId}`}>
              <h3 id={`stall-${r.stallId}`}>
                <Link to={`/s/${r.stallSlug}`}>{r.stallName}</Link>
              </h3>
              <p className="tight">
                <span>{r.farmerName}</span>
                {r.phone ? (
                  <>
                    {" · "}
                    <a href={`tel:${r.phone.replace(/\s/g, "")}`}>{r.phone}</a>
                  </>
                ) : null}
                <br />
                <span className="muted">
                  {r.communeName}, {r.provinceName}
                </span>
              </p>
              <dl className="money-figures">
                <dt>{t("payouts.owed")}</dt>
                <dd>
                  <strong>{vnd(r.owedDong)}</strong>
                </dd>
                <dt>{t("payouts.paidOut")}</dt>
                <dd>{vnd(r.paidOutDong)}</dd>
                <dt>{t("payouts.pending")}</dt>
                <dd>{vnd(r.pendingPayoutDong)}</dd>
                <dt>{t("payouts.available")}</dt>
                <dd>{vnd(r.availableDong)}</dd>
              </dl>
              {r.owedDong < 0 ? <p className="muted">{t("payouts.farmerOwes")}</p> : null}
              {r.bank ? (
                <dl className="money-figures">
                  <dt>{t("payouts.bank")}</dt>
                  <dd>{r.bank.name}</dd>
                  <dt>{t("payouts.account")}</dt>
                  <dd>{r.bank.accountNumber}</dd>
                  <dt>{t("payouts.holder")}</dt>
                  <dd>{r.bank.accountName}</dd>
                </dl>
              ) : (
                <p className="muted">{t("payouts.noBank")}</p>
              )}

              {r.pendingPayouts.length > 0 ? (
                <div className="stack">
                  <h4>{t("payouts.pendingHeading")}</h4>
                  <ul className="list-plain">
                    {r.pendingPayouts.map((p) => (
                      <li key={p.id} className="payout-pending">
                        <span>
                          {t("payouts.pendingItem", {
                            amount: vnd(p.amountDong),
                            when: formatDateTime(p.createdAt, lng),
                          })}
                          {p.reference ? (
                            <>
                              <br />
                              <span className="muted">{t("payouts.reference", { reference: p.reference })}</span>
                            </>
                          ) : null}
                        </span>
                        <Form method="post">
                          <input type="hidden" name="intent" value="markPaid" />
                          <input type="hidden" name="payoutId" value={p.id} />
                          <button type="submit" className="btn btn-primary">
                            {t("payouts.markPaid")}
                          </button>
                        </Form>
                      </li>
                    ))}
                  </ul>
                </div>
              ) : null}

              {r.availableDong > 0 || error ? (
                <Form method="post" className="stack">
                  <h4>{t("payouts.recordHeading")}</h4>
                  <FormError message={error} id={`error-${r.stallId}`} />
                  <input type="hidden" name="intent" value="record" />
                  <input type="hidden" name="stallId" value={r.stallId} />
                  <Field
                    id={`amount-${r.stallId}`}
                    name="amount"
                    label={t("payouts.amount")}
                    hint={t("payouts.amountHint", { available: vnd(r.availableDong) })}
                    inputMode="numeric"
                    autoComplete="off"
                    required
                    defaultValue={error ? actionData?.amount : String(r.availableDong)}
                  />
                  <Field
                    id={`reference-${r.stallId}`}
                    name="reference"
                    label={t("payouts.referenceLabel")}
                    hint={t("payouts.referenceHint")}
                    maxLength={REFERENCE_MAX}
                    autoComplete="off"
                    defaultValue={error ? actionData?.reference : ""}
                  />
                  <button type="submit" className="btn btn-primary">
                    {t("payouts.record")}
                  </button>
                </Form>
              ) : (
                <p className="muted">{t("payouts.nothingAvailable")}</p>
              )}
            </article>
          );
        })}
      </section>
    </main>
  );
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function safeInteger(value: unknown): number | null {
  return typeof value === "number" && Number.isSafeInteger(value) ? value : null;
}
