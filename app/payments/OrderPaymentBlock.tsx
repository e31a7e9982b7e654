/**
 * The buyer's order page: where the order's money stands and what to do
 * about it. VietQR: the code to scan and the same details as text for typing
 * by hand (copy buttons once JavaScript runs; readable without it). VNPay and
 * cards: a button that starts a new payment. Takes the loader's
 * OrderPaymentView (dates may arrive as strings).
 */
import { useTranslation } from "react-i18next";
import type { OrderPaymentStatus, PaymentMethod } from "#db/schema";
import { formatDateTime, formatVnd } from "~/utils/format";

export interface OrderPaymentData {
  method: PaymentMethod;
  status: OrderPaymentStatus;
  amountDong: number;
  refundedDong: number;
  paidAt: Date | string | null;
  vietqr: {
    svg: string;
    bankName: string;
    accountNumber: string;
    accountName: string;
    amountDong: number;
    memo: string;
  } | null;
  pay: { again: boolean; amountDong: number; orderCount: number } | null;
  lastAttempt: "failed" | "expired" | "cancelled" | null;
}

export function OrderPaymentBlock({ payment, cancelled }: { payment: OrderPaymentData; cancelled: boolean }) {
  const { t, i18n } = useTranslation(["payments", "orders"]);
  const lng = i18n.language;
  const unpaid = payment.status === "unpaid" || payment.status === "pending";
  const provider = t(`orderPayment.providers.${payment.method}`, { defaultValue: "" });
  return (
    <section className="card stack order-payment" aria-labelledby="payment-heading">
      <h2 id="payment-heading">{t("orderPayment.heading")}</h2>
      <div className="stack tight">
        <p>{t("orderPayment.method", { method: t(`orders:payment.${payment.method}`) })}</p>
        <p>
          {t("orderPayment.status")}:{" "}
          <span className={`status-badge payment-status payment-status--${payment.status}`}>
            {t(`paymentStatuses.${payment.status}`)}
          </span>
        </p>
        <p>{t("orderPayment.amount", { amount: formatVnd(payment.amountDong, lng) })}</p>
        {payment.refundedDong > 0 ? (
          <p>{t("orderPayment.refunded", { amount: formatVnd(payment.refundedDong, lng) })}</p>
        ) : null}
        {payment.paidAt && !unpaid ? (
          <p className="muted">{t("orderPayment.paidAt", { when: formatDateTime(payment.paidAt, lng) })}</p>
        ) : null}
      </div>

      {payment.method === "cod" && unpaid && !cancelled ? <p className="muted">{t("orderPayment.codHint")}</p> : null}

      {payment.vietqr ? <VietQrTransfer transfer={payment.vietqr} /> : null}
      {payment.method === "vietqr" && unpaid && !cancelled && !payment.vietqr ? (
        <p>{t("orderPayment.vietqrMissing")}</p>
      ) : null}

      {payment.pay ? (
        <div className="stack tight">
          {payment.lastAttempt ? <p>{t(`orderPayment.lastAttempt.${payment.lastAttempt}`)}</p> : null}
          {payment.status === "pending" ? <p className="muted">{t("orderPayment.pendingHint", { provider })}</p> : null}
          {/* A plain form: the answer is a redirect to the provider's page, a whole-page navigation anyway. */}
          <form method="post">
            <input type="hidden" name="intent" value="pay" />
            <button type="submit" className="btn btn-primary btn-block btn-wrap">
              {t(payment.pay.again ? "orderPayment.payAgainButton" : "orderPayment.payButton", {
                amount: formatVnd(payment.pay.amountDong, lng),
                provider,
              })}
            </button>
          </form>
          {payment.pay.orderCount > 1 ? (
            <p className="muted">{t("orderPayment.payGroup", { count: payment.pay.orderCount })}</p>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

function VietQrTransfer({ transfer }: { transfer: NonNullable<OrderPaymentData["vietqr"]> }) {
  const { t, i18n } = useTranslation("payments");
  const amount = formatVnd(transfer.amountDong, i18n.language);
  const rows = [
    { label: t("orderPayment.bank"), value: transfer.bankName, copy: null },
    { label: t("orderPayment.accountNumber"), value: transfer.accountNumber, copy: transfer.accountNumber },
    { label: t("orderPayment.accountName"), value: transfer.accountName, copy: null },
    // Bank apps want digits only: the copy drops the thousands separators.
    { label: t("orderPayment.amountLabel"), value: amount, copy: String(transfer.amountDong) },
    { label: t("orderPayment.memo"), value: transfer.memo, copy: transfer.memo },
  ];
  return (
    <div className="stack vietqr-transfer">
      {/* Our own SVG (qrcode, from the order's data), not the user's markup. Right under the amount,
          its instructions after it: on a 360×640 phone both are on the first screen. */}
      <div
        className="vietqr-code"
        role="img"
        aria-label={t("orderPayment.vietqrImage", { amount, account: transfer.accountNumber, bank: transfer.bankName })}
        dangerouslySetInnerHTML={{ __html: transfer.svg }}
      />
      <p>{t("orderPayment.vietqrIntro")}</p>
      <h3>{t("orderPayment.manualHeading")}</h3>
      <dl className="transfer-details">
        {rows.map((row) => (
          <div key={row.label}>
            <dt>{row.label}</dt>
            <dd>
              <span className="transfer-details__value">{row.value}</span>
              {row.copy ? <CopyButton value={row.copy} what={row.label} /> : null}
            </dd>
          </div>
        ))}
      </dl>
      <p className="muted">{t("orderPayment.memoHint")}</p>
      <p className="muted">{t("orderPayment.vietqrAfter")}</p>
    </div>
  );
}

/** Shown by public/enhance.js where the clipboard works; without it the value is there to select and type. */
function CopyButton({ value, what }: { value: string; what: string }) {
  const { t } = useTranslation("payments");
  return (
    <button
      type="button"
      className="btn btn-small when-can-copy"
      aria-label={t("orderPayment.copyLabel", { what })}
      data-copy={value}
      data-copied={t("orderPayment.copied")}
    >
      <span aria-live="polite">{t("orderPayment.copy")}</span>
    </button>
  );
}
