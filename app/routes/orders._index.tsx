import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/auth/index.server";
import { getT } from "~/i18n/index.server";
import { formatCode } from "~/orders";
import { formatWhen, OrderStatusBadge } from "~/orders/OrderParts";
import { listBuyerOrders } from "~/orders/index.server";
import { db } from "~/utils/db.server";
import { formatVnd } from "~/utils/format";
import { pageTitle } from "~/utils/page-title";

export const handle = { i18n: ["common", "orders"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title },
  { name: "robots", content: "noindex" },
];

/** The signed-in buyer's orders, newest first. Guests find theirs by code and phone on the order page. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [t, orders] = await Promise.all([getT(request, "orders"), listBuyerOrders(db, { buyerUserId: user.id })]);
  return {
    title: pageTitle(t("list.title")),
    orders: orders.map((o) => ({
      code: o.code,
      status: o.status,
      stallName: o.stallName,
      totalDong: o.totalDong,
      createdAt: o.createdAt,
    })),
  };
}

export default function MyOrders() {
  const { orders } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("orders");
  return (
    <main className="page stack">
      <h1>{t("list.title")}</h1>
      {orders.length === 0 ? (
        <p>
          {t("list.empty")} <Link to="/search">{t("list.browse")}</Link>
        </p>
      ) : (
        <ul className="list-plain order-list">
          {orders.map((o) => (
            <li key={o.code} className="card">
              <Link to={`/orders/${o.code}`} className="order-row">
                <span className="order-row__head">
                  <strong>{formatCode(o.code)}</strong> <OrderStatusBadge status={o.status} />
                </span>
                <span>{o.stallName}</span>
                <span className="muted">
                  {formatWhen(o.createdAt, i18n.language)} · {formatVnd(o.totalDong, i18n.language)}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
