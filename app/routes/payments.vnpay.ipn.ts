import type { LoaderFunctionArgs } from "@remix-run/node";
import { answerVnpayIpn } from "~/payments/index.server";
import { db } from "~/utils/db.server";

/**
 * VNPay's IPN: a server-to-server GET with the signed result of a payment,
 * the only thing that marks a VNPay payment paid. Always HTTP 200 with the
 * body VNPay reads ({ RspCode, Message }); what the code means is in
 * answerVnpayIpn (app/payments/vnpay/ipn.server.ts).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const answer = await answerVnpayIpn(db, request);
  return Response.json(answer, { status: 200, headers: { "Cache-Control": "no-store" } });
}
