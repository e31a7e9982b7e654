/**
 * VNPay's IPN (GET /payments/vnpay/ipn, server to server): the only message
 * that marks a VNPay attempt paid. Verified by the provider (signature),
 * applied once by the payment core (applyNotification), answered with the
 * RspCode VNPay expects; money that is not the farmer's is refunded after the
 * commit.
 */
import { applyNotification, refundAfterCommit, type NotificationResult } from "../core/notifications.server";
import { PaymentSignatureError } from "../core/provider";
import { paymentProviders, type PaymentProviders } from "../core/providers.server";
import { attemptIdFromTxnRef, vnpayIpnResponse, type VnpayIpnCode } from "./provider.server";
import type { Database } from "~/utils/db.server";
import { logger } from "~/utils/logger.server";

/**
 * The body VNPay expects, always with HTTP 200. RspCode says what we did with
 * the message: 97 bad signature, 01 no such attempt, 02 already settled,
 * 04 wrong amount, 99 anything else (logged), 00 recorded — a failed payment too.
 */
export async function answerVnpayIpn(
  db: Database,
  request: Request,
  providers: PaymentProviders = paymentProviders(),
): Promise<{ RspCode: VnpayIpnCode; Message: string }> {
  const vnpay = providers.vnpay;
  if (!vnpay) {
    logger.warn("VNPay IPN received but VNPay is not configured");
    return vnpayIpnResponse("99");
  }
  try {
    const n = await vnpay.readNotification(request);
    // vnp_TxnRef is the attempt's id without dashes: found even before its reference was stored.
    const result = await applyNotification(db, { ...n, attemptId: attemptIdFromTxnRef(n.providerRef) });
    await refundAfterCommit(db, result, providers);
    return vnpayIpnResponse(vnpayCode(result));
  } catch (error) {
    if (error instanceof PaymentSignatureError) {
      logger.warn({ reason: error.message }, "VNPay IPN with a bad signature refused");
      return vnpayIpnResponse("97");
    }
    logger.error({ err: error }, "VNPay IPN failed");
    return vnpayIpnResponse("99");
  }
}

function vnpayCode(result: NotificationResult): VnpayIpnCode {
  switch (result.result) {
    case "applied":
    case "ignored":
    case "account_updated":
      return "00";
    case "duplicate":
      return "02";
    case "unknown_attempt":
      return "01";
    case "amount_mismatch":
      return "04";
  }
}
