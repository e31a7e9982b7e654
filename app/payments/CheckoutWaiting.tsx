/**
 * On a buyer's order page, under its own payment: the checkout's other
 * orders that still wait for the buyer's payment, each with the way to pay
 * it — the online payment's button (a plain form posting to that group's
 * order page, as the order's own "Thanh toán" does), or the link to a VietQR
 * order's page with its QR. Takes waitingBesides' answer.
 */
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { WaitingBesides } from "./buyer/checkout-plan.server";
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
          <li key={o.code} className="stack tight">
            <p>
              {t("checkoutWaiting.transfer", {
                code: formatCode(o.code),
                stall: o.stallName,
                amount: formatVnd(o.totalDong, lng),
              })}
            </p>
            <Link to={o.href} className="btn btn-block btn-wrap">
              {t("returnPage.transferLink", { code: formatCode(o.code) })}
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
