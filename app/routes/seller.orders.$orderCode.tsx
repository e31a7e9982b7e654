import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormError } from "~/components/forms";
import { answerRefusal, type FormErrors } from "~/http/index.server";
import { getLocale, getT } from "~/i18n/index.server";
import { confirmDeadline } from "~/jobs/index.server";
import { formatCode, normalizeCode, OrderError, nextStatuses, ORDER_STATUSES, type OrderStatusCode } from "~/orders";
import { OrderTotals } from "~/orders/OrderParts";
import { CancelOrderForm, OrderDelivery, OrderHeading, OrderTimelineSection } from "~/orders/OrderSections";
import { getOrder, orderForPage } from "~/orders/index.server";
import {
  markPaidByFarmer,
  moveOrderOn,
  orderMoney,
  parseMarkReceivedForm,
  parseRefundForm,
  refundOrder,
  REFUND_REASON_MAX,
} from "~/payments/index.server";
import { useQueuedSubmit } from "~/offline/OfflineQueue";
import { SellerOrderMoney } from "~/payments/SellerOrderMoney";
import { telHref } from "~/stalls";
import { requireActingStall } from "~/stalls/index.server";
import { db } from "~/utils/db.server";
import { formatVnd } from "~/utils/format";
import { formValues, translateErrors, type FormValues } from "~/utils/forms";
import { redirectWithToast } from "~/utils/toast.server";
import { pageTitle } from "~/utils/page-title";
import { useActingPath } from "~/utils/acting-paths";

