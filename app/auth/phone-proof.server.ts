/**
 * Prove the phone, then take one step: the one flow behind sign-up, a
 * forgotten password, logging in by SMS code and a guest's checkout past its
 * threshold (and, later, an officer handing a stall over to the farmer's
 * phone). ADR 016, ADR 019 for checkout.
 *
 * 1. `requestPhoneCode(flow, …)`: the SMS limits are counted, then the flow's
 *    table says what the number gets by the state of its account: a code, a
 *    notice ("you already have an account"), or nothing. The caller's answer
 *    is the same in every case, so the page never tells whether a number has
 *    an account.
 * 2. `verifyPhoneCode(flow, …)`: guesses are limited per (phone, IP) and per
 *    code; a right code confirms the account's phone (`phone_confirmed_at`),
 *    forgives its wrong passwords, and the flow's table says what it allows
 *    now: a session ("sign-in"), or a proof for one next step.
 * 3. A proof is a `phone_proofs` row keyed by the SHA-256 of a random token
 *    the browser holds (proof-cookie.server.ts): for that phone only, that
 *    step only, once, within 15 minutes. `createAccountWithProof` and
 *    `setPasswordWithProof` spend it in the same transaction as their write.
 *    A `checkout` proof is different: it is read, never spent, for 30 days —
 *    it stands for "this browser holds this number", so a buyer who proved it
 *    once is not asked again at each checkout (app/orders/checkout-guard.server.ts).
 *
 * A new flow is a row in PHONE_FLOWS, its SMS texts in auth.json, and two thin
 * routes over the same helpers (phone-steps.server.ts). The officer's
 * hand-over is the signup row's "passwordless" column (ADR 029).
 * Nothing here knows about HTTP.
 */
