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
});