export const handle = { i18n: ["common", "seller", "orders", "listings", "payments"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

/** This stall's order, or 404: another stall's code reads exactly like one that does not exist. */
async function loadOwnOrder(request: Request, orderCode: string | undefined) {
  const { user, stall, actor, path } = await requireActingStall(request);
  const code = normalizeCode(orderCode);
  const details = code ? await getOrder(db, { orderCode: code }, { stallId: stall.id }) : null;
  if (!code || !details) throw new Response("Not found", { status: 404 });
  return { user, stall, code, details, actor, path };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { details } = await loadOwnOrder(request, params.orderCode);
  const { order, items, timeline } = details;
  const [t, lng, money] = await Promise.all([getT(request, "orders"), getLocale(request), orderMoney(db, order)]);
  return {
    title: pageTitle(t("page.title", { code: formatCode(order.code) })),
    order: {
      ...(await orderForPage(db, order, lng)),
      confirmBy: order.status === "placed" ? confirmDeadline(order.createdAt) : null,
    },
    // Only the buttons the state machine will accept from the farmer now.
    next: nextStatuses(order.status, "farmer", order.deliveryMethod),
    refundReasonMax: REFUND_REASON_MAX,
    money,
    items,
    timeline,
  };
}

type Intent = "advance" | "received" | "refund";
const FIELDS: Record<Intent, string[]> = { advance: ["reason"], received: ["amount"], refund: ["amount", "reason"] };

/**
 * Three forms post here (all work without JavaScript): "advance" (the next
 * status, or cancel with a reason: a paid online order is refunded first),
 * "received" (the farmer got the VietQR transfer or the cash: the amount must
 * be the total), "refund" (an amount and a reason). Each answer names its form.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const { stall, code, actor, path } = await loadOwnOrder(request, params.orderCode);
  const [t, lng, form] = await Promise.all([
    getT(request, ["orders", "payments"]),
    getLocale(request),
    request.formData(),
  ]);
  const posted = form.get("intent");
  const intent: Intent = posted === "received" || posted === "refund" ? posted : "advance";
  const values = formValues(form, FIELDS[intent]);
  const order = { orderCode: code, stallId: stall.id };
  const done = (key: string, toast: Record<string, string | number> = {}) =>
    redirectWithToast(path(`/seller/orders/${code}`), { key, values: { code: formatCode(code), ...toast } });
  const invalid = (errors: Record<string, string>) =>
    data({ intent, errors: translateErrors(t, errors, "payments") as FormErrors, values }, { status: 400 });

  try {
    if (intent === "received") {
      const parsed = parseMarkReceivedForm(form);
      if (!parsed.ok) return invalid(parsed.errors);
      const { changed } = await markPaidByFarmer(db, {
        order: { orderCode: code },
        stallId: stall.id,
        actor,
        amountDong: parsed.data.amount,
      });
      return done(changed ? "payments:sellerOrder.receivedToast" : "payments:sellerOrder.alreadyPaidToast");
    }
    if (intent === "refund") {
      const parsed = parseRefundForm(form);
      if (!parsed.ok) return invalid(parsed.errors);
      const { refund } = await refundOrder(db, {
        ...order,
        amountDong: parsed.data.amount,
        reason: parsed.data.reason,
        actor,
      });
      return done("payments:sellerOrder.refundedToast", { amount: formatVnd(refund.amountDong, lng) });
    }
    const to = String(form.get("to") ?? "") as OrderStatusCode;
    if (posted !== "advance" || !ORDER_STATUSES.includes(to)) throw new OrderError("invalid_input");
    const { refundedDong } = await moveOrderOn(db, { ...order, to, reason: values.reason, actor });
    if (refundedDong > 0) {
      return done("payments:sellerOrder.cancelledRefundedToast", { amount: formatVnd(refundedDong, lng) });
    }
    return done("orders:seller.changedToast", { status: t(`statuses.${to}`) });
  } catch (error) {
    // `error`: the message under the name this page's answers had before errors.form.
    return answerRefusal(t, error, values, (errors) => ({ intent, error: errors.form }));
  }
}

type Answer = { intent: Intent; errors?: FormErrors; values?: FormValues };

export default function SellerOrder() {
  const { order, next, items, timeline, refundReasonMax, money } = useLoaderData<typeof loader>();
  const answer: Answer | undefined = useActionData<typeof action>();
  const { t, i18n } = useTranslation(["orders", "listings", "payments"]);
  const to = useActingPath();
  const queued = useQueuedSubmit();
  const advances = next.filter((s) => s !== "cancelled");
  const lng = i18n.language;
  // Each form shows its own problems and keeps what was typed.
  const of = (intent: Intent) => (answer?.intent === intent ? answer : undefined);
  const advanced = of("advance");

  return (
    <main className="page stack order-page">
      <p>
        <Link to={to("/seller/orders")}>{t("seller.back")}</Link>
      </p>
      <OrderHeading order={order} audience="seller" />
      <FormError message={advanced?.errors?.form} />

      <section className="card stack" aria-labelledby="next-heading">
        <h2 id="next-heading">{t("seller.actionsHeading")}</h2>
        {advances.length > 0 ? (
          <div className="button-row">
            {advances.map((to) => (
              <Form
                method="post"
                key={to}
                onSubmit={queued("order.advance", `${t(`actions.${to}`)} ${formatCode(order.code)}`)}
              >
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

      <SellerOrderMoney
        order={order}
        money={money}
        refundReasonMax={refundReasonMax}
        received={of("received")}
        refund={of("refund")}
      />

      <section className="stack" aria-labelledby="packing-heading">
        <h2 id="packing-heading">{t("seller.packingList")}</h2>
        <ul className="packing-list">
          {items.map((item) => (
            <li key={item.id}>
              <strong>
                {item.qty} {t(`listings:units.${item.unit}`, { defaultValue: item.unit })}
              </strong>{" "}
              {item.title} <span className="muted">· {formatVnd(item.lineTotalDong, lng)}</span>
            </li>
          ))}
        </ul>
        <OrderTotals
          subtotalDong={order.subtotalDong}
          deliveryFeeDong={order.deliveryFeeDong}
          totalDong={order.totalDong}
        />
      </section>

      <OrderDelivery
        order={order}
        audience="seller"
        contact={
          <p>
            <a className="btn" href={telHref(order.buyerPhone)}>
              {t("seller.callBuyer")}
            </a>
          </p>
        }
      />
      <OrderTimelineSection events={timeline} />
      {next.includes("cancelled") ? (
        <CancelOrderForm
          audience="seller"
          defaultReason={advanced?.values?.reason ?? ""}
          error={advanced?.errors?.reason}
          hint={
            money.canRefund ? (
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
            ) : null
          }
        />
      ) : null}
    </main>
  );
}
