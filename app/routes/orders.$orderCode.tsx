import {
  createCookie,
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getUser } from "~/auth/index.server";
import { Field, FormError } from "~/components/forms";
import { getT, getLocale } from "~/i18n/index.server";
import { confirmDeadline } from "~/jobs/index.server";
import { cancelReasonText, formatCode, normalizeCode, OrderError, nextStatuses } from "~/orders";
import {
  ConfirmDeadline,
  formatWhen,
  OrderItemList,
  OrderStatusBadge,
  OrderTimeline,
  OrderTotals,
} from "~/orders/OrderParts";
import {
  deliveryAddress,
  stallContact,
  stallNames,
  changeOrderStatus,
  getCheckoutOrders,
  getOrder,
  type OrderDetails,
} from "~/orders/index.server";
import { OrderPaymentBlock } from "~/payments/OrderPaymentBlock";
import {
  orderPaymentView,
  startOnlinePayment,
  isOnlineMethod,
  VNPAY_MAX_DONG,
  VNPAY_MIN_DONG,
} from "~/payments/index.server";
import { publicOrigin } from "~/stalls/index.server";
import { telHref } from "~/stalls";
import { clientIpFrom } from "~/utils/client-ip.server";
import { db } from "~/utils/db.server";
import { env, sessionSecrets } from "~/utils/env.server";
import { formatVnd } from "~/utils/format";
import { formatPhone, parseVietnameseMobile } from "~/utils/phone";
import { countHit } from "~/http/index.server";
import { redirectWithToast } from "~/utils/toast.server";

export const handle = { i18n: ["common", "orders", "listings", "payments"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title },
  // Order pages hold a buyer's name and address: never in a search engine.
  { name: "robots", content: "noindex" },
];

/**
 * Who may read an order page:
 * - its buyer, signed in;
 * - whoever arrives with the order's checkout code (?checkout=…): checkout
 *   redirects the buyer here with it, and only the buyer was given it;
 * - whoever typed the phone number used at checkout (intent=unlock).
 * The last two are remembered in a signed cookie listing the unlocked order
 * ids, so a guest comes back without typing again. Everyone else sees only the
 * phone form, whether or not the code exists (the form tells nothing).
 */
const UNLOCKED_MAX = 20;
const UNLOCKED_MAX_AGE = 60 * 60 * 24 * 30;
// Each wrong try is a guess at a buyer's phone: few per order, more per address (CGNAT).
let cookie: ReturnType<typeof createCookie> | undefined;
function unlockedCookie() {
  cookie ??= createCookie("orders_unlocked", {
    path: "/orders",
    httpOnly: true,
    sameSite: "lax",
    secure: env().COOKIE_SECURE,
    maxAge: UNLOCKED_MAX_AGE,
    secrets: sessionSecrets(),
  });
  return cookie;
}

async function unlockedIds(request: Request): Promise<string[]> {
  // A tampered or foreign-signed cookie parses to null.
  const value: unknown = await unlockedCookie().parse(request.headers.get("Cookie"));
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string").slice(0, UNLOCKED_MAX) : [];
}

/** Set-Cookie adding these order ids, newest first, keeping at most UNLOCKED_MAX. */
async function rememberUnlocked(request: Request, orderIds: string[]): Promise<string> {
  const ids = [...new Set([...orderIds, ...(await unlockedIds(request))])].slice(0, UNLOCKED_MAX);
  return unlockedCookie().serialize(ids);
}

type Access =
  | { details: OrderDetails; via: "buyer"; userId: string }
  | { details: OrderDetails; via: "cookie" | "checkout" }
  | { details: null };

