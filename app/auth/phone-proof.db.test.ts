/**
 * The prove-the-phone flow's own rules, without HTTP: what each flow sends
 * and allows for each kind of account (every flow × account pair), that a
 * code of one flow never passes in another, and how proofs are read and
 * spent.
 */
import type { TFunction } from "i18next";
import { eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { oneTimeCodes, phoneProofs, rateLimits, users } from "#db/schema";
import { createUser } from "#tests/fixtures/factories";
import { createCode, verifyCode } from "./otp.server";
import {
  createAccountWithProof,
  issueProof,
  PHONE_FLOWS,
  pruneExpiredProofs,
  readProof,
  requestPhoneCode,
  verifyPhoneCode,
  type AccountState,
  type PhoneFlowName,
} from "./phone-proof.server";
import { hashPassword } from "./password.server";
import { i18nInstance } from "~/i18n/i18n.server";
import { sentSmsForTests } from "~/notifications/sms.server";
import { db } from "~/utils/db.server";

const PHONE = "+84912345678";
const IP = "198.51.100.10";
const t = i18nInstance("vi").getFixedT("vi", "auth") as TFunction;

beforeEach(async () => {
  for (const table of [users, oneTimeCodes, phoneProofs, rateLimits]) await db.delete(table);
  sentSmsForTests.clear();
});

let passwordHash: string | undefined;
async function accountIn(state: AccountState) {
  if (state === "none") return;
  passwordHash ??= await hashPassword("vaithieu-ThanhHa");
  await createUser(db, { phone: PHONE, passwordHash: state === "withPassword" ? passwordHash : null });
}

const flows = Object.keys(PHONE_FLOWS) as PhoneFlowName[];
const states: AccountState[] = ["none", "passwordless", "withPassword"];
const cases = flows.flatMap((flow) => states.map((state) => [flow, state] as const));

describe("each flow, for each kind of account", () => {
  it.each(cases)("%s with an account that is %s: sends what its table says, and answers ok", async (flow, state) => {
    await accountIn(state);
    const result = await requestPhoneCode(flow, { phone: PHONE, ip: IP, t, siteUrl: "https://ghs.example/" });
    expect(result).toEqual({ ok: true });
    const send = PHONE_FLOWS[flow].send[state];
    const sms = sentSmsForTests.all(PHONE);
    // Always one code: the one sent, or one nobody knows, so the code step answers guesses alike.
    const codes = await db.select().from(oneTimeCodes);
    expect(codes).toHaveLength(1);
    expect(codes[0].purpose).toBe(PHONE_FLOWS[flow].purpose);
    expect(sms).toHaveLength(send.kind === "nothing" ? 0 : 1);
    const sentCode = /\b(\d{6})\b/.exec(sms[0]?.text ?? "")?.[1];
    expect(sentCode !== undefined).toBe(send.kind === "code");
    if (sentCode) expect(await verifyCode(PHONE, sentCode, PHONE_FLOWS[flow].purpose)).toEqual({ ok: true });
    if (sms[0]) expect(sms[0].text).not.toContain("{{");
    if (send.kind === "notice") expect(sms[0].text).toContain("https://ghs.example/login");
  });

  it.each(cases)("%s with an account that is %s: a right code gives what its table says", async (flow, state) => {
    await accountIn(state);
    const code = await createCode(PHONE, PHONE_FLOWS[flow].purpose);
    const result = await verifyPhoneCode(flow, { phone: PHONE, code, ip: IP });
    const outcome = PHONE_FLOWS[flow].verified[state];
    if (!outcome) {
      expect(result).toEqual({ ok: false, reason: "expired" });
      return;
    }
    expect(result).toMatchObject({ ok: true, outcome });
    if (outcome === "sign-in") expect(result).toMatchObject({ user: { phone: PHONE } });
    else expect(await readProof((result as { proofToken: string }).proofToken, outcome)).toEqual({ phone: PHONE });
    const [account] = await db.select({ confirmed: users.phoneConfirmedAt }).from(users);
    if (account) expect(account.confirmed).toBeInstanceOf(Date);
  });

  it("never lets a code of one flow pass in another", async () => {
    await accountIn("withPassword");
    const signupCode = await createCode(PHONE, "signup");
    expect(await verifyPhoneCode("login", { phone: PHONE, code: signupCode, ip: IP })).toEqual({
      ok: false,
      reason: "expired",
    });
    const resetCode = await createCode(PHONE, "reset");
    expect((await verifyPhoneCode("login", { phone: PHONE, code: resetCode, ip: IP })).ok).toBe(false);
    expect((await verifyPhoneCode("reset", { phone: PHONE, code: resetCode, ip: IP })).ok).toBe(true);
  });
});

describe("proofs", () => {
  it("are read without being spent, for their own step and phone only", async () => {
    const token = await issueProof(PHONE, "create-account");
    expect(await readProof(token, "create-account")).toEqual({ phone: PHONE });
    expect(await readProof(token, "create-account")).toEqual({ phone: PHONE });
    expect(await readProof(token, "set-password")).toBeNull();
    expect(await readProof(null, "create-account")).toBeNull();
    expect(await readProof("not-a-token", "create-account")).toBeNull();
    const [row] = await db.select().from(phoneProofs);
    expect(row.id).not.toBe(token);
    const ttl = row.expiresAt.getTime() - Date.now();
    expect(ttl).toBeGreaterThan(14 * 60 * 1000);
    expect(ttl).toBeLessThanOrEqual(15 * 60 * 1000 + 5000);
  });

  it("are spent once, even by requests that race", async () => {
    const token = await issueProof(PHONE, "create-account");
    const input = { fullName: "Phạm Văn Vải", password: "vuon-nha-toi-2026", role: "farmer" as const, locale: "vi" };
    const results = await Promise.all([1, 2, 3].map(() => createAccountWithProof(token, input)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => (r as { reason: string }).reason)).toEqual(["no_proof", "no_proof"]);
    expect(await db.select().from(users)).toHaveLength(1);
  });

  it("stay unspent when the number got an account meanwhile, so the page can say so", async () => {
    const token = await issueProof(PHONE, "create-account");
    await accountIn("withPassword");
    const input = { fullName: "Phạm Văn Vải", password: "vuon-nha-toi-2026", role: "farmer" as const, locale: "vi" };
    expect(await createAccountWithProof(token, input)).toEqual({ ok: false, reason: "phone_taken" });
    expect(await readProof(token, "create-account")).toEqual({ phone: PHONE });
  });

  it("are pruned a day after they expire", async () => {
    await issueProof(PHONE, "set-password");
    const old = await issueProof("+84987654321", "set-password");
    await db
      .update(phoneProofs)
      .set({ expiresAt: sql`now() - interval '2 days'` })
      .where(eq(phoneProofs.phone, "+84987654321"));
    expect(await pruneExpiredProofs()).toBe(1);
    expect(await readProof(old, "set-password")).toBeNull();
    expect(await db.select().from(phoneProofs)).toHaveLength(1);
  });
});
