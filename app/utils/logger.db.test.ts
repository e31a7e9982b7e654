/**
 * What reaches the logs: a real failed statement carrying a buyer's name
 * and phone, and objects with personal fields, through the app's logger
 * configuration into a captured stream.
 */
import { captureLogs } from "#tests/harness/logs";
import { describe, expect, it } from "vitest";
import { users } from "#db/schema";
import { db } from "./db.server";

describe("the logger", () => {
  it("keeps a failed query's parameters (a buyer's phone and name) and the row PostgreSQL quotes out of the error", async () => {
    const person = { phone: "+84912777888", fullName: "Nguyễn Thị Mai Logtest", role: "buyer" as const };
    await db.insert(users).values(person);
    const error = await db
      .insert(users)
      .values(person)
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(Error);
    // The raw error does carry them: that is what must not reach the log.
    expect(String((error as Error).message)).toContain("+84912777888");

    const { log, text } = captureLogs();
    log.error({ err: error }, "unhandled error");
    const line = text();
    expect(line).not.toContain("912777888");
    expect(line).not.toContain("Mai Logtest");
    expect(line).toContain("unique constraint");
    expect(line).toContain("params: [redacted]");
  });

  it("blanks personal fields wherever they sit, and phone-like numbers in error messages", () => {
    const { log, text } = captureLogs();
    log.info(
      {
        phone: "+84912345601",
        fullName: "Nguyễn Văn Thịnh",
        sms: { to: "+84912345601", msg: "Mã của bạn" },
        order: { buyerPhone: "0912345601", buyerName: "Đỗ Thị Hằng", addressLine: "Thôn Phú Lương" },
        stall: { accountNumber: "0011001234567" },
        feed: { token: "s3cr3t-feed-token" },
      },
      "something happened",
    );
    log.error({ err: new Error("no account for 0912 345 601") }, "failed");
    const out = text();
    for (const secret of ["912345601", "912 345 601", "Thịnh", "Hằng", "Phú Lương", "0011001234567", "s3cr3t"]) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain("Mã của bạn");
    expect(out).toContain("[redacted]");
  });
});
