import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field, FormError, TextareaField } from "~/components/forms";
import { getLocale, getT } from "~/i18n/index.server";
import { confirmDeadline } from "~/jobs/index.server";
import {
  cancelReasonText,
  formatCode,
  normalizeCode,
  OrderError,
  nextStatuses,
  ORDER_STATUSES,
  type OrderStatusCode,
} from "~/orders";
import { ConfirmDeadline, formatWhen, OrderStatusBadge, OrderTimeline, OrderTotals } from "~/orders/OrderParts";
import { deliveryAddress, CANCEL_REASON_MAX, changeOrderStatus, getOrder } from "~/orders/index.server";
import { PaymentError } from "~/payments";
import {
  markPaidByFarmer,
  cancelBySeller,
  orderMoney,
  parseMarkReceivedForm,
  parseRefundForm,
  recordCashOnDelivery,
  refundOrder,
  REFUND_REASON_MAX,
} from "~/payments/index.server";
import { telHref } from "~/stalls";
import { requireActingStall } from "~/stalls/index.server";
import { db } from "~/utils/db.server";
import { formatNumber, formatVnd } from "~/utils/format";
import { formatPhone } from "~/utils/phone";
import { redirectWithToast } from "~/utils/toast.server";

export const handle = { i18n: ["common", "seller", "orders", "listings", "payments"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

/** This stall's order, or 404: another stall's code reads exactly like one that does not exist. */
async function loadOwnOrder(request: Request, orderCode: string | undefined) {
  const { user, stall } = await requireActingStall(request);
  const code = normalizeCode(orderCode);
  const details = code ? await getOrder(db, { orderCode: code }, { stallId: stall.id }) : null;
  if (!code || !details) throw new Response("Not found", { status: 404 });
  return { user, stall, code, details };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { details } = await loadOwnOrder(request, params.orderCode);
  const { order, items, timeline } = details;
  const [t, lng, money] = await Promise.all([getT(request, "orders"), getLocale(request), orderMoney(db, order)]);
  return {
    title: `${t("page.title", { code: formatCode(order.code) })} – Gian Hàng Số`,
    order: {
      code: order.code,
      status: order.status,
      createdAt: order.createdAt,
      buyerName: order.buyerName,
      buyerPhone: order.buyerPhone,
      deliveryMethod: order.deliveryMethod,
      address: await deliveryAddress(db, order, lng),
      buyerNote: order.buyerNote,
      subtotalDong: order.subtotalDong,
      deliveryFeeDong: order.deliveryFeeDong,
      totalDong: order.totalDong,
      paymentMethod: order.paymentMethod,
      cancelReason: order.cancelReason,
      confirmBy: order.status === "placed" ? confirmDeadline(order.createdAt) : null,
    },
    // Only the buttons the state machine will accept from the farmer now.
    next: nextStatuses(order.status, "farmer", order.deliveryMethod),
    reasonMax: CANCEL_REASON_MAX,
    refundReasonMax: REFUND_REASON_MAX,
    money,
    items,
    timeline,
  };
}

type ActionAnswer = {
  intent: "advance" | "received" | "refund";
  error?: string;
  errors?: Record<string, string>;
  values?: Record<string, string>;
};

/**
 * Three forms post here (all work without JavaScript): "advance" (the next
 * status, or cancel with a reason: a paid online order is refunded first),
 * "received" (the farmer got the VietQR transfer or the cash: the amount must
 * be the total), "refund" (an amount and a reason).
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const { user, stall, code } = await loadOwnOrder(request, params.orderCode);
  const t = await getT(request, ["orders", "payments"]);
  const lng = await getLocale(request);
  const form = await request.formData();
  const intent = form.get("intent");
  const actor = { role: "farmer" as const, userId: user.id };
  const text = (name: string) => String(form.get(name) ?? "");
  const refusal = (error: PaymentError) =>
    t(error.textKey, {
      expected: error.details.expectedDong !== undefined ? formatVnd(error.details.expectedDong, lng) : "",
      available: error.details.availableDong !== undefined ? formatVnd(error.details.availableDong, lng) : "",
    });
  const fieldMessages = (errors: Record<string, string>) =>
    Object.fromEntries(Object.entries(errors).map(([field, key]) => [field, t(`payments:${key}`)]));
  const done = (key: string, values: Record<string, string | number> = {}) =>
    redirectWithToast(`/seller/orders/${code}`, { key, values: { code: formatCode(code), ...values } });

  if (intent === "received") {
    const values = { amount: text("amount") };
    const parsed = parseMarkReceivedForm(form);
    if (!parsed.ok) {
      return data<ActionAnswer>({ intent, errors: fieldMessages(parsed.errors), values }, { status: 400 });
    }
    try {
      const { changed } = await markPaidByFarmer(db, {
        order: { orderCode: code },
        stallId: stall.id,
        actor,
        amountDong: parsed.data.amount,
      });
      return done(changed ? "payments:sellerOrder.receivedToast" : "payments:sellerOrder.alreadyPaidToast");
    } catch (error) {
      if (!(error instanceof PaymentError)) throw error;
      return data<ActionAnswer>({ intent, error: refusal(error), values }, { status: error.httpStatus });
    }
  }

  if (intent === "refund") {
    const values = { amount: text("amount"), reason: text("reason") };
    const parsed = parseRefundForm(form);
    if (!parsed.ok) {
      return data<ActionAnswer>({ intent, errors: fieldMessages(parsed.errors), values }, { status: 400 });
    }
    try {
      const { refund } = await refundOrder(db, {
        orderCode: code,
        stallId: stall.id,
        amountDong: parsed.data.amount,
        reason: parsed.data.reason,
        actor,
      });
      return done("payments:sellerOrder.refundedToast", { amount: formatVnd(refund.amountDong, lng) });
    } catch (error) {
      if (!(error instanceof PaymentError)) throw error;
      return data<ActionAnswer>({ intent, error: refusal(error), values }, { status: error.httpStatus });
    }
  }

  const to = text("to") as OrderStatusCode;
  const reason = text("reason");
  if (intent !== "advance" || !ORDER_STATUSES.includes(to)) {
    return data<ActionAnswer>(
      { intent: "advance", error: t("errors.invalid_input"), values: { reason } },
      { status: 400 },
    );
  }
  try {
    if (to === "cancelled") {
      const { refundedDong } = await cancelBySeller(db, { orderCode: code, stallId: stall.id, reason, actor });
      if (refundedDong > 0)
        return done("payments:sellerOrder.cancelledRefundedToast", { amount: formatVnd(refundedDong, lng) });
    } else {
      await changeOrderStatus(db, {
        order: { orderCode: code },
        scope: { stallId: stall.id },
        to,
        actor,
        reason,
        onDelivered: recordCashOnDelivery,
      });
    }
  } catch (error) {
    if (error instanceof PaymentError) {
      return data<ActionAnswer>(
        { intent: "advance", error: refusal(error), values: { reason } },
        { status: error.httpStatus },
      );
    }
    if (!(error instanceof OrderError)) throw error;
    const message = error.fields.reason ? t(error.fields.reason) : t(error.messageKey);
    return data<ActionAnswer>({ intent: "advance", error: message, values: { reason } }, { status: error.httpStatus });
  }
  return done("orders:seller.changedToast", { status: t(`statuses.${to}`) });
}

export default function SellerOrder() {
  const { order, next, items, timeline, reasonMax, refundReasonMax, money } = useLoaderData<typeof loader>();
  const answer: ActionAnswer | undefined = useActionData<typeof action>();
  const { t, i18n } = useTranslation(["orders", "listings", "payments"]);
  const advances = next.filter((s) => s !== "cancelled");
  const canCancel = next.includes("cancelled");
  const lng = i18n.language;
  // Each form shows its own problems and keeps what was typed.
  const of = (intent: ActionAnswer["intent"]) => (answer?.intent === intent ? answer : undefined);
  const received = of("received");
  const refund = of("refund");
  const advanced = of("advance");

  return (
    <main className="page stack order-page">
      <p>
        <Link to="/seller/orders">{t("seller.back")}</Link>
      </p>
      <h1>{t("page.heading", { code: formatCode(order.code) })}</h1>
      <p>
        <OrderStatusBadge status={order.status} />{" "}
        <span className="muted">{t("page.placedAt", { when: formatWhen(order.createdAt, i18n.language) })}</span>
      </p>
      {order.status === "cancelled" && order.cancelReason ? (
        <p>{t("page.cancelReason", { reason: cancelReasonText(order.cancelReason, t) })}</p>
      ) : null}
      {order.confirmBy ? <ConfirmDeadline by={order.confirmBy} audience="seller" /> : null}
      <FormError message={advanced?.error} />

      <section className="card stack" aria-labelledby="next-heading">
        <h2 id="next-heading">{t("seller.actionsHeading")}</h2>
        {advances.length > 0 ? (
          <div className="button-row">
            {advances.map((to) => (
              <Form method="post" key={to}>
                <input type="hidden" name="intent" value="advance" />
                <input type="hidden" name="to" value={to} />
                <button type="submit" className="btn btn-primary">
                  {t(`actions.${to}`)}
                </button>
              </Form>
            ))}
          </div>
        ) : (
          <p className="muted">{t("seller.noActions")}</p>
        )}
      </section>

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
          <Form method="post" className="stack" aria-labelledby="received-heading">
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
            <FormError id="received-error" message={received?.error} />
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
                <Link to="/seller/payments/import">{t("payments:sellerOrder.importLink")}</Link>
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
                {
                  method: t(`payment.${order.paymentMethod}`),
                },
              )}
            </p>
            <FormError id="refund-error" message={refund?.error} />
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
                money.refundsAtProvider
                  ? "payments:sellerOrder.refundButton"
                  : "payments:sellerOrder.refundByHandButton",
              )}
            </button>
          </Form>
        ) : null}
      </section>

      <section className="stack" aria-labelledby="packing-heading">
        <h2 id="packing-heading">{t("seller.packingList")}</h2>
        <ul className="packing-list">
          {items.map((item) => (
            <li key={item.id}>
              <strong>
                {item.qty} {t(`listings:units.${item.unit}`, { defaultValue: item.unit })}
              </strong>{" "}
              {item.title} <span className="muted">· {formatVnd(item.lineTotalDong, i18n.language)}</span>
            </li>
          ))}
        </ul>
        <OrderTotals
          subtotalDong={order.subtotalDong}
          deliveryFeeDong={order.deliveryFeeDong}
          totalDong={order.totalDong}
        />
      </section>

      <section className="stack" aria-labelledby="buyer-heading">
        <h2 id="buyer-heading">{t("seller.buyer")}</h2>
        <p>
          {order.buyerName} · {formatPhone(order.buyerPhone)}
        </p>
        <p>
          <a className="btn" href={telHref(order.buyerPhone)}>
            {t("seller.callBuyer")}
          </a>
        </p>
        <p>{t(`delivery.${order.deliveryMethod}`)}</p>
        {order.address ? <p>{t("page.deliverTo", { address: order.address })}</p> : null}
        {order.buyerNote ? <p>{t("page.note", { note: order.buyerNote })}</p> : null}
      </section>

      <section className="stack" aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">{t("page.timeline")}</h2>
        <OrderTimeline events={timeline} />
      </section>

      {canCancel ? (
        <section className="card stack" aria-labelledby="cancel-heading">
          <h2 id="cancel-heading">{t("seller.cancelHeading")}</h2>
          <Form method="post" className="stack">
            <input type="hidden" name="intent" value="advance" />
            <input type="hidden" name="to" value="cancelled" />
            {money.canRefund ? (
              <p className="field-hint">
                {t(
                  money.refundsAtProvider
                    ? "payments:sellerOrder.cancelRefunds"
                    : "payments:sellerOrder.cancelRefundFirst",
                  {
                    amount: formatVnd(money.refundableDong, lng),
                  },
                )}
              </p>
            ) : null}
            <TextareaField
              name="reason"
              label={t("seller.cancelReasonLabel")}
              required
              maxLength={reasonMax}
              rows={2}
              defaultValue={advanced?.values?.reason ?? ""}
            />
            <button type="submit" className="btn">
              {t("actions.cancelled")}
            </button>
          </Form>
        </section>
      ) : null}
    </main>
  );
}
