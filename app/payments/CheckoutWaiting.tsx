/**
 * On a buyer's order page, under its own payment: the checkout's other
 * orders that still wait for the buyer's payment, each with the way to pay
 * it — the online payment's button (a plain form posting to that group's
 * order page, as the order's own "Thanh toán" does), or the link to a VietQR
 * order's page with its QR. Takes waitingBesides' answer.
 */
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { WaitingBesides, WaitingOrder } from "./buyer/checkout-plan.server";
import { formatCode } from "~/orders";
import { formatVnd } from "~/utils/format";

export function CheckoutWaiting({ waiting }: { waiting: WaitingBesides }) {
  const { t, i18n } = useTranslation("payments");
  const lng = i18n.language;
  return (
    <section className="card stack checkout-waiting" aria-labelledby="waiting-heading">
      <h2 id="waiting-heading">{t("checkoutWaiting.heading")}</h2>
      <ul className="list-plain stack">
        {waiting.groups.map((g) => {
          const provider = t(`orderPayment.providers.${g.provider}`);
          const amount = formatVnd(g.amountDong, lng);
          return (
            <li key={g.provider} className="stack tight">
              <p>
                {t("checkoutWaiting.online", {
                  count: g.orders.length,
                  orders: g.orders.map((o) => `${formatCode(o.code)} (${o.stallName})`).join(", "),
                  amount,
                  provider,
                })}
              </p>
              {g.pending ? <p className="muted">{t("orderPayment.pendingHint", { provider })}</p> : null}
              <form method="post" action={g.action}>
                <input type="hidden" name="intent" value="pay" />
                <button type="submit" className="btn btn-primary btn-block btn-wrap">
                  {t(g.tried ? "orderPayment.payAgainButton" : "orderPayment.payButton", { amount, provider })}
                </button>
              </form>
            </li>
          );
        })}
        {waiting.transfers.map((o) => (
          <TransferWaiting key={o.code} order={o} />
        ))}
      </ul>
    </section>
  );
}

/** A VietQR order still waiting for the buyer's transfer, with the way to its QR (here and on the return page). */
export function TransferWaiting({ order }: { order: WaitingOrder & { href: string } }) {
  const { t, i18n } = useTranslation("payments");
  return (
    <li className="stack tight">
      <p>
        {t("checkoutWaiting.transfer", {
          code: formatCode(order.code),
          stall: order.stallName,
          amount: formatVnd(order.totalDong, i18n.language),
        })}
      </p>
      <Link to={order.href} className="btn btn-block btn-wrap">
        {t("returnPage.transferLink", { code: formatCode(order.code) })}
      </Link>
    </li>
  );
}
