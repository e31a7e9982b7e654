/**
 * What checkout asks payments (orders' CheckoutPayments port): which methods
 * a stall offers a buyer now, and which amounts those methods can pay. The
 * checkout route passes it to placeCheckout and paymentChoices.
 */
import { offeredPaymentMethods, paymentProviders, type PaymentProviders } from "../core/providers.server";
import { VNPAY_MAX_DONG, VNPAY_MIN_DONG, vnpayTakes } from "../vnpay/provider.server";
import type { CheckoutPayments } from "~/orders/index.server";

/**
 * With the deployment's providers (read at each call, so tests' doubles
 * apply), or the ones given. The checkout's VNPay orders are paid in one
 * go: their sum must be an amount VNPay takes, else all of them are refused.
 */
export function checkoutPayments(providers?: PaymentProviders): CheckoutPayments {
  return {
    offered: (stall) => offeredPaymentMethods(stall, providers ?? paymentProviders()),
    refusedAmounts: (orders) => {
      const byVnpay = orders.filter((o) => o.paymentMethod === "vnpay");
      const vnpayDong = byVnpay.reduce((sum, o) => sum + o.totalDong, 0);
      return byVnpay.length > 0 && !vnpayTakes(vnpayDong) ? byVnpay.map((o) => o.stallId) : [];
    },
    amountWindow: { min: VNPAY_MIN_DONG, max: VNPAY_MAX_DONG },
  };
}
