import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getUser } from "~/auth/index.server";
import { Field, FormError } from "~/components/forms";
import { answerRefusal } from "~/http/index.server";
import { getT, getLocale } from "~/i18n/index.server";
import { confirmDeadline } from "~/jobs/index.server";
import { formatCode, normalizeCode, OrderError } from "~/orders";
import { ConfirmDeadline, OrderItemList, OrderStatusBadge, OrderTotals } from "~/orders/OrderParts";
import { CancelOrderForm, OrderDelivery, OrderHeading, OrderTimelineSection } from "~/orders/OrderSections";
import { buyerOrderPage, cancelOrderAsBuyer, orderToPay, unlockOrder } from "~/orders/index.server";
import { CheckoutWaiting } from "~/payments/CheckoutWaiting";
import { OrderPaymentBlock } from "~/payments/OrderPaymentBlock";
import { PaymentError } from "~/payments";
import {
  orderPaymentView,
  startOnlinePayment,
  isOnlineMethod,
  VNPAY_MAX_DONG,
  VNPAY_MIN_DONG,
  waitingBesides,
} from "~/payments/index.server";
import { publicOrigin } from "~/stalls/index.server";
import { telHref } from "~/stalls";
import { clientIpFrom } from "~/utils/client-ip.server";
import { db } from "~/utils/db.server";
import { formatVnd } from "~/utils/format";
import { formatPhone } from "~/utils/phone";
import { redirectWithToast } from "~/utils/toast.server";
import { pageTitle } from "~/utils/page-title";

export const handle = { i18n: ["common", "orders", "listings", "payments"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title },
  // Order pages hold a buyer's name and address: never in a search engine.
  { name: "robots", content: "noindex" },
];

/** The order for its buyer, or the phone form for anyone else (app/orders/order-access.server.ts says who is who). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const [t, lng, user] = await Promise.all([getT(request, "orders"), getLocale(request), getUser(request)]);
  const page = await buyerOrderPage(db, request, { orderCode: params.orderCode, viewer: user, lng });
  if (!page) throw new Response("Not found", { status: 404 });
  const title = pageTitle(t("page.title", { code: formatCode(page.code) }));
  if (page.locked) return { locked: true as const, title, code: page.code, signedIn: Boolean(user) };

  const { row, setCookie, ...view } = page;
  // The checkout's other payments still to make: for whoever came with its code, or its signed-in buyer.
  const buyer = view.checkout
    ? { checkoutCode: view.checkout.code }
    : user && row.buyerUserId === user.id
      ? { checkoutId: row.checkoutId, userId: user.id }
      : null;
  const shown = {
    ...view,
    title,
    order: { ...view.order, confirmBy: row.status === "placed" ? confirmDeadline(row.createdAt) : null },
    // The farmer's bank details for a VietQR transfer: only ever here, behind the order's access.
    payment: await orderPaymentView(db, row),
    waiting: buyer ? await waitingBesides(db, buyer, row.code) : null,
  };
  return setCookie ? data(shown, { headers: { "Set-Cookie": setCookie } }) : shown;
}

/** intent=unlock (the phone used at checkout), intent=cancel, intent=pay (a new attempt with the provider). */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const code = normalizeCode(params.orderCode);
  if (!code) throw new Response("Not found", { status: 404 });
  const [t, form] = await Promise.all([getT(request, ["orders", "common", "payments"]), request.formData()]);
  const here = `/orders/${code}${new URL(request.url).search}`;
  const text = (name: string) => String(form.get(name) ?? "");
  try {
    switch (form.get("intent")) {
      case "unlock": {
        const opened = await unlockOrder(db, request, {
          orderCode: code,
          phone: text("phone"),
          ip: clientIpFrom(context),
        });
        return redirect(here, { headers: { "Set-Cookie": opened } });
      }
      case "cancel": {
        await cancelOrderAsBuyer(db, request, {
          orderCode: code,
          viewer: await getUser(request),
          reason: text("reason"),
        });
        return redirectWithToast(here, { key: "orders:page.cancelledToast", values: { code: formatCode(code) } });
      }
      case "pay": {
        const order = await orderToPay(db, request, { orderCode: code, viewer: await getUser(request) });
        if (!isOnlineMethod(order.paymentMethod)) throw new PaymentError("wrong_method");
        const lng = await getLocale(request);
        const started = await startOnlinePayment(
          db,
          { checkoutId: order.checkoutId, provider: order.paymentMethod },
          { origin: publicOrigin(request), ip: clientIpFrom(context), locale: lng },
        );
        if (started.ok) return redirect(started.redirectUrl);
        const own = ["unavailable", "amount", "provider_down"].includes(started.reason);
        const message = t(own ? `payments:pay.refusals.${started.reason}` : `payments:refusals.${started.reason}`, {
          provider: t(`payments:orderPayment.providers.${started.provider}`),
          min: formatVnd(VNPAY_MIN_DONG, lng),
          max: formatVnd(VNPAY_MAX_DONG, lng),
        });
        return data(
          { errors: { form: message }, values: {}, error: message },
          { status: started.reason === "provider_down" ? 502 : 400 },
        );
      }
      default:
        throw new OrderError("invalid_input");
    }
  } catch (error) {
    // `error`: the message under the name this page's answers had before errors.form.
    return answerRefusal(t, error, {}, (errors) => ({ error: errors.form }));
  }
}

