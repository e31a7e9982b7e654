/**
 * One-time codes sent by SMS, for every flow that proves a phone (log in,
 * sign up, reset a password, a guest's checkout: `purpose` is the flow's name).
 *
 * - 6 digits from crypto.randomInt; only an HMAC of (purpose, phone, code) is
 *   stored, so the table alone does not let anyone in.
 * - Valid for 5 minutes, single use.
 * - Asking for another code does not void the ones already sent: someone else
 *   asking for codes for your number must not spoil the one you are typing.
 *   How many can be live at once is bounded by the SMS limits (RATE_LIMITS
 *   `code.send.*`).
 * - A guess is checked against every live code of the number and counts
 *   against each of them; a code takes `code.verify.code` guesses at most, so
 *   over its life no code gives a guesser more than 5 chances in a million.
 *
 * Guess counting and consumption are single UPDATE statements, so two app
 * instances racing on the same code cannot both win or exceed the guess limit.
 */
import { createHmac, randomInt, timingSafeEqual } from "node:crypto";
import { and, eq, gt, gte, inArray, isNull, lt, sql } from "drizzle-orm";
import { oneTimeCodes } from "#db/schema";
import { RATE_LIMITS } from "~/http/index.server";
import { db } from "~/utils/db.server";
import { sessionSecrets } from "~/utils/env.server";

export const CODE_LENGTH = 6;
export const CODE_TTL_SECONDS = 5 * 60;
/** Guesses one code takes (the policy lives in RATE_LIMITS with the others). */
export const CODE_MAX_ATTEMPTS = RATE_LIMITS["code.verify.code"].limit;

/** The flow a code was sent for; a code of one flow never passes in another. */
export type CodePurpose = "login" | "signup" | "reset" | "checkout" | AgreementPurpose;

/**
 * A code by which the holder of a phone agrees to one thing asked on someone
 * else's screen (agreement-code.server.ts): an officer onboarding their
 * household, or changing where their money goes (bound to the new details).
 */
export type AgreementPurpose = "consent" | `payout:${string}`;

function hashCode(phone: string, purpose: CodePurpose, code: string): string {
  // A fixed key: rotating SESSION_SECRET only voids codes younger than 5 minutes.
  return createHmac("sha256", sessionSecrets()[0]).update(`${purpose}:${phone}:${code}`).digest("hex");
}

export function generateCode(): string {
  return String(randomInt(0, 10 ** CODE_LENGTH)).padStart(CODE_LENGTH, "0");
}

/** Creates a fresh code for the phone and returns it in clear, for sending. Older codes stay valid. */
export async function createCode(phone: string, purpose: CodePurpose = "login"): Promise<string> {
  const code = generateCode();
  await db.insert(oneTimeCodes).values({
    phone,
    purpose,
    codeHash: hashCode(phone, purpose, code),
    expiresAt: sql`now() + make_interval(secs => ${CODE_TTL_SECONDS})`,
  });
  return code;
}

/** Forgets a code that could not be sent (the SMS gateway failed): nothing is left of the attempt. */
export async function discardCode(phone: string, purpose: CodePurpose, code: string): Promise<void> {
  await db
    .delete(oneTimeCodes)
    .where(
      and(
        eq(oneTimeCodes.phone, phone),
        eq(oneTimeCodes.purpose, purpose),
        eq(oneTimeCodes.codeHash, hashCode(phone, purpose, code)),
      ),
    );
}

export type CodeCheck =
  | { ok: true }
  /** Wrong code; `attemptsLeft` more guesses before the live codes are spent. */
  | { ok: false; reason: "wrong"; attemptsLeft: number }
  /** No live code: never requested, expired, or already used. */
  | { ok: false; reason: "expired" }
  /** Too many wrong guesses: a new code is needed. */
  | { ok: false; reason: "locked" };

const sameHash = (a: string, b: string) => {
  const x = Buffer.from(a, "hex");
  const y = Buffer.from(b, "hex");
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Checks a code against the number's live codes; the one it matches is used up, the others are dropped. */
export async function verifyCode(phone: string, code: string, purpose: CodePurpose = "login"): Promise<CodeCheck> {
  const live = and(
    eq(oneTimeCodes.phone, phone),
    eq(oneTimeCodes.purpose, purpose),
    isNull(oneTimeCodes.consumedAt),
    gt(oneTimeCodes.expiresAt, sql`now()`),
  );

  // Count the guess on every live code first (atomically, only while guesses remain), then compare.
  const counted = await db
    .update(oneTimeCodes)
    .set({ attempts: sql`${oneTimeCodes.attempts} + 1` })
    .where(and(live, lt(oneTimeCodes.attempts, CODE_MAX_ATTEMPTS)))
    .returning({ id: oneTimeCodes.id, codeHash: oneTimeCodes.codeHash, attempts: oneTimeCodes.attempts });

  if (counted.length === 0) {
    const [spent] = await db
      .select({ id: oneTimeCodes.id })
      .from(oneTimeCodes)
      .where(and(live, gte(oneTimeCodes.attempts, CODE_MAX_ATTEMPTS)))
      .limit(1);
    return spent ? { ok: false, reason: "locked" } : { ok: false, reason: "expired" };
  }

  const expected = hashCode(phone, purpose, code);
  const match = counted.find((row) => sameHash(row.codeHash, expected));
  if (!match) {
    const attemptsLeft = Math.max(0, ...counted.map((row) => CODE_MAX_ATTEMPTS - row.attempts));
    return attemptsLeft > 0 ? { ok: false, reason: "wrong", attemptsLeft } : { ok: false, reason: "locked" };
  }

  // Single use: only one request can flip consumed_at from NULL.
  const [consumed] = await db
    .update(oneTimeCodes)
    .set({ consumedAt: sql`now()` })
    .where(and(eq(oneTimeCodes.id, match.id), isNull(oneTimeCodes.consumedAt)))
    .returning({ id: oneTimeCodes.id });
  if (!consumed) return { ok: false, reason: "expired" };
  // The phone is proved: the number's other codes of this flow have nothing left to do.
  const others = counted.map((row) => row.id).filter((id) => id !== match.id);
  if (others.length > 0) {
    await db.delete(oneTimeCodes).where(inArray(oneTimeCodes.id, others));
  }
  return { ok: true };
}

/** Housekeeping: codes are useless after expiry. */
export async function pruneExpiredCodes(): Promise<number> {
  const gone = await db
    .delete(oneTimeCodes)
    .where(lt(oneTimeCodes.expiresAt, sql`now() - interval '1 day'`))
    .returning({ id: oneTimeCodes.id });
  return gone.length;
}