import { createHash, randomBytes } from "node:crypto";
import type { TFunction } from "i18next";
import { and, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import { phoneProofs, sessions, users } from "#db/schema";
import { forgiveLoginFailures } from "./accounts.server";
import {
  CODE_TTL_SECONDS,
  createCode,
  discardCode,
  verifyCode,
  type AgreementPurpose,
  type CodePurpose,
} from "./otp.server";
import { hashPassword } from "./password.server";
import type { Role, SessionUser } from "./session.server";
import { countHit, resetHits, type RateLimitResult, Refusal } from "~/http/index.server";
import { smsProvider } from "~/notifications/index.server";
import { db } from "~/utils/db.server";
import type { Database, Tx } from "#db/client";

/** What a number's account looks like when the flow asks. */
export type AccountState = "none" | "passwordless" | "withPassword";

/** The one step a proof allows (`checkout`: orders for that phone from this browser, read not spent). */
export type ProofAllows = "create-account" | "set-password" | "checkout";

/** What a verified code gives: a session, or a proof for one step. */
export type VerifiedOutcome = "sign-in" | ProofAllows;

/** Texts in auth.json's `sms` section. */
export type SmsText = "loginCode" | "signupCode" | "resetCode" | "setPasswordCode" | "haveAccount" | "checkoutCode";

type Send = { kind: "code"; sms: SmsText } | { kind: "notice"; sms: SmsText } | { kind: "nothing" };

export interface PhoneFlow {
  /** The purpose its codes are stored under: a code of one flow never passes in another. */
  purpose: CodePurpose;
  /** What the number is sent when someone asks, by its account. */
  send: Record<AccountState, Send>;
  /** What a right code gives, by the account as it is then; null: nothing (answered like an expired code). */
  verified: Record<AccountState, VerifiedOutcome | null>;
}

const code = (sms: SmsText): Send => ({ kind: "code", sms });
const notice = (sms: SmsText): Send => ({ kind: "notice", sms });
const nothing: Send = { kind: "nothing" };

export const PHONE_FLOWS = {
  /** Log in with a code: for a forgotten password, an officer-made account, or past the wrong-password threshold. */
  login: {
    purpose: "login",
    send: { none: nothing, passwordless: code("loginCode"), withPassword: code("loginCode") },
    verified: { none: null, passwordless: "sign-in", withPassword: "sign-in" },
  },
  /**
   * Sign up: a new number proves itself, then names the account. A number with
   * an account is told so by SMS (only its holder learns it); an account an
   * officer made without a password is sent to set one.
   */
  signup: {
    purpose: "signup",
    send: { none: code("signupCode"), passwordless: code("setPasswordCode"), withPassword: notice("haveAccount") },
    verified: { none: "create-account", passwordless: "set-password", withPassword: null },
  },
  /** Forgotten password: numbers without an account are sent nothing (an SMS costs money). */
  reset: {
    purpose: "reset",
    send: { none: nothing, passwordless: code("resetCode"), withPassword: code("resetCode") },
    verified: { none: null, passwordless: "set-password", withPassword: "set-password" },
  },
  /**
   * A checkout past its threshold (ADR 019): whoever is ordering for the
   * number proves they hold it, account or not; the proof lets this browser
   * order for it without a code for a while.
   */
  checkout: {
    purpose: "checkout",
    send: { none: code("checkoutCode"), passwordless: code("checkoutCode"), withPassword: code("checkoutCode") },
    verified: { none: "checkout", passwordless: "checkout", withPassword: "checkout" },
  },
} as const satisfies Record<Exclude<CodePurpose, AgreementPurpose>, PhoneFlow>;

export type PhoneFlowName = keyof typeof PHONE_FLOWS;

export const PROOF_TTL_SECONDS = 15 * 60;
/** How long a browser that proved a number at checkout may order for it without a code. */
export const CHECKOUT_PROOF_TTL_SECONDS = 30 * 24 * 60 * 60;

const proofTtlSeconds = (allows: ProofAllows) =>
  allows === "checkout" ? CHECKOUT_PROOF_TTL_SECONDS : PROOF_TTL_SECONDS;

const accountColumns = {
  id: users.id,
  fullName: users.fullName,
  phone: users.phone,
  role: users.role,
  hasPassword: sql<boolean>`${users.passwordHash} IS NOT NULL`,
  deactivated: sql<boolean>`${users.deactivatedAt} IS NOT NULL`,
};

async function findAccount(phone: string) {
  const [row] = await db.select(accountColumns).from(users).where(eq(users.phone, phone)).limit(1);
  return row ?? null;
}

const stateOf = (account: { hasPassword: boolean } | null): AccountState =>
  !account ? "none" : account.hasPassword ? "withPassword" : "passwordless";

const tooMany = (limited: RateLimitResult) => ({
  ok: false as const,
  refusal: new Refusal("tooMany", limited.retryAfterSeconds),
});

// ---------------------------------------------------------------- step 1: ask for a code

export type RequestCodeResult =
  | { ok: true }
  /** Too many SMS to the number from this IP, or (`dailyCap`) from anywhere today. */
  | { ok: false; refusal: Refusal; dailyCap: boolean }
  | { ok: false; error: unknown };

/**
 * Sends the number what the flow says. Limits come first and count whether or
 * not the number has an account. A gateway failure leaves no code behind and
 * comes back as `{ error }` (the page says "try again", 503).
 */
export async function requestPhoneCode(
  flowName: PhoneFlowName,
  {
    phone,
    ip,
    t,
    siteUrl,
  }: {
    phone: string;
    ip: string;
    /** The auth namespace in the reader's language: the SMS is in theirs. */
    t: TFunction;
    /** Where links in the SMS point (PUBLIC_URL, or the request's origin). */
    siteUrl: string;
  },
): Promise<RequestCodeResult> {
  // Per IP first: an address over its limit must not spend the number's daily allowance too.
  const fromHere = await countHit("code.send.phoneIp", `${phone}|${ip}`);
  if (!fromHere.allowed) return { ...tooMany(fromHere), dailyCap: false };
  const toNumber = await countHit("code.send.phone", phone);
  if (!toNumber.allowed) return { ...tooMany(toNumber), dailyCap: true };

  const flow: PhoneFlow = PHONE_FLOWS[flowName];
  const send = flow.send[stateOf(await findAccount(phone))];
  if (send.kind !== "nothing") {
    const secret = send.kind === "code" ? await createCode(phone, flow.purpose) : undefined;
    const text = t(`sms.${send.sms}`, {
      code: secret,
      minutes: CODE_TTL_SECONDS / 60,
      url: siteUrl.replace(/\/+$/, ""),
      interpolation: { escapeValue: false },
    });
    try {
      await smsProvider().send(phone, text);
    } catch (error) {
      if (secret) await discardCode(phone, flow.purpose, secret);
      return { ok: false, error };
    }
  }
  // No code was sent: store one nobody knows, so that a guess on the code step is
  // answered the same ("wrong, 4 tries left") whether or not the number has an account.
  if (send.kind !== "code") await createCode(phone, flow.purpose);
  return { ok: true };
}

// ---------------------------------------------------------------- step 2: the code

export type VerifyCodeResult =
  | { ok: true; outcome: "sign-in"; user: SessionUser }
  | { ok: true; outcome: ProofAllows; proofToken: string }
  | { ok: false; refusal: Refusal }
  | { ok: false; reason: "wrong"; attemptsLeft: number }
  | { ok: false; reason: "expired" | "locked" }
  /** A right code for an account an admin deactivated (ADR 026): no session, no new password. */
  | { ok: false; reason: "deactivated" };

export async function verifyPhoneCode(
  flowName: PhoneFlowName,
  { phone, code: typed, ip }: { phone: string; code: string; ip: string },
): Promise<VerifyCodeResult> {
  const guesses = await countHit("code.verify.phoneIp", `${phone}|${ip}`);
  if (!guesses.allowed) return tooMany(guesses);

  const flow: PhoneFlow = PHONE_FLOWS[flowName];
  const check = await verifyCode(phone, typed, flow.purpose);
  if (!check.ok) return check;
  await resetHits("code.verify.phoneIp", `${phone}|${ip}`);

  const account = await findAccount(phone);
  const outcome = flow.verified[stateOf(account)];
  if (!outcome) return { ok: false, reason: "expired" };
  // Only the holder of the number gets here, so telling them why is no account discovery.
  if (account?.deactivated && outcome !== "checkout") return { ok: false, reason: "deactivated" };
  if (account) {
    // The holder of the number is here: the phone is confirmed and its wrong passwords forgiven.
    await db
      .update(users)
      .set({ phoneConfirmedAt: sql`now()` })
      .where(eq(users.id, account.id));
    await forgiveLoginFailures(phone, ip);
  }
  if (outcome === "sign-in") {
    const { hasPassword: _, deactivated: _off, ...user } = account!;
    return { ok: true, outcome, user };
  }
  return { ok: true, outcome, proofToken: await issueProof(phone, outcome) };
}

// ---------------------------------------------------------------- step 3: the proof

const TOKEN = /^[A-Za-z0-9_-]{43}$/; // 32 bytes, base64url
const proofIdFor = (token: string) => createHash("sha256").update(token).digest("hex");

/** A proof for `allows` on this phone; the token goes to the browser, only its hash to the table. */
export async function issueProof(phone: string, allows: ProofAllows): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await db.insert(phoneProofs).values({
    id: proofIdFor(token),
    phone,
    allows,
    expiresAt: sql`now() + make_interval(secs => ${proofTtlSeconds(allows)})`,
  });
  return token;
}

