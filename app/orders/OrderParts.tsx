/**
 * Pieces of the order pages shared by the buyer's (/orders/:orderCode) and the
 * farmer's (/seller/orders/:orderCode) views: status badge, items, totals and
 * the timeline. They take plain loader data (dates may arrive as strings).
 */
import { useTranslation } from "react-i18next";
import { cancelReasonText } from "./cancel-reasons";
import type { OrderStatusCode } from "./state-machine";
import type { OrderPaymentStatus } from "#db/schema";
import { formatDate, formatDateTime, formatVnd } from "~/utils/format";

/** dd/MM/yyyy HH:mm in Vietnam's time zone: how the timeline and lists say "when". */
export function formatWhen(date: Date | string, lng: string): string {
  // formatDateTime is "HH:mm dd/MM/yyyy"; the order pages put the day first.
  return `${formatDate(date, lng)} ${formatDateTime(date, lng).slice(0, 5)}`;
}

export function OrderStatusBadge({ status }: { status: OrderStatusCode }) {
  const { t } = useTranslation("orders");
  return <span className={`status-badge order-status order-status--${status}`}>{t(`statuses.${status}`)}</span>;
}

/**
 * While an order waits for the farmer: by when it must be confirmed before the
 * system cancels it (app/jobs, ORDER_CONFIRM_HOURS).
 */
export function ConfirmDeadline({ by, audience }: { by: Date | string; audience: "buyer" | "seller" }) {
  const { t, i18n } = useTranslation("orders");
  const key = audience === "buyer" ? "page.confirmBy" : "seller.confirmBy";
  return <p className="order-deadline">{t(key, { when: formatDateTime(by, i18n.language) })}</p>;
}

export interface ItemRow {
  id: string;
  title: string;
  unit: string;
  unitPriceDong: number;
  qty: number;
  lineTotalDong: number;
}

/** "Vải thiều — 3 kg × 45.000 ₫ = 135.000 ₫", one row per item. */
export function OrderItemList({ items }: { items: ItemRow[] }) {
  const { t, i18n } = useTranslation(["orders", "listings"]);
  return (
    <ul className="order-items">
      {items.map((item) => (
        <li key={item.id}>
          <span className="order-items__title">{item.title}</span>
          <span className="muted">
            {t("page.itemLine", {
              qty: item.qty,
              unit: t(`listings:units.${item.unit}`, { defaultValue: item.unit }),
              price: formatVnd(item.unitPriceDong, i18n.language),
            })}
          </span>
          <span className="order-items__total">{formatVnd(item.lineTotalDong, i18n.language)}</span>
        </li>
      ))}
    </ul>
  );
}

export function OrderTotals({
  subtotalDong,
  deliveryFeeDong,
  totalDong,
}: {
  subtotalDong: number;
  deliveryFeeDong: number;
  totalDong: number;
}) {
  const { t, i18n } = useTranslation("orders");
  return (
    <dl className="order-totals">
      <dt>{t("page.subtotal")}</dt>
      <dd>{formatVnd(subtotalDong, i18n.language)}</dd>
      <dt>{t("page.deliveryFee")}</dt>
      <dd>{formatVnd(deliveryFeeDong, i18n.language)}</dd>
      <dt className="order-totals__total">{t("page.total")}</dt>
      <dd className="order-totals__total">{formatVnd(totalDong, i18n.language)}</dd>
    </dl>
  );
}

export interface TimelineRow {
  id: string;
  at: Date | string;
  actorRole: "buyer" | "farmer" | "officer" | "system";
  fromStatus: OrderStatusCode | null;
  toStatus: OrderStatusCode;
  /** Set on rows that change the payment (app/payments): the payment status after the change… */
  paymentStatus?: OrderPaymentStatus | null;
  /** …and the đồng it speaks of (paid, or refunded by this change). */
  amountDong?: number | null;
  note: string;
}

/**
 * What a timeline row says: placed; a status change ("Đã đặt → Đã xác nhận");
 * a payment ("Đã thanh toán 150.000 ₫", the order's status unchanged); or
 * both at once (delivering a cash-on-delivery order).
 */
function timelineText(e: TimelineRow, t: (key: string, values?: Record<string, unknown>) => string, lng: string) {
  const payment = e.paymentStatus
    ? t(`page.timelinePayment.${e.paymentStatus}`, { amount: formatVnd(e.amountDong ?? 0, lng) })
    : null;
  if (!e.fromStatus) return t("page.timelinePlaced");
  if (payment && e.fromStatus === e.toStatus) return payment;
  const change = t("page.timelineChange", { from: t(`statuses.${e.fromStatus}`), to: t(`statuses.${e.toStatus}`) });
  return payment ? `${change} · ${payment}` : change;
}

/** Oldest first: when, who, from → to or the payment, and the note (a cancellation's reason). */
export function OrderTimeline({ events }: { events: TimelineRow[] }) {
  const { t, i18n } = useTranslation("orders");
  return (
    <ol className="order-timeline">
      {events.map((e) => (
        <li key={e.id}>
          <time dateTime={new Date(e.at).toISOString()}>{formatWhen(e.at, i18n.language)}</time>
          <span>
            <strong>{t(`actors.${e.actorRole}`)}</strong>
            {": "}
            {timelineText(e, t, i18n.language)}
          </span>
          {e.note ? (
            <span className="muted">{t("page.timelineNote", { note: cancelReasonText(e.note, t) })}</span>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
