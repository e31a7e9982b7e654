/**
 * Outgoing SMS through one small interface, chosen by SMS_PROVIDER:
 * - `log` (the default) sends nothing: it writes the message to the log, so a
 *   developer or a demo can read the code (ADR 016: the text and the number's
 *   last three digits, never the whole number). With SMS_TEST_OUTBOX it also
 *   writes each message as a file in that folder, for end-to-end tests and
 *   benchmarks that run the production server in another process; the
 *   environment check refuses that folder next to a real provider.
 * - `esms`: eSMS.vn's brandname SMS API (esms.server.ts).
 *
 * Under Vitest every message is also kept in memory (`sentSmsForTests`).
 */
import fs from "node:fs/promises";
import path from "node:path";
import { EsmsSmsProvider } from "./esms.server";
import { SmsSendError, type SmsProvider } from "./sms-provider.server";
import { env } from "~/utils/env.server";
import { logger, type Logger } from "~/utils/logger.server";

export { SmsSendError, type SmsProvider };

export type SentSms = { to: string; text: string; sentAt: string };

/** Every message the log provider sent in this process (Vitest only). Never read by the app. */
class SentSmsLog {
  private messages: SentSms[] = [];
  record(message: SentSms) {
    this.messages.push(message);
  }
  /** The last message to a number. */
  get(to: string): SentSms | undefined {
    return this.messages.findLast((m) => m.to === to);
  }
  has(to: string): boolean {
    return this.messages.some((m) => m.to === to);
  }
  /** Every message to a number, oldest first. */
  all(to: string): SentSms[] {
    return this.messages.filter((m) => m.to === to);
  }
  get size(): number {
    return this.messages.length;
  }
  clear() {
    this.messages = [];
  }
}

export const sentSmsForTests = new SentSmsLog();

/** "+84912345678" → "…678": enough for a developer to tell test numbers apart, not to find a person. */
export const numberEnding = (e164: string) => `…${e164.slice(-3)}`;

let outboxSequence = 0;

export class LogSmsProvider implements SmsProvider {
  constructor(private readonly options: { outboxDir?: string; log?: Logger } = {}) {}

  async send(toE164: string, text: string): Promise<void> {
    const message: SentSms = { to: toE164, text, sentAt: new Date().toISOString() };
    // The text is logged on purpose, code included: this provider exists so a developer can read it.
    // `msg`, not `code` or `to`: the logger blanks those fields (ADR 016).
    (this.options.log ?? logger).info(
      { sms: { toEnding: numberEnding(toE164), msg: text } },
      "sms (log provider: not actually sent)",
    );
    if (process.env.VITEST) sentSmsForTests.record(message);
    if (this.options.outboxDir) await writeToOutbox(this.options.outboxDir, message);
  }
}

/**
 * One file per message, `<outbox>/<digits of the number>/<time>-<n>.json`:
 * names sort in the order the messages were sent (tests/e2e/sms-outbox.ts
 * reads the newest).
 */
async function writeToOutbox(outboxDir: string, message: SentSms) {
  const folder = path.join(outboxDir, message.to.replace(/\D/g, ""));
  await fs.mkdir(folder, { recursive: true });
  const name = `${message.sentAt.replace(/[:.]/g, "-")}-${String(++outboxSequence).padStart(6, "0")}.json`;
  await fs.writeFile(path.join(folder, name), JSON.stringify(message));
}

let provider: SmsProvider | undefined;

export function smsProvider(): SmsProvider {
  if (provider) return provider;
  const config = env();
  switch (config.SMS_PROVIDER) {
    case "esms":
      provider = new EsmsSmsProvider({
        apiKey: config.ESMS_API_KEY!,
        secretKey: config.ESMS_SECRET_KEY!,
        brandname: config.ESMS_BRANDNAME!,
        apiBase: config.ESMS_API_BASE,
        sandbox: config.ESMS_SANDBOX,
      });
      break;
    case "log":
      if (config.NODE_ENV === "production" && !config.SMS_TEST_OUTBOX) {
        logger.warn("SMS_PROVIDER=log: one-time codes go to the log, not to phones");
      }
      provider = new LogSmsProvider({ outboxDir: config.SMS_TEST_OUTBOX });
      break;
  }
  return provider;
}

/** Tests swap in a provider that fails or records; undefined builds the configured one again. */
export function setSmsProvider(next: SmsProvider | undefined) {
  provider = next;
}
