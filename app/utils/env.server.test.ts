import { describe, expect, it } from "vitest";
import { parseEnv } from "./env.server";

describe("parseEnv", () => {
  it("defaults to the embedded database and port 3000", () => {
    const env = parseEnv({});
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.DATA_DIR).toBe("./data");
    expect(env.PORT).toBe(3000);
  });

  it("names the variable and the problem when a value is wrong", () => {
    expect(() => parseEnv({ PORT: "eighty", DATABASE_URL: "mysql://x" })).toThrowError(
      /Invalid environment configuration:\n {2}- PORT: .*\n {2}- DATABASE_URL: must start with postgres:\/\//,
    );
  });

  it("refuses to start several-instance production (PostgreSQL) without a shared session secret", () => {
    const pg = { NODE_ENV: "production", DATABASE_URL: "postgres://db/ghs" };
    expect(() => parseEnv(pg)).toThrowError(/SESSION_SECRET: is required in production/);
    expect(parseEnv({ ...pg, SESSION_SECRET: "a,b" }).SESSION_SECRET).toBe("a,b");
    // A single embedded instance may run without one (it generates and keeps its own).
    expect(parseEnv({ NODE_ENV: "production" }).SESSION_SECRET).toBeUndefined();
  });

  it("marks cookies Secure in production unless told otherwise", () => {
    expect(parseEnv({ NODE_ENV: "production" }).COOKIE_SECURE).toBe(true);
    expect(parseEnv({ NODE_ENV: "production", COOKIE_SECURE: "false" }).COOKIE_SECURE).toBe(false);
    expect(parseEnv({}).COOKIE_SECURE).toBe(false);
  });

  it("runs background jobs unless JOBS=off, and gives farmers 1 to 168 hours (24 by default) to confirm", () => {
    expect(parseEnv({}).JOBS).toBe(true);
    expect(parseEnv({ JOBS: "off" }).JOBS).toBe(false);
    expect(parseEnv({ JOBS: "on" }).JOBS).toBe(true);
    expect(() => parseEnv({ JOBS: "sometimes" })).toThrowError(/JOBS/);
    expect(parseEnv({}).ORDER_CONFIRM_HOURS).toBe(24);
    expect(parseEnv({ ORDER_CONFIRM_HOURS: "" }).ORDER_CONFIRM_HOURS).toBe(24);
    expect(parseEnv({ ORDER_CONFIRM_HOURS: "48" }).ORDER_CONFIRM_HOURS).toBe(48);
    for (const bad of ["0", "169", "1.5", "a day"])
      expect(() => parseEnv({ ORDER_CONFIRM_HOURS: bad })).toThrowError(/ORDER_CONFIRM_HOURS/);
  });

  it("sends SMS to the log by default, through eSMS.vn with its three settings, and refuses half of them", () => {
    expect(parseEnv({}).SMS_PROVIDER).toBe("log");
    const esms = { SMS_PROVIDER: "esms", ESMS_API_KEY: "k", ESMS_SECRET_KEY: "s", ESMS_BRANDNAME: "GianHangSo" };
    expect(parseEnv(esms)).toMatchObject({ SMS_PROVIDER: "esms", ESMS_API_BASE: "https://rest.esms.vn" });
    expect(() => parseEnv({ ...esms, ESMS_SECRET_KEY: "" })).toThrowError(
      /ESMS_SECRET_KEY: is required with SMS_PROVIDER=esms/,
    );
    expect(() => parseEnv({ SMS_PROVIDER: "esms" })).toThrowError(/ESMS_API_KEY[^]*ESMS_SECRET_KEY[^]*ESMS_BRANDNAME/);
    // Credentials without the provider: codes would quietly go to the log.
    expect(() => parseEnv({ ESMS_API_KEY: "k" })).toThrowError(/SMS_PROVIDER: is "log" but ESMS_API_KEY is set/);
    expect(() => parseEnv({ SMS_PROVIDER: "twilio" })).toThrowError(/SMS_PROVIDER/);
  });

  it("takes a test outbox only with the log provider, never next to real phones", () => {
    expect(parseEnv({ SMS_TEST_OUTBOX: "/tmp/outbox" }).SMS_TEST_OUTBOX).toBe("/tmp/outbox");
    expect(parseEnv({ NODE_ENV: "production", SMS_TEST_OUTBOX: "/tmp/o" }).SMS_TEST_OUTBOX).toBe("/tmp/o");
    const esms = { SMS_PROVIDER: "esms", ESMS_API_KEY: "k", ESMS_SECRET_KEY: "s", ESMS_BRANDNAME: "GianHangSo" };
    expect(() => parseEnv({ ...esms, SMS_TEST_OUTBOX: "/tmp/outbox" })).toThrowError(
      /SMS_TEST_OUTBOX: copies every SMS, one-time codes included/,
    );
  });
});
