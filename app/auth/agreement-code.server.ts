/**
 * Codes by which the holder of a phone agrees to something asked on someone
 * else's screen: an extension officer onboarding their household (the code
 * read back is the record of consent), or an officer changing where their
 * money goes (the purpose names the new details, so a code agrees to those
 * and nothing else). Same codes, limits and answers as the prove-the-phone
 * flows; no account is needed and none is signed in.
 */
import { CODE_TTL_SECONDS, createCode, discardCode, verifyCode, type AgreementPurpose } from "./otp.server";
import type { RequestCodeResult, VerifyCodeResult } from "./phone-proof.server";
import { countHit, resetHits, Refusal, type RateLimitResult } from "~/http/index.server";
import { smsProvider } from "~/notifications/index.server";

export type { AgreementPurpose };

const tooMany = (limited: RateLimitResult) => ({
  ok: false as const,
  refusal: new Refusal("tooMany", limited.retryAfterSeconds),
});

/** Texts the phone a new code for `purpose`; `text` words the SMS around it. */
export async function requestAgreementCode(
  purpose: AgreementPurpose,
  { phone, ip, text }: { phone: string; ip: string; text: (code: string, minutes: number) => string },
): Promise<RequestCodeResult> {
  const fromHere = await countHit("code.send.phoneIp", `${phone}|${ip}`);
  if (!fromHere.allowed) return { ...tooMany(fromHere), dailyCap: false };
  const toNumber = await countHit("code.send.phone", phone);
  if (!toNumber.allowed) return { ...tooMany(toNumber), dailyCap: true };
  const secret = await createCode(phone, purpose);
  try {
    await smsProvider().send(phone, text(secret, CODE_TTL_SECONDS / 60));
  } catch (error) {
    await discardCode(phone, purpose, secret);
    return { ok: false, error };
  }
  return { ok: true };
}

/** Whether the code typed is the one sent for `purpose` (spent when right). */
export async function verifyAgreementCode(
  purpose: AgreementPurpose,
  { phone, code, ip }: { phone: string; code: string; ip: string },
): Promise<{ ok: true } | Exclude<VerifyCodeResult, { ok: true }>> {
  const guesses = await countHit("code.verify.phoneIp", `${phone}|${ip}`);
  if (!guesses.allowed) return tooMany(guesses);
  const check = await verifyCode(phone, code, purpose);
  if (!check.ok) return check;
  await resetHits("code.verify.phoneIp", `${phone}|${ip}`);
  return { ok: true };
}
