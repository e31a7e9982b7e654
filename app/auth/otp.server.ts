/**
 * One-time login codes sent by SMS.
 *
 * - 6 digits from crypto.randomInt; only an HMAC of (phone, purpose, code) is
 *   stored, so the table alone does not let anyone log in.
 * - Valid for 5 minutes, at most 5 guesses, single use.
 * - Asking for a new code deletes the older ones for that phone and purpose.
 *
 * Guess counting and consumption are single UPDATE statements, so two app
 * instances racing on the same code cannot both win or exceed the guess limit.
 */
import { createHmac, randomInt, timingSafeEqual } from "node:crypto";
import { and, desc, eq, gt, isNull, lt, sql } from "drizzle-orm";
import { oneTimeCodes } from "../../db/schema";
import { db } from "~/utils/db.server";
import { sessionSecrets } from "~/utils/env.server";

export const CODE_LENGTH = 6;
export const CODE_TTL_SECONDS = 5 * 60;
export const CODE_MAX_ATTEMPTS = 5;

export type CodePurpose = "login";

function hashCode(phone: string, purpose: CodePurpose, code: string): string {
  // A fixed key: rotating SESSION_SECRET only voids codes younger than 5 minutes.
  return createHmac("sha256", sessionSecrets()[0]).update(`${purpose}:${phone}:${code}`).digest("hex");
}

export function generateCode(): string {
  return String(randomInt(0, 10 ** CODE_LENGTH)).padStart(CODE_LENGTH, "0");
}

/** Creates a fresh code for the phone (voiding older ones) and returns it in clear, for sending. */
export async function createCode(phone: string, purpose: CodePurpose = "login"): Promise<string> {
  const code = generateCode();
  await db.transaction(async (tx) => {
    await tx.delete(oneTimeCodes).where(and(eq(oneTimeCodes.phone, phone), eq(oneTimeCodes.purpose, purpose)));
    await tx.insert(oneTimeCodes).values({
      phone,
      purpose,
      codeHash: hashCode(phone, purpose, code),
      expiresAt: sql`now() + make_interval(secs => ${CODE_TTL_SECONDS})`,
    });
  });
  return code;
}

export type CodeCheck =
  | { ok: true }
  /** Wrong code; `attemptsLeft` more guesses on this code. */
  | { ok: false; reason: "wrong"; attemptsLeft: number }
  /** No live code: never requested, expired, or already used. */
  | { ok: false; reason: "expired" }
  /** Too many wrong guesses: a new code is needed. */
  | { ok: false; reason: "locked" };

/** Checks a code; a correct one is consumed and cannot be used again. */
export async function verifyCode(phone: string, code: string, purpose: CodePurpose = "login"): Promise<CodeCheck> {
  const live = and(
    eq(oneTimeCodes.phone, phone),
    eq(oneTimeCodes.purpose, purpose),
    isNull(oneTimeCodes.consumedAt),
    gt(oneTimeCodes.expiresAt, sql`now()`),
  );

  // Count the guess first (atomically, and only while guesses remain), then compare.
  const newest = db
    .select({ id: oneTimeCodes.id })
    .from(oneTimeCodes)
    .where(live)
    .orderBy(desc(oneTimeCodes.createdAt))
    .limit(1);
  const [counted] = await db
    .update(oneTimeCodes)
    .set({ attempts: sql`${oneTimeCodes.attempts} + 1` })
    .where(and(sql`${oneTimeCodes.id} = (${newest})`, lt(oneTimeCodes.attempts, CODE_MAX_ATTEMPTS)))
    .returning({ id: oneTimeCodes.id, codeHash: oneTimeCodes.codeHash, attempts: oneTimeCodes.attempts });

  if (!counted) {
    const [still] = await db.select({ id: oneTimeCodes.id }).from(oneTimeCodes).where(live).limit(1);
    return still ? { ok: false, reason: "locked" } : { ok: false, reason: "expired" };
  }

  const expected = Buffer.from(counted.codeHash, "hex");
  const actual = Buffer.from(hashCode(phone, purpose, code), "hex");
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    const attemptsLeft = Math.max(0, CODE_MAX_ATTEMPTS - counted.attempts);
    return attemptsLeft > 0 ? { ok: false, reason: "wrong", attemptsLeft } : { ok: false, reason: "locked" };
  }

  // Single use: only one request can flip consumed_at from NULL.
  const [consumed] = await db
    .update(oneTimeCodes)
    .set({ consumedAt: sql`now()` })
    .where(and(eq(oneTimeCodes.id, counted.id), isNull(oneTimeCodes.consumedAt)))
    .returning({ id: oneTimeCodes.id });
  return consumed ? { ok: true } : { ok: false, reason: "expired" };
}

/** Housekeeping: codes are useless after expiry. */
export async function pruneExpiredCodes(): Promise<number> {
  const gone = await db
    .delete(oneTimeCodes)
    .where(lt(oneTimeCodes.expiresAt, sql`now() - interval '1 day'`))
    .returning({ id: oneTimeCodes.id });
  return gone.length;
}
