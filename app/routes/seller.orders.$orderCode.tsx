import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormError, TextareaField } from "~/components/forms";
import { getLocale, getT } from "~/i18n/i18n.server";
import { confirmDeadline } from "~/jobs/orders-expiry.server";
import { cancelReasonText } from "~/orders/cancel-reasons";
import { formatCode, normalizeCode } from "~/orders/codes";
import { OrderError } from "~/orders/errors";
import { ConfirmDeadline, formatWhen, OrderStatusBadge, OrderTimeline, OrderTotals } from "~/orders/OrderParts";
import { deliveryAddress } from "~/orders/order-views.server";
import { CANCEL_REASON_MAX, changeOrderStatus, getOrder } from "~/orders/orders.server";
import { nextStatuses, ORDER_STATUSES, type OrderStatusCode } from "~/orders/state-machine";
import { telHref } from "~/stalls/storefront";
import { requireSellerStall } from "~/stalls/ownership.server";
import { db } from "~/utils/db.server";
import { formatVnd } from "~/utils/format";
import { formatPhone } from "~/utils/phone";
import { redirectWithToast } from "~/utils/toast.server";

export const handle = { i18n: ["common", "seller", "orders", "listings"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

/** This stall's order, or 404: another stall's code reads exactly like one that does not exist. */
async function loadOwnOrder(request: Request, orderCode: string | undefined) {
  const { user, stall } = await requireSellerStall(request);
  const code = normalizeCode(orderCode);
  const details = code ? await getOrder(db, { orderCode: code }, { stallId: stall.id }) : null;
  if (!code || !details) throw new Response("Not found", { status: 404 });
  return { user, stall, code, details };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { details } = await loadOwnOrder(request, params.orderCode);
  const { order, items, timeline } = details;
  const [t, lng] = await Promise.all([getT(request, "orders"), getLocale(request)]);
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
    items,
    timeline,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, stall, code } = await loadOwnOrder(request, params.orderCode);
  const t = await getT(request, "orders");
  const form = await request.formData();
  const to = String(form.get("to") ?? "") as OrderStatusCode;
  const reason = String(form.get("reason") ?? "");
  if (form.get("intent") !== "advance" || !ORDER_STATUSES.includes(to)) {
    return data({ error: t("errors.invalid_input"), reason }, { status: 400 });
  }
  try {
    await changeOrderStatus(db, {
      order: { orderCode: code },
      scope: { stallId: stall.id },
      to,
      actor: { role: "farmer", userId: user.id },
      reason,
    });
  } catch (error) {
    if (!(error instanceof OrderError)) throw error;
    const message = error.fields.reason ? t(error.fields.reason) : t(error.messageKey);
    return data({ error: message, reason }, { status: error.httpStatus });
  }
  return redirectWithToast(`/seller/orders/${code}`, {
    key: "orders:seller.changedToast",
    values: { code: formatCode(code), status: t(`statuses.${to}`) },
  });
}

export default function SellerOrder() {
  const { order, next, items, timeline, reasonMax } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation(["orders", "listings"]);
  const advances = next.filter((s) => s !== "cancelled");
  const canCancel = next.includes("cancelled");

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
      <FormError message={actionData?.error} />

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
        <p>
          <strong>{t("page.payment")}:</strong> {t(`payment.${order.paymentMethod}`)}
        </p>
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
            <TextareaField
              name="reason"
              label={t("seller.cancelReasonLabel")}
              required
              maxLength={reasonMax}
              rows={2}
              defaultValue={actionData?.reason ?? ""}
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