const usable = (token: string, allows: ProofAllows) =>
  and(
    eq(phoneProofs.id, proofIdFor(token)),
    eq(phoneProofs.allows, allows),
    isNull(phoneProofs.usedAt),
    gt(phoneProofs.expiresAt, sql`now()`),
  );

/** The proved phone, while the proof may still take its step; null otherwise. Does not spend it. */
export async function readProof(token: string | null, allows: ProofAllows): Promise<{ phone: string } | null> {
  if (!token || !TOKEN.test(token)) return null;
  const [row] = await db.select({ phone: phoneProofs.phone }).from(phoneProofs).where(usable(token, allows)).limit(1);
  return row ?? null;
}

/** Spends the proof: only one request can flip used_at from NULL. */
async function spendProof(tx: Tx, token: string, allows: ProofAllows): Promise<string | null> {
  if (!TOKEN.test(token)) return null;
  const [row] = await tx
    .update(phoneProofs)
    .set({ usedAt: sql`now()` })
    .where(usable(token, allows))
    .returning({ phone: phoneProofs.phone });
  return row?.phone ?? null;
}

const sessionUserColumns = { id: users.id, fullName: users.fullName, phone: users.phone, role: users.role };

export type CreateAccountResult =
  | { ok: true; user: SessionUser }
  | { ok: false; reason: "no_proof" }
  /** The number got an account since it was proved (two sign-ups at once): its holder should log in. */
  | { ok: false; reason: "phone_taken" };

