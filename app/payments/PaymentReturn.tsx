/**
 * What the buyer sees when a provider sends them back (VNPay's return URL,
 * Stripe's success or cancel URL). It only shows: the IPN or webhook is what
 * marks an order paid. Then it takes the buyer on: the checkout's next online
 * payment (a form posting to that group's order page, which a few lines of
 * public/enhance.js submit by themselves once the payment just made went
 * through), the one that failed to pay again, the VietQR transfers left, or,
 * with nothing left, every order of the checkout.
 */
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { GroupOffer, ReturnNext } from "./buyer/checkout-plan.server";
import { TransferWaiting } from "./CheckoutWaiting";
import type { VnpayFailureReason } from "./vnpay/provider.server";
import { formatCode } from "~/orders";
import { formatVnd } from "~/utils/format";

type OrderLink = { code: string; href: string };

export type ReturnState =
  /** The app has the payment. */
  | { state: "paid"; amountDong: number; orders: OrderLink[]; checkout: ReturnNext }
  /** The provider said yes; its notification has not reached us yet. */
  | { state: "waiting"; provider: string; orders: OrderLink[]; checkout: ReturnNext }
  /** The buyer left the provider's page without paying (Stripe cancel). */
  | { state: "cancelled"; orders: OrderLink[]; checkout: ReturnNext }
  /** The provider said no (VNPay). */
  | { state: "failed"; reason: VnpayFailureReason; orders: OrderLink[]; checkout: ReturnNext }
  /** Not signed by the provider, or no attempt of ours. */
  | { state: "unverified" };

/** Seconds before the next payment starts by itself (public/enhance.js), with a button to stay. */
const AUTO_CONTINUE_SECONDS = 3;

export function PaymentReturn({ result }: { result: ReturnState }) {
  const { t, i18n } = useTranslation("payments");
  const checkout = result.state === "unverified" ? null : result.checkout;
  const settled = result.state === "paid" || result.state === "waiting";
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
            {checkout?.retry ? null : <p>{t("returnPage.failedHint")}</p>}
          </>
        ) : (
          <p>{t("returnPage.unverified")}</p>
        )}
        {checkout?.done ? (
          <p className="payment-return__ok">
            {t(checkout.cashOnDelivery ? "returnPage.allPaidCod" : "returnPage.allPaid")}
          </p>
        ) : null}
      </div>

      {checkout?.retry ? <PayOffer offer={checkout.retry} again /> : null}
      {checkout?.next ? (
        <section className="card stack tight payment-next" aria-labelledby="next-heading">
          <h2 id="next-heading">{t("returnPage.next.heading")}</h2>
          <PayOffer
            offer={checkout.next}
            auto={settled ? `${checkout.checkoutCode}:${checkout.next.provider}` : null}
          />
        </section>
      ) : null}
      {checkout && checkout.transfers.length > 0 ? (
        <section className="stack tight" aria-labelledby="transfers-heading">
          <h2 id="transfers-heading">{t("returnPage.transfersHeading")}</h2>
          <ul className="list-plain stack tight">
            {checkout.transfers.map((o) => (
              <TransferWaiting key={o.code} order={o} />
            ))}
          </ul>
        </section>
      ) : null}

      {checkout?.done ? (
        <OrderLinks heading={t("returnPage.checkoutOrdersHeading")} orders={checkout.orders} />
      ) : result.state !== "unverified" && result.orders.length > 0 ? (
        <OrderLinks
          heading={t(settled ? "returnPage.ordersHeading" : "returnPage.unpaidOrdersHeading")}
          orders={result.orders}
        />
      ) : (
        <p>
          <Link to="/">{t("returnPage.home")}</Link>
        </p>
      )}
    </main>
  );
}

function OrderLinks({ heading, orders }: { heading: string; orders: OrderLink[] }) {
  const { t } = useTranslation("payments");
  return (
    <section className="stack tight" aria-labelledby="return-orders">
      <h2 id="return-orders">{heading}</h2>
      <ul className="list-plain stack tight">
        {orders.map((o) => (
          <li key={o.code}>
            <Link to={o.href} className="btn btn-primary btn-block">
              {t("returnPage.viewOrder", { code: formatCode(o.code) })}
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * A payment to make: which orders, and a plain form (the answer is a redirect
 * to the provider's page, a whole-page navigation anyway). `auto`: the key
 * under which public/enhance.js submits it by itself, once per tab.
 */
function PayOffer({ offer, again = false, auto = null }: { offer: GroupOffer; again?: boolean; auto?: string | null }) {
  const { t, i18n } = useTranslation("payments");
  const provider = t(`orderPayment.providers.${offer.provider}`);
  const amount = formatVnd(offer.amountDong, i18n.language);
  const orders = offer.orders.map((o) => `${formatCode(o.code)} (${o.stallName})`).join(", ");
  return (
    <div className="stack tight">
      <p>
        {t(again ? "returnPage.retryIntro" : "returnPage.next.intro", { count: offer.orders.length, orders, provider })}
      </p>
      <form
        method="post"
        action={offer.action}
        data-auto-submit={auto ?? undefined}
        data-auto-seconds={auto ? AUTO_CONTINUE_SECONDS : undefined}
      >
        <input type="hidden" name="intent" value="pay" />
        <button type="submit" className="btn btn-primary btn-block btn-wrap">
          {t(again ? "orderPayment.payAgainButton" : "returnPage.next.button", { amount, provider })}
        </button>
      </form>
      {auto ? (
        <p className="muted" data-auto-notice hidden>
          {t("returnPage.next.auto", { provider })}{" "}
          <button type="button" className="btn btn-small" data-auto-stop>
            {t("returnPage.next.stay")}
          </button>
        </p>
      ) : null}
    </div>
  );
}