export default function OrderPage() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation(["orders", "common", "payments"]);
  const error = actionData?.errors.form;

  if (page.locked) {
    return (
      <main className="page page--narrow stack">
        <h1>{t("page.lockedHeading", { code: formatCode(page.code) })}</h1>
        <p>{t("page.lockedIntro")}</p>
        <FormError message={error} />
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="unlock" />
          <Field name="phone" label={t("page.phoneLabel")} type="tel" inputMode="tel" autoComplete="tel" required />
          <button type="submit" className="btn btn-primary btn-block">
            {t("page.unlockButton")}
          </button>
        </Form>
        {page.signedIn ? null : (
          <p className="muted">
            <Link to={`/login?redirectTo=${encodeURIComponent(`/orders/${page.code}`)}`}>{t("page.signInHint")}</Link>
          </p>
        )}
      </main>
    );
  }

  const { order, items, timeline, payment, waiting, stall, checkout, cancel } = page;
  return (
    <main className="page stack order-page">
      <OrderHeading order={order} audience="buyer" deadline={false} />
      <FormError message={error} />

      {/* First, so a VietQR code and its amount are on the first screen of a 360×640 phone. */}
      <OrderPaymentBlock payment={payment} cancelled={order.status === "cancelled"} />
      {waiting ? <CheckoutWaiting waiting={waiting} /> : null}
      {order.confirmBy ? <ConfirmDeadline by={order.confirmBy} audience="buyer" /> : null}

      {checkout && checkout.orders.length > 1 ? (
        <section className="card stack" aria-labelledby="checkout-heading">
          <h2 id="checkout-heading">{t("page.checkoutHeading")}</h2>
          <p>{t("page.checkoutIntro", { code: formatCode(checkout.code), count: checkout.orders.length })}</p>
          <ul className="list-plain order-siblings">
            {checkout.orders.map((o) => (
              <li key={o.code}>
                {o.current ? (
                  <span aria-current="page">
                    {formatCode(o.code)} · {o.stallName} {t("page.thisOrder")}
                  </span>
                ) : (
                  <Link to={`/orders/${o.code}?checkout=${checkout.code}`}>
                    {formatCode(o.code)} · {o.stallName}
                  </Link>
                )}{" "}
                <OrderStatusBadge status={o.status} /> {formatVnd(o.totalDong, i18n.language)}{" "}
                <span className="muted">{t(`payments:paymentStatuses.${o.paymentStatus}`)}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section className="card stack" aria-labelledby="stall-heading">
        <h2 id="stall-heading">{t("page.stall")}</h2>
        <p>
          <Link to={`/s/${stall.slug}`}>{stall.name}</Link>
        </p>
        {stall.phone ? (
          <p>
            <a className="btn btn-primary" href={telHref(stall.phone)}>
              {t("page.callStall", { phone: formatPhone(stall.phone) })}
            </a>
          </p>
        ) : null}
      </section>

      <section className="stack" aria-labelledby="items-heading">
        <h2 id="items-heading">{t("page.items")}</h2>
        <OrderItemList items={items} />
        <OrderTotals
          subtotalDong={order.subtotalDong}
          deliveryFeeDong={order.deliveryFeeDong}
          totalDong={order.totalDong}
        />
      </section>

      <OrderDelivery order={order} audience="buyer" />
      <OrderTimelineSection events={timeline} />
      {cancel ? <CancelOrderForm audience="buyer" /> : null}
    </main>
  );
}
