/**
 * The sections the buyer's order page (/orders/:orderCode) and the farmer's
 * (/seller/orders/:orderCode) both show: the heading with the status, where
 * the order goes, its timeline and the cancel form. They take plain loader
 * data (dates may arrive as strings).
 */
import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { CANCEL_REASON_MAX, cancelReasonText } from "./cancel-reasons";
import { formatCode } from "./codes";
import { ConfirmDeadline, formatWhen, OrderStatusBadge, OrderTimeline, type TimelineRow } from "./OrderParts";
import type { DeliveryMethodCode, OrderStatusCode } from "./state-machine";
import { Field, TextareaField } from "~/components/forms";
import { formatPhone } from "~/utils/phone";

type Audience = "buyer" | "seller";

/**
 * "Đơn hàng ABCD-2345", its status and when it was placed, why it was
 * cancelled, and by when it must be confirmed (unless `deadline` is false: the
 * buyer's page shows it after the payment, so a QR to pay is on the first screen).
 */
export function OrderHeading({
  order,
  audience,
  deadline = true,
}: {
  order: {
    code: string;
    status: OrderStatusCode;
    createdAt: Date | string;
    cancelReason: string | null;
    confirmBy: Date | string | null;
  };
  audience: Audience;
  deadline?: boolean;
}) {
  const { t, i18n } = useTranslation("orders");
  return (
    <>
      <h1>{t("page.heading", { code: formatCode(order.code) })}</h1>
      <p>
        <OrderStatusBadge status={order.status} />{" "}
        <span className="muted">{t("page.placedAt", { when: formatWhen(order.createdAt, i18n.language) })}</span>
      </p>
      {order.status === "cancelled" && order.cancelReason ? (
        <p>{t("page.cancelReason", { reason: cancelReasonText(order.cancelReason, t) })}</p>
      ) : null}
      {deadline && order.confirmBy ? <ConfirmDeadline by={order.confirmBy} audience={audience} /> : null}
    </>
  );
}

/**
 * Where the order goes. The buyer reads the method, where to, the pickup
 * place, who receives it and the note; the farmer reads who ordered (and
 * `contact`, the call button), the method, where to and the note.
 */
export function OrderDelivery({
  order,
  audience,
  contact,
}: {
  order: {
    deliveryMethod: DeliveryMethodCode;
    address: string;
    pickupAddress?: string;
    buyerName: string;
    buyerPhone: string;
    buyerNote: string;
  };
  audience: Audience;
  contact?: ReactNode;
}) {
  const { t } = useTranslation("orders");
  const buyer = audience === "buyer";
  const id = buyer ? "delivery-heading" : "buyer-heading";
  return (
    <section className="stack" aria-labelledby={id}>
      <h2 id={id}>{t(buyer ? "page.delivery" : "seller.buyer")}</h2>
      {buyer ? null : (
        <>
          <p>
            {order.buyerName} · {formatPhone(order.buyerPhone)}
          </p>
          {contact}
        </>
      )}
      <p>{t(`delivery.${order.deliveryMethod}`)}</p>
      {order.address ? <p>{t("page.deliverTo", { address: order.address })}</p> : null}
      {buyer && order.pickupAddress ? <p>{t("page.pickupAt", { address: order.pickupAddress })}</p> : null}
      {buyer ? <p>{t("page.recipient", { name: order.buyerName, phone: formatPhone(order.buyerPhone) })}</p> : null}
      {order.buyerNote ? <p>{t("page.note", { note: order.buyerNote })}</p> : null}
    </section>
  );
}

export function OrderTimelineSection({ events }: { events: TimelineRow[] }) {
  const { t } = useTranslation("orders");
  return (
    <section className="stack" aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">{t("page.timeline")}</h2>
      <OrderTimeline events={events} />
    </section>
  );
}

/**
 * Cancelling, with a reason. The buyer's form posts intent=cancel (the reason
 * is optional); the farmer's posts the "cancelled" step (the reason is
 * required, and `hint` says what happens to money already paid).
 */
export function CancelOrderForm({
  audience,
  hint,
  defaultReason = "",
  error,
}: {
  audience: Audience;
  hint?: ReactNode;
  defaultReason?: string;
  error?: string;
}) {
  const { t } = useTranslation("orders");
  const buyer = audience === "buyer";
  return (
    <section className="card stack" aria-labelledby="cancel-heading">
      <h2 id="cancel-heading">{t(buyer ? "page.cancelHeading" : "seller.cancelHeading")}</h2>
      {buyer ? <p>{t("page.cancelHint")}</p> : null}
      <Form method="post" className="stack">
        {buyer ? (
          <input type="hidden" name="intent" value="cancel" />
        ) : (
          <>
            <input type="hidden" name="intent" value="advance" />
            <input type="hidden" name="to" value="cancelled" />
          </>
        )}
        {hint}
        {buyer ? (
          <Field name="reason" label={t("page.buyerReasonLabel")} maxLength={CANCEL_REASON_MAX} error={error} />
        ) : (
          <TextareaField
            name="reason"
            label={t("seller.cancelReasonLabel")}
            required
            maxLength={CANCEL_REASON_MAX}
            rows={2}
            defaultValue={defaultReason}
            error={error}
          />
        )}
        <button type="submit" className="btn">
          {t(buyer ? "page.cancelButton" : "actions.cancelled")}
        </button>
      </Form>
    </section>
  );
}
