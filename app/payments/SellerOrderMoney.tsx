/**
 * The farmer's order page (/seller/orders/:orderCode): where the order's money
 * stands, "money received" for cash and VietQR, and the refund form. Plain
 * forms that work without JavaScript; each shows its own answer and keeps
 * what was typed. Takes the loader's OrderMoney (dates may arrive as strings).
 */
import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { OrderPaymentStatus, PaymentMethod } from "#db/schema";
import { Field, FormError, TextareaField } from "~/components/forms";
import { formatCode } from "~/orders";
import { useQueuedSubmit } from "~/offline/OfflineQueue";
import { formatWhen } from "~/orders/OrderParts";
import { formatNumber, formatVnd } from "~/utils/format";
import { useActingPath } from "~/utils/acting-paths";

/** A form's answer: its message, its fields' messages, what was typed. */
export interface MoneyFormAnswer {
  errors?: Partial<Record<string, string>>;
  values?: Partial<Record<string, string>>;
}

export function SellerOrderMoney({
  order,
  money,
  refundReasonMax,
  received,
  refund,
}: {
  order: { code: string; paymentMethod: PaymentMethod; totalDong: number };
  money: {
    paymentStatus: OrderPaymentStatus;
    totalDong: number;
    paidDong: number;
    refundedDong: number;
    refundableDong: number;
    paidAt: Date | string | null;
    canMarkReceived: boolean;
    canRefund: boolean;
    refundsAtProvider: boolean;
  };
  refundReasonMax: number;
  received?: MoneyFormAnswer;
  refund?: MoneyFormAnswer;
}) {
  const to = useActingPath();
  const queued = useQueuedSubmit();
  const { t, i18n } = useTranslation(["orders", "payments"]);
  const lng = i18n.language;
  return (
    <section className="card stack" aria-labelledby="money-heading">
      <h2 id="money-heading">{t("payments:sellerOrder.heading")}</h2>
      <p>
        {t(`payment.${order.paymentMethod}`)}{" "}
        <span className={`status-badge status-badge--payment-${money.paymentStatus}`}>
          {t(`payments:paymentStatuses.${money.paymentStatus}`)}
        </span>
      </p>
      <dl className="order-totals">
        <dt>{t("payments:sellerOrder.total")}</dt>
        <dd>{formatVnd(money.totalDong, lng)}</dd>
        {money.paidDong > 0 ? (
          <>
            <dt>{t("payments:sellerOrder.paid")}</dt>
            <dd>{formatVnd(money.paidDong, lng)}</dd>
          </>
        ) : null}
        {money.paidAt ? (
          <>
            <dt>{t("payments:sellerOrder.paidAt")}</dt>
            <dd>{formatWhen(money.paidAt, lng)}</dd>
          </>
        ) : null}
        {money.refundedDong > 0 ? (
          <>
            <dt>{t("payments:sellerOrder.refunded")}</dt>
            <dd>{formatVnd(money.refundedDong, lng)}</dd>
          </>
        ) : null}
      </dl>

      {money.canMarkReceived ? (
        <Form
          method="post"
          className="stack"
          aria-labelledby="received-heading"
          onSubmit={queued("order.received", `${t("payments:sellerOrder.receivedButton")} ${formatCode(order.code)}`)}
        >
          <h3 id="received-heading">{t("payments:sellerOrder.receivedHeading")}</h3>
          <input type="hidden" name="intent" value="received" />
          <p className="field-hint">
            {t(
              order.paymentMethod === "vietqr"
                ? "payments:sellerOrder.receivedHintVietqr"
                : "payments:sellerOrder.receivedHintCod",
              { code: formatCode(order.code), total: formatVnd(order.totalDong, lng) },
            )}
          </p>
          <FormError id="received-error" message={received?.errors?.form} />
          <Field
            name="amount"
            label={t("payments:sellerOrder.receivedAmount")}
            inputMode="numeric"
            autoComplete="off"
            required
            maxLength={20}
            defaultValue={received?.values?.amount ?? formatNumber(order.totalDong, lng)}
            error={received?.errors?.amount}
          />
          <button type="submit" className="btn btn-primary">
            {t("payments:sellerOrder.receivedButton")}
          </button>
          {order.paymentMethod === "vietqr" ? (
            <p>
              <Link to={to("/seller/payments/import")}>{t("payments:sellerOrder.importLink")}</Link>
            </p>
          ) : null}
        </Form>
      ) : null}

      {money.canRefund ? (
        <Form method="post" className="stack" aria-labelledby="refund-heading">
          <h3 id="refund-heading">{t("payments:sellerOrder.refundHeading")}</h3>
          <input type="hidden" name="intent" value="refund" />
          <p className="field-hint">
            {t(
              money.refundsAtProvider
                ? "payments:sellerOrder.refundHintOnline"
                : "payments:sellerOrder.refundHintByHand",
              { method: t(`payment.${order.paymentMethod}`) },
            )}
          </p>
          <FormError id="refund-error" message={refund?.errors?.form} />
          <Field
            name="amount"
            id="f-refund-amount"
            label={t("payments:sellerOrder.refundAmount", { max: formatVnd(money.refundableDong, lng) })}
            inputMode="numeric"
            autoComplete="off"
            required
            maxLength={20}
            defaultValue={refund?.values?.amount ?? formatNumber(money.refundableDong, lng)}
            error={refund?.errors?.amount}
          />
          <TextareaField
            name="reason"
            id="f-refund-reason"
            label={t("payments:sellerOrder.refundReason")}
            required
            maxLength={refundReasonMax}
            rows={2}
            defaultValue={refund?.values?.reason ?? ""}
            error={refund?.errors?.reason}
          />
          <button type="submit" className="btn">
            {t(
              money.refundsAtProvider ? "payments:sellerOrder.refundButton" : "payments:sellerOrder.refundByHandButton",
            )}
          </button>
        </Form>
      ) : null}
    </section>
  );
}
