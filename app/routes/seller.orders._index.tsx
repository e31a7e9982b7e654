import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormError } from "~/components/forms";
import { answerRefusal } from "~/http/index.server";
import { getT } from "~/i18n/index.server";
import { formatCode, normalizeCode, ORDER_STATUSES, type OrderStatusCode } from "~/orders";
import { formatWhen, OrderStatusBadge } from "~/orders/OrderParts";
import {
  itemsByOrder,
  changeOrderStatus,
  countStallOrders,
  listStallOrders,
  STALL_ORDER_GROUPS,
} from "~/orders/index.server";
import { recordCashOnDelivery } from "~/payments/index.server";
import { telHref } from "~/stalls";
import { requireActingStall } from "~/stalls/index.server";
import { db } from "~/utils/db.server";
import { formatVnd } from "~/utils/format";
import { redirectWithToast } from "~/utils/toast.server";
import { pageTitle } from "~/utils/page-title";
import { useActingPath } from "~/utils/acting-paths";

export const handle = { i18n: ["common", "seller", "orders", "listings", "payments"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

/**
 * The farmer's orders in to-do order (new, in progress, done; newest first in
 * each), 30 a page: "Xem thêm đơn" carries the next page's cursor (?after=).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { stall } = await requireActingStall(request);
  const after = new URL(request.url).searchParams.get("after");
  const [t, page, counts] = await Promise.all([
    getT(request, "orders"),
    listStallOrders(db, { stallId: stall.id, after }),
    countStallOrders(db, stall.id),
  ]);
  const items = await itemsByOrder(
    db,
    page.orders.map((o) => o.id),
  );
  const rows = page.orders.map((o) => ({
    code: o.code,
    status: o.status,
    group: o.group,
    buyerName: o.buyerName,
    buyerPhone: o.buyerPhone,
    totalDong: o.totalDong,
    createdAt: o.createdAt,
    items: items.get(o.id) ?? [],
  }));
  return {
    title: pageTitle(t("seller.title")),
    // A group shows when it has orders on this page; the first page also says which groups are empty.
    groups: STALL_ORDER_GROUPS.map((g) => ({
      id: g.id,
      count: counts[g.id],
      orders: rows.filter((r) => r.group === g.id),
    })).filter((g) => g.orders.length > 0 || (page.first && g.count === 0)),
    next: page.next,
    first: page.first,
  };
}

/** One tap from the list: intent=advance, orderCode, to (the list offers "confirmed"). */
export async function action({ request }: ActionFunctionArgs) {
  const { stall, actor, path } = await requireActingStall(request);
  const t = await getT(request, "orders");
  const form = await request.formData();
  const code = normalizeCode(String(form.get("orderCode") ?? ""));
  const to = String(form.get("to") ?? "") as OrderStatusCode;
  if (form.get("intent") !== "advance" || !code || !ORDER_STATUSES.includes(to)) {
    return data({ errors: { form: t("errors.invalid_input") }, values: {} }, { status: 400 });
  }
  try {
    await changeOrderStatus(db, {
      order: { orderCode: code },
      scope: { stallId: stall.id },
      to,
      actor,
      reason: String(form.get("reason") ?? ""),
      onDelivered: recordCashOnDelivery,
    });
  } catch (error) {
    return answerRefusal(t, error);
  }
  return redirectWithToast(path("/seller/orders"), {
    key: "orders:seller.changedToast",
    values: { code: formatCode(code), status: t(`statuses.${to}`) },
  });
}

export default function SellerOrders() {
  const { groups, next, first } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation(["orders", "listings", "payments"]);
  const to = useActingPath();
  const empty = first && groups.every((g) => g.count === 0);
  return (
    <main className="page stack">
      <h1>{t("seller.heading")}</h1>
      <p>
        <Link to={to("/seller/payments/import")}>{t("payments:sellerOrder.importLink")}</Link>
      </p>
      <FormError message={actionData?.errors.form} />
      {empty ? <p>{t("seller.empty")}</p> : null}
      {empty
        ? null
        : groups.map((group) => (
            <section key={group.id} className="stack" aria-labelledby={`orders-${group.id}`}>
              <h2 id={`orders-${group.id}`}>
                {t(`seller.groups.${group.id}`)} ({group.count})
              </h2>
              {group.orders.length === 0 ? (
                <p className="muted">{t("seller.groupEmpty")}</p>
              ) : (
                <ul className="list-plain stack">
                  {group.orders.map((o) => (
                    <li key={o.code} className="card seller-order">
                      <p className="seller-order__head">
                        <Link to={to(`/seller/orders/${o.code}`)}>
                          <strong>{formatCode(o.code)}</strong>
                        </Link>{" "}
                        <OrderStatusBadge status={o.status} />
                      </p>
                      <p>
                        {o.buyerName} · <strong>{formatVnd(o.totalDong, i18n.language)}</strong>
                      </p>
                      <p>
                        {o.items
                          .map((i) =>
                            t("seller.itemShort", {
                              title: i.title,
                              qty: i.qty,
                              unit: t(`listings:units.${i.unit}`, { defaultValue: i.unit }),
                            }),
                          )
                          .join(", ")}
                      </p>
                      <p className="muted">{formatWhen(o.createdAt, i18n.language)}</p>
                      <div className="button-row">
                        {o.status === "placed" ? (
                          <Form method="post">
                            <input type="hidden" name="intent" value="advance" />
                            <input type="hidden" name="orderCode" value={o.code} />
                            <input type="hidden" name="to" value="confirmed" />
                            <button
                              type="submit"
                              className="btn btn-primary"
                              aria-label={t("seller.confirmLabel", { code: formatCode(o.code) })}
                            >
                              {t("seller.confirm")}
                            </button>
                          </Form>
                        ) : null}
                        <a className="btn" href={telHref(o.buyerPhone)}>
                          {t("seller.callBuyer")}
                        </a>
                        <Link className="btn" to={to(`/seller/orders/${o.code}`)}>
                          {t("seller.details")}
                        </Link>
                      </div>
                    </li>
                  ))}
                </ul>
              )}
            </section>
          ))}
      {next || !first ? (
        <p className="button-row">
          {next ? (
            <Link className="btn" to={to(`/seller/orders?after=${next}`)}>
              {t("seller.more")}
            </Link>
          ) : null}
          {first ? null : <Link to={to("/seller/orders")}>{t("seller.backToTop")}</Link>}
        </p>
      ) : null}
    </main>
  );
}
