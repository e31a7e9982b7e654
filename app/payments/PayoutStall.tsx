/**
 * One stall on the admins' payouts page (/admin/payouts): the farmer, what
 * the platform owes them and has paid, their bank account, the payouts sent
 * but not yet confirmed, and the form that records a new one. Takes the
 * loader's PayoutRow (dates may arrive as strings).
 */
import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field, FormError } from "~/components/forms";
import { formatDateTime, formatVnd } from "~/utils/format";

export interface PayoutStallRow {
  stallId: string;
  stallName: string;
  stallSlug: string;
  farmerName: string;
  phone: string;
  communeName: string;
  provinceName: string;
  owedDong: number;
  paidOutDong: number;
  pendingPayoutDong: number;
  availableDong: number;
  bank: { name: string; accountNumber: string; accountName: string } | null;
  pendingPayouts: { id: string; amountDong: number; reference: string; createdAt: Date | string }[];
}

export function PayoutStall({
  row: r,
  answer,
  referenceMax,
}: {
  row: PayoutStallRow;
  /** The refused payout form of this stall: its messages and what was typed. */
  answer?: { errors: Partial<Record<string, string>>; values: Partial<Record<string, string>> };
  referenceMax: number;
}) {
  const { t, i18n } = useTranslation("admin");
  const lng = i18n.language;
  const vnd = (dong: number) => formatVnd(dong, lng);
  return (
    <article className="card stack" aria-labelledby={`stall-${r.stallId}`}>
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
                  {t("payouts.pendingItem", { amount: vnd(p.amountDong), when: formatDateTime(p.createdAt, lng) })}
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

      {r.availableDong > 0 || answer ? (
        <Form method="post" className="stack">
          <h4>{t("payouts.recordHeading")}</h4>
          <FormError message={answer?.errors.form} id={`error-${r.stallId}`} />
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
            defaultValue={answer ? answer.values.amount : String(r.availableDong)}
            error={answer?.errors.amount}
          />
          <Field
            id={`reference-${r.stallId}`}
            name="reference"
            label={t("payouts.referenceLabel")}
            hint={t("payouts.referenceHint")}
            maxLength={referenceMax}
            autoComplete="off"
            defaultValue={answer ? answer.values.reference : ""}
            error={answer?.errors.reference}
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
}
