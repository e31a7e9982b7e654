import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { LogSmsProvider, sentSmsForTests, smsOutboxDir } from "./sms.server";

describe("LogSmsProvider", () => {
  it("keeps the last message per number, and writes it to the outbox folder when given one", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "ghs-sms-"));
    try {
      const sms = new LogSmsProvider(dir);
      await sms.send("+84912345678", "Mã đăng nhập: 111111");
      await sms.send("+84912345678", "Mã đăng nhập: 222222");
      expect(sentSmsForTests.get("+84912345678")?.text).toBe("Mã đăng nhập: 222222");
      const file = JSON.parse(await fs.readFile(path.join(dir, "84912345678.json"), "utf8"));
      expect(file).toMatchObject({ to: "+84912345678", text: "Mã đăng nhập: 222222" });
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it("writes no outbox under Vitest (and never in production)", () => {
    expect(smsOutboxDir()).toBeUndefined();
  });
});
