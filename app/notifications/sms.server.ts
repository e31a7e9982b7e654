/**
 * Outgoing SMS through a small interface, so a real gateway (eSMS, SpeedSMS,
 * Viettel, Twilio …) is one class and one SMS_PROVIDER value away.
 *
 * The default LogSmsProvider sends nothing: it writes the message to the log.
 * So that automated tests can log in with a one-time code, it also keeps the
 * last message per number in memory (for in-process tests) and, outside
 * production, writes it to DATA_DIR/sms-outbox/<digits>.json (for Playwright,
 * which runs in another process). Nothing is ever served over HTTP.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { env } from "~/utils/env.server";
import { logger } from "~/utils/logger.server";

export interface SmsProvider {
  send(toE164: string, text: string): Promise<void>;
}

export type SentSms = { to: string; text: string; sentAt: string };

/** Last message per number, for tests in the same process. Never read by the app. */
export const sentSmsForTests = new Map<string, SentSms>();

export class LogSmsProvider implements SmsProvider {
  constructor(private readonly outboxDir?: string) {}

  async send(toE164: string, text: string): Promise<void> {
    const message: SentSms = { to: toE164, text, sentAt: new Date().toISOString() };
    // `msg` not `code`: the logger redacts `code` fields, and this provider exists to show the text.
    logger.info({ sms: { to: toE164, msg: text } }, "sms (log provider: not actually sent)");
    sentSmsForTests.set(toE164, message);
    if (this.outboxDir) {
      await fs.mkdir(this.outboxDir, { recursive: true });
      await fs.writeFile(path.join(this.outboxDir, `${toE164.replace(/\D/g, "")}.json`), JSON.stringify(message));
    }
  }
}

/** Where the log provider leaves messages for end-to-end tests; undefined in production and under Vitest. */
export function smsOutboxDir(): string | undefined {
  if (env().NODE_ENV === "production" || process.env.VITEST) return undefined;
  return path.resolve(env().DATA_DIR, "sms-outbox");
}

let provider: SmsProvider | undefined;

export function smsProvider(): SmsProvider {
  if (!provider) {
    switch (env().SMS_PROVIDER) {
      case "log":
        if (env().NODE_ENV === "production") {
          logger.warn("SMS_PROVIDER=log: one-time codes go to the log, not to phones");
        }
        provider = new LogSmsProvider(smsOutboxDir());
        break;
    }
  }
  return provider!;
}

/** Tests swap in a provider that fails or records. */
export function setSmsProvider(next: SmsProvider | undefined) {
  provider = next;
}
