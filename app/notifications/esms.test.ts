/**
 * The eSMS.vn adapter against the local double (tests/doubles/esms-double.ts),
 * which checks credentials and fields as eSMS documents them and answers in
 * its shapes: what the adapter sends, and how each refusal comes back.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startEsmsDouble, type EsmsDouble } from "../../tests/doubles/esms-double";
import { EsmsSmsProvider, type EsmsOptions } from "./esms.server";
import { SmsSendError, setSmsProvider, smsProvider } from "./sms.server";
import { env } from "~/utils/env.server";

const KEYS = { apiKey: "A1B2C3D4E5", secretKey: "S3CR3TK3Y", brandname: "GianHangSo" };
let double: EsmsDouble;
const provider = (overrides: Partial<EsmsOptions> = {}) =>
  new EsmsSmsProvider({ ...KEYS, apiBase: double.url, ...overrides });

beforeAll(async () => {
  double = await startEsmsDouble({ apiKey: KEYS.apiKey, secretKey: KEYS.secretKey, brandnames: [KEYS.brandname] });
});
afterAll(() => double.close());
afterEach(() => {
  double.delivered.length = 0;
  double.requests.length = 0;
  double.balance = Number.POSITIVE_INFINITY;
});

async function refusalOf(send: Promise<void>) {
  const error = await send.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SmsSendError);
  return error as SmsSendError;
}

describe("EsmsSmsProvider", () => {
  it("sends a customer-care SMS under the brandname, Vietnamese as Unicode, each with its own RequestId", async () => {
    await provider().send("+84912345678", "Mã đăng nhập Gian Hàng Số: 123456");
    await provider().send("+84387654321", "Gian Hang So login code: 654321");
    expect(double.delivered).toMatchObject([
      { phone: "0912345678", content: "Mã đăng nhập Gian Hàng Số: 123456", brandname: "GianHangSo", isUnicode: "1" },
      { phone: "0387654321", content: "Gian Hang So login code: 654321", isUnicode: "0" },
    ]);
    expect(double.requests[0]).toMatchObject({ SmsType: "2", Sandbox: "0" });
    const ids = double.delivered.map((d) => d.requestId);
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[0]).not.toBe(ids[1]);
  });

  it("asks for eSMS's sandbox when told to: answered, nothing delivered", async () => {
    await provider({ sandbox: true }).send("+84912345678", "Mã: 123456");
    expect(double.requests[0]).toMatchObject({ Sandbox: "1" });
    expect(double.delivered).toHaveLength(0);
  });

  it.each([
    ["a wrong secret key", { secretKey: "nope" }, "101"],
    ["a brandname the account has not registered", { brandname: "KhacBrand" }, "104"],
  ])("fails with eSMS's code for %s, never naming the number", async (_what, overrides, code) => {
    const error = await refusalOf(provider(overrides).send("+84912345678", "Mã: 123456"));
    expect(error.providerCode).toBe(code);
    expect(error.message).toContain(`CodeResult ${code}`);
    expect(error.message).not.toContain("912345678");
    expect(double.delivered).toHaveLength(0);
  });

  it("fails with 103 when the balance is spent", async () => {
    double.balance = 1;
    await provider().send("+84912345678", "Mã: 111111");
    const error = await refusalOf(provider().send("+84912345678", "Mã: 222222"));
    expect(error.providerCode).toBe("103");
    expect(double.delivered).toHaveLength(1);
  });

  it("fails when the gateway answers an HTTP error or does not answer in time", async () => {
    double.failNextWithHttp(503);
    expect((await refusalOf(provider().send("+84912345678", "Mã: 1"))).message).toBe("eSMS answered HTTP 503");
    double.hangNext();
    expect((await refusalOf(provider({ timeoutMs: 300 }).send("+84912345678", "Mã: 2"))).message).toBe(
      "eSMS timed out",
    );
    const closed = new EsmsSmsProvider({ ...KEYS, apiBase: "http://127.0.0.1:9" });
    expect((await refusalOf(closed.send("+84912345678", "Mã: 3"))).message).toBe("eSMS could not be reached");
  });

  it("is what SMS_PROVIDER=esms builds, from the ESMS_* settings", async () => {
    const saved = { ...env() };
    Object.assign(env(), {
      SMS_PROVIDER: "esms",
      ESMS_API_KEY: KEYS.apiKey,
      ESMS_SECRET_KEY: KEYS.secretKey,
      ESMS_BRANDNAME: KEYS.brandname,
      ESMS_API_BASE: double.url,
    });
    setSmsProvider(undefined);
    try {
      expect(smsProvider()).toBeInstanceOf(EsmsSmsProvider);
      await smsProvider().send("+84912345678", "Mã: 777777");
      expect(double.delivered).toMatchObject([{ phone: "0912345678", content: "Mã: 777777" }]);
    } finally {
      Object.assign(env(), saved);
      setSmsProvider(undefined);
    }
  });
});
