import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { captureLogs } from "#tests/harness/logs";
import { afterEach, describe, expect, it } from "vitest";
import { LogSmsProvider, sentSmsForTests, setSmsProvider, smsProvider } from "./sms.server";
import { env } from "~/utils/env.server";

describe("LogSmsProvider", () => {
  afterEach(() => sentSmsForTests.clear());

  it("keeps every message in memory under Vitest, the last one per number first to hand", async () => {
    const sms = new LogSmsProvider();
    await sms.send("+84912345678", "Mã đăng nhập: 111111");
    await sms.send("+84912345678", "Mã đăng nhập: 222222");
    await sms.send("+84987654321", "Mã khác: 333333");
    expect(sentSmsForTests.get("+84912345678")?.text).toBe("Mã đăng nhập: 222222");
    expect(sentSmsForTests.all("+84912345678").map((m) => m.text)).toEqual([
      "Mã đăng nhập: 111111",
      "Mã đăng nhập: 222222",
    ]);
    expect(sentSmsForTests.size).toBe(3);
  });

  it("writes each message as its own file in the test outbox, in the order sent", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "ghs-sms-"));
    try {
      const sms = new LogSmsProvider({ outboxDir: dir });
      for (const n of [1, 2, 3]) await sms.send("+84912345678", `Mã đăng nhập: ${n}${n}${n}${n}${n}${n}`);
      const files = (await fs.readdir(path.join(dir, "84912345678"))).sort();
      expect(files).toHaveLength(3);
      const texts = await Promise.all(
        files.map(async (f) => JSON.parse(await fs.readFile(path.join(dir, "84912345678", f), "utf8")).text),
      );
      expect(texts).toEqual(["Mã đăng nhập: 111111", "Mã đăng nhập: 222222", "Mã đăng nhập: 333333"]);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it("logs the text and the number's last three digits, never the whole number (ADR 016)", async () => {
    const { log, text } = captureLogs();
    await new LogSmsProvider({ log }).send("+84912345678", "Mã đăng nhập Gian Hàng Số: 424242");
    const line = text();
    expect(line).toContain("Mã đăng nhập Gian Hàng Số: 424242");
    expect(line).toContain("…678");
    expect(line).not.toContain("912345678");
    expect(line).not.toContain("912345");
  });

  it("is the default, and writes no outbox unless SMS_TEST_OUTBOX names one", async () => {
    setSmsProvider(undefined);
    try {
      expect(env().SMS_PROVIDER).toBe("log");
      expect(env().SMS_TEST_OUTBOX).toBeUndefined();
      expect(smsProvider()).toBeInstanceOf(LogSmsProvider);
      await smsProvider().send("+84912345678", "x");
      await expect(fs.readdir(path.join(env().DATA_DIR, "sms-outbox"))).rejects.toThrow();
    } finally {
      setSmsProvider(undefined);
    }
  });
});
