/**
 * The VNPay the end-to-end server is configured with: a local double
 * (tests/doubles/vnpay-double.ts) that paying.spec.ts starts on this fixed
 * port. The server only needs the URLs at boot; nothing calls them until a
 * buyer is sent to pay, by which time the spec has the double listening.
 */
const appPort = Number(process.env.E2E_PORT ?? 3100);

export const E2E_VNPAY = {
  port: Number(process.env.E2E_VNPAY_PORT ?? appPort + 1),
  tmnCode: "GHSE2E01",
  secret: "GHS-E2E-VNPAY-SECRET-0123456789ABCDEF",
};

/** What the app server needs in its environment to offer VNPay through the double. */
export function vnpayServerEnv(): Record<string, string> {
  const base = `http://127.0.0.1:${E2E_VNPAY.port}`;
  return {
    VNPAY_TMN_CODE: E2E_VNPAY.tmnCode,
    VNPAY_HASH_SECRET: E2E_VNPAY.secret,
    VNPAY_PAY_URL: `${base}/paymentv2/vpcpay.html`,
    VNPAY_API_URL: `${base}/merchant_webapi/api/transaction`,
  };
}