/** Sign-up's last step: the account for the proved phone, its phone confirmed, the proof spent. */
export async function createAccountWithProof(
  token: string | null,
  input: { fullName: string; password: string; role: Role; locale: string },
): Promise<CreateAccountResult> {
  if (!token) return { ok: false, reason: "no_proof" };
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.transaction(async (tx): Promise<CreateAccountResult> => {
      const phone = await spendProof(tx, token, "create-account");
      if (!phone) return { ok: false, reason: "no_proof" };
      // The unique index decides, so two sign-ups racing for one number cannot both win.
      const [user] = await tx
        .insert(users)
        .values({
          phone,
          fullName: input.fullName,
          passwordHash,
          role: input.role,
          locale: input.locale,
          phoneConfirmedAt: sql`now()`,
        })
        .onConflictDoNothing({ target: users.phone })
        .returning(sessionUserColumns);
      // The proof stays unspent: its page can still say why (the number has an account now).
      if (!user) throw new PhoneTaken();
      return { ok: true, user };
    });
  } catch (error) {
    if (error instanceof PhoneTaken) return { ok: false, reason: "phone_taken" };
    throw error;
  }
}

class PhoneTaken extends Error {}

/**
 * A forgotten password's (and an officer-made account's) last step: the new
 * password, the phone confirmed, every session of the account ended (a thief
 * who knew the old password is signed out), the proof spent.
 */
export async function setPasswordWithProof(
  token: string | null,
  password: string,
): Promise<{ ok: true; user: SessionUser } | { ok: false; reason: "no_proof" }> {
  if (!token) return { ok: false, reason: "no_proof" };
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const phone = await spendProof(tx, token, "set-password");
    if (!phone) return { ok: false as const, reason: "no_proof" as const };
    const [user] = await tx
      .update(users)
      .set({ passwordHash, phoneConfirmedAt: sql`now()` })
      .where(eq(users.phone, phone))
      .returning(sessionUserColumns);
    if (!user) return { ok: false as const, reason: "no_proof" as const };
    await tx.delete(sessions).where(eq(sessions.userId, user.id));
    return { ok: true as const, user };
  });
}

/**
 * Whether one of these checkout proofs (a browser's remembered ones) is for
 * this phone and still valid. Read, never spent: see the top of this file.
 */
export async function hasCheckoutProof(tokens: readonly string[], phone: string): Promise<boolean> {
  const valid = tokens.filter((token) => TOKEN.test(token));
  if (valid.length === 0) return false;
  const [row] = await db
    .select({ id: phoneProofs.id })
    .from(phoneProofs)
    .where(
      and(
        inArray(phoneProofs.id, valid.map(proofIdFor)),
        eq(phoneProofs.phone, phone),
        eq(phoneProofs.allows, "checkout"),
        gt(phoneProofs.expiresAt, sql`now()`),
      ),
    )
    .limit(1);
  return Boolean(row);
}

/** Housekeeping (the maintenance job): a proof is useless once expired. */
export async function pruneExpiredProofs(): Promise<number> {
  const gone = await db
    .delete(phoneProofs)
    .where(sql`${phoneProofs.expiresAt} < now() - interval '1 day'`)
    .returning({ id: phoneProofs.id });
  return gone.length;
}

/** Whether whoever is ordering has already shown they hold `phone` (an account's confirmed phone, a remembered proof). */
export async function phoneProvedBefore(
  db: Database,
  { userId, phone, proofTokens }: { userId: string | null | undefined; phone: string; proofTokens: readonly string[] },
): Promise<boolean> {
  if (userId) {
    const [account] = await db
      .select({ phone: users.phone, confirmedAt: users.phoneConfirmedAt })
      .from(users)
      .where(eq(users.id, userId));
    if (account?.confirmedAt && account.phone === phone) return true;
  }
  return hasCheckoutProof(proofTokens, phone);
}
