/**
 * What the buyer sees when a provider sends them back (VNPay's return URL,
 * Stripe's success or cancel URL). It only shows: the IPN or webhook is what
 * marks an order paid, and the order page is where to go next.
 */
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { VnpayFailureReason } from "./vnpay/provider.server";
import { formatCode } from "~/orders";
import { formatVnd } from "~/utils/format";

export type ReturnState =
  /** The app has the payment. */
  | { state: "paid"; amountDong: number; orders: { code: string; href: string }[] }
  /** The provider said yes; its notification has not reached us yet. */
  | { state: "waiting"; provider: string; orders: { code: string; href: string }[] }
  /** The buyer left the provider's page without paying (Stripe cancel). */
  | { state: "cancelled"; orders: { code: string; href: string }[] }
  /** The provider said no (VNPay). */
  | { state: "failed"; reason: VnpayFailureReason; orders: { code: string; href: string }[] }
  /** Not signed by the provider, or no attempt of ours. */
  | { state: "unverified" };

export function PaymentReturn({ result }: { result: ReturnState }) {
  const { t, i18n } = useTranslation("payments");
  return (
    <main className="page page--narrow stack payment-return">
      <h1>{t("returnPage.title")}</h1>
      <div role="status" className="stack tight">
        {result.state === "paid" ? (
          <p className="payment-return__ok">
            {t("returnPage.paid", { amount: formatVnd(result.amountDong, i18n.language) })}
          </p>
        ) : result.state === "waiting" ? (
          <p>{t("returnPage.waiting", { provider: result.provider })}</p>
        ) : result.state === "cancelled" ? (
          <p>{t("returnPage.cancelled")}</p>
        ) : result.state === "failed" ? (
          <>
            <p className="payment-return__failed">{t(`returnPage.failed.${result.reason}`)}</p>
            <p>{t("returnPage.failedHint")}</p>
          </>
        ) : (
          <p>{t("returnPage.unverified")}</p>
        )}
      </div>
      {result.state !== "unverified" && result.orders.length > 0 ? (
        <section className="stack tight" aria-labelledby="return-orders">
          <h2 id="return-orders">{t("returnPage.ordersHeading")}</h2>
          <ul className="list-plain stack tight">
            {result.orders.map((o) => (
              <li key={o.code}>
                <Link to={o.href} className="btn btn-primary btn-block">
                  {t("returnPage.viewOrder", { code: formatCode(o.code) })}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : (
        <p>
          <Link to="/">{t("returnPage.home")}</Link>
        </p>
      )}
    </main>
  );
}
