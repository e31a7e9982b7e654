/**
 * Reading the SMS the server "sent": start-server.ts runs it with the log
 * provider and SMS_TEST_OUTBOX=.e2e-data/sms-outbox, where each message is a
 * file `<digits of the number>/<time>-<n>.json` (app/notifications/sms.server.ts).
 */
import fs from "node:fs/promises";
import path from "node:path";
import { expect } from "@playwright/test";

const OUTBOX = path.resolve(".e2e-data", "sms-outbox");

/** "0912 345 678" → "84912345678", the outbox folder of that number. */
function folderOf(typed: string) {
  const digits = typed.replace(/\D/g, "");
  return path.join(OUTBOX, digits.startsWith("0") ? `84${digits.slice(1)}` : digits);
}

async function messagesTo(typed: string): Promise<string[]> {
  const folder = folderOf(typed);
  const files = (await fs.readdir(folder).catch(() => [] as string[])).sort();
  return Promise.all(
    files.map(async (f) => (JSON.parse(await fs.readFile(path.join(folder, f), "utf8")) as { text: string }).text),
  );
}

/** The 6-digit code in the newest SMS to the number, once there are more than `before` messages. */
export async function codeSentTo(typed: string, before = 0): Promise<string> {
  let texts: string[] = [];
  await expect
    .poll(async () => (texts = await messagesTo(typed)).length, { message: `an SMS to ${typed}` })
    .toBeGreaterThan(before);
  const code = /\b(\d{6})\b/.exec(texts[texts.length - 1])?.[1];
  if (!code) throw new Error(`no code in the last SMS to ${typed}`);
  return code;
}

/** How many SMS the number has been sent so far. */
export async function smsCount(typed: string): Promise<number> {
  return (await messagesTo(typed)).length;
}