async function readAccess(request: Request, orderCode: string | undefined): Promise<Access & { code: string }> {
  const code = normalizeCode(orderCode);
  if (!code) throw new Response("Not found", { status: 404 });
  const details = await getOrder(db, { orderCode: code }, { byCode: true });
  if (!details) return { code, details: null };
  const user = await getUser(request);
  if (user && details.order.buyerUserId === user.id) return { code, details, via: "buyer", userId: user.id };
  if ((await unlockedIds(request)).includes(details.order.id)) return { code, details, via: "cookie" };
  const checkoutCode = new URL(request.url).searchParams.get("checkout");
  if (checkoutCode) {
    const siblings = await getCheckoutOrders(db, checkoutCode);
    if (siblings.some((o) => o.id === details.order.id)) return { code, details, via: "checkout" };
  }
  return { code, details: null };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await readAccess(request, params.orderCode);
  const [t, lng, user] = await Promise.all([getT(request, "orders"), getLocale(request), getUser(request)]);
  const title = `${t("page.title", { code: formatCode(access.code) })} – Gian Hàng Số`;
  if (!access.details) {
    return { locked: true as const, title, code: access.code, signedIn: Boolean(user) };
  }
  const { order, items, timeline, stallName, stallSlug } = access.details;

  // The checkout's other orders (one per stall), when the buyer came with its code.
  const checkoutCode = normalizeCode(new URL(request.url).searchParams.get("checkout"));
  const checkoutOrders = checkoutCode ? await getCheckoutOrders(db, checkoutCode) : [];
  const sameCheckout = checkoutOrders.some((o) => o.id === order.id);
  const [contact, address, names, payment] = await Promise.all([
    stallContact(db, order.stallId),
    deliveryAddress(db, order, lng),
    stallNames(db, sameCheckout ? checkoutOrders.map((o) => o.stallId) : []),
    // The farmer's bank details for a VietQR transfer: only ever here, behind readAccess.
    orderPaymentView(db, order),
  ]);

  const cancellable = nextStatuses(order.status, "buyer", order.deliveryMethod).includes("cancelled");
  const page = {
    locked: false as const,
    title,
    order: {
      code: order.code,
      status: order.status,
      createdAt: order.createdAt,
      buyerName: order.buyerName,
      buyerPhone: formatPhone(order.buyerPhone),
      deliveryMethod: order.deliveryMethod,
      address,
      pickupAddress: order.deliveryMethod === "pickup" ? contact.pickupAddress : "",
      buyerNote: order.buyerNote,
      subtotalDong: order.subtotalDong,
      deliveryFeeDong: order.deliveryFeeDong,
      totalDong: order.totalDong,
      paymentMethod: order.paymentMethod,
      cancelReason: order.cancelReason,
      confirmBy: order.status === "placed" ? confirmDeadline(order.createdAt) : null,
    },
    items,
    timeline,
    payment,
    stall: { name: stallName, slug: stallSlug, phone: contact.phone },
    checkout: sameCheckout
      ? {
          code: checkoutCode!,
          orders: checkoutOrders.map((o) => ({
            code: o.code,
            status: o.status,
            paymentStatus: o.paymentStatus,
            totalDong: o.totalDong,
            stallName: names.get(o.stallId) ?? "",
            current: o.id === order.id,
          })),
        }
      : null,
    // Whoever may read the page is its buyer, with or without an account (the action checks again).
    cancel: cancellable,
  };
  if (access.via === "checkout") {
    // Coming from checkout: remember the whole checkout so its links work without the code.
    const cookieHeader = await rememberUnlocked(
      request,
      checkoutOrders.map((o) => o.id),
    );
    return data(page, { headers: { "Set-Cookie": cookieHeader } });
  }
  return page;
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const code = normalizeCode(params.orderCode);
  if (!code) throw new Response("Not found", { status: 404 });
  const t = await getT(request, ["orders", "common", "payments"]);
  const form = await request.formData();
  const here = `/orders/${code}${new URL(request.url).search}`;

  switch (form.get("intent")) {
    case "unlock": {
      const phone = parseVietnameseMobile(String(form.get("phone") ?? ""));
      if (!phone.ok) return data({ error: t(`orders:fields.phone.${phone.problem}`) }, { status: 400 });
      const ip = clientIpFrom(context);
      const [byOrder, byIp] = await Promise.all([countHit("orderUnlock.order", code), countHit("orderUnlock.ip", ip)]);
      if (!byOrder.allowed || !byIp.allowed) {
        const seconds = Math.max(byOrder.retryAfterSeconds, byIp.retryAfterSeconds);
        return data(
          { error: t("orders:page.tooManyTries", { minutes: Math.ceil(seconds / 60) }) },
          { status: 429, headers: { "Retry-After": String(seconds) } },
        );
      }
      const details = await getOrder(db, { orderCode: code }, { byCode: true });
      if (!details || details.order.buyerPhone !== phone.e164) {
        return data({ error: t("orders:page.wrongPhone") }, { status: 400 });
      }
      return redirect(here, { headers: { "Set-Cookie": await rememberUnlocked(request, [details.order.id]) } });
    }
    case "cancel": {
      // The same proof as reading the page. Without it (no unlock, another
      // order's cookie, a forged one, a code that does not exist) the answer
      // is one refusal, so it tells nothing about the order.
      const access = await readAccess(request, code);
      if (!access.details) return data({ error: t("orders:page.cancelLocked") }, { status: 403 });
      const orderId = access.details.order.id;
      // A guest (phone or checkout link) cancels as the buyer without an account.
      const userId = access.via === "buyer" ? access.userId : null;
      try {
        await changeOrderStatus(db, {
          order: { orderId },
          scope: userId ? { buyerUserId: userId } : { guestOrderId: orderId },
          to: "cancelled",
          actor: { role: "buyer", userId },
          reason: String(form.get("reason") ?? ""),
        });
      } catch (error) {
        if (!(error instanceof OrderError)) throw error;
        if (error.code === "not_found") throw new Response("Not found", { status: 404 });
        // The farmer moved the order on (confirmed it, or further): the buyer may no longer cancel.
        const key =
          error.code === "forbidden" || error.code === "illegal_transition"
            ? "orders:page.cancelTooLate"
            : error.textKey;
        return data({ error: t(key) }, { status: error.httpStatus });
      }
      return redirectWithToast(here, { key: "orders:page.cancelledToast", values: { code: formatCode(code) } });
    }
    case "pay": {
      // "Thanh toán" / "Thanh toán lại": a new attempt with the provider, for whoever may read the order.
      const access = await readAccess(request, code);
      if (!access.details) return data({ error: t("orders:page.payLocked") }, { status: 403 });
      const { order } = access.details;
      if (!isOnlineMethod(order.paymentMethod)) {
        return data({ error: t("payments:refusals.wrong_method") }, { status: 400 });
      }
      const started = await startOnlinePayment(
        db,
        { checkoutId: order.checkoutId, provider: order.paymentMethod },
        { origin: publicOrigin(request), ip: clientIpFrom(context), locale: await getLocale(request) },
      );
      if (started.ok) return redirect(started.redirectUrl);
      const own = ["unavailable", "amount", "provider_down"].includes(started.reason);
      const error = t(own ? `payments:pay.refusals.${started.reason}` : `payments:refusals.${started.reason}`, {
        provider: t(`payments:orderPayment.providers.${started.provider}`),
        min: formatVnd(VNPAY_MIN_DONG, await getLocale(request)),
        max: formatVnd(VNPAY_MAX_DONG, await getLocale(request)),
      });
      return data({ error }, { status: started.reason === "provider_down" ? 502 : 400 });
    }
    default:
      return data({ error: t("orders:errors.invalid_input") }, { status: 400 });
  }
}

export default function OrderPage() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation(["orders", "common"]);
  const error = actionData?.error;

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

  const { order, items, timeline, payment, stall, checkout, cancel } = page;
  return (
    <main className="page stack order-page">
      <h1>{t("page.heading", { code: formatCode(order.code) })}</h1>
      <p>
        <OrderStatusBadge status={order.status} />{" "}
        <span className="muted">{t("page.placedAt", { when: formatWhen(order.createdAt, i18n.language) })}</span>
      </p>
      {order.status === "cancelled" && order.cancelReason ? (
        <p>{t("page.cancelReason", { reason: cancelReasonText(order.cancelReason, t) })}</p>
      ) : null}
      {order.confirmBy ? <ConfirmDeadline by={order.confirmBy} audience="buyer" /> : null}
      <FormError message={error} />

      <OrderPaymentBlock payment={payment} cancelled={order.status === "cancelled"} />

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

      <section className="stack" aria-labelledby="delivery-heading">
        <h2 id="delivery-heading">{t("page.delivery")}</h2>
        <p>{t(`delivery.${order.deliveryMethod}`)}</p>
        {order.address ? <p>{t("page.deliverTo", { address: order.address })}</p> : null}
        {order.pickupAddress ? <p>{t("page.pickupAt", { address: order.pickupAddress })}</p> : null}
        <p>{t("page.recipient", { name: order.buyerName, phone: order.buyerPhone })}</p>
        {order.buyerNote ? <p>{t("page.note", { note: order.buyerNote })}</p> : null}
      </section>

      <section className="stack" aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">{t("page.timeline")}</h2>
        <OrderTimeline events={timeline} />
      </section>

      {cancel ? (
        <section className="card stack" aria-labelledby="cancel-heading">
          <h2 id="cancel-heading">{t("page.cancelHeading")}</h2>
          <p>{t("page.cancelHint")}</p>
          <Form method="post" className="stack">
            <input type="hidden" name="intent" value="cancel" />
            <Field name="reason" label={t("page.buyerReasonLabel")} maxLength={300} />
            <button type="submit" className="btn">
              {t("page.cancelButton")}
            </button>
          </Form>
        </section>
      ) : null}
    </main>
  );
}
