/**
 * Accounts: find one, log in with a phone and password. Accounts are created
 * and passwords set only after the phone is proved (phone-proof.server.ts).
 * Routes call these; they know nothing about HTTP.
 */
import { eq, sql } from "drizzle-orm";
import { users } from "#db/schema";
import { dummyVerify, hashPassword, needsRehash, verifyPassword } from "./password.server";
import type { Role, SessionUser } from "./session.server";
import { countHit, peekHits, RATE_LIMITS, resetHits, Refusal } from "~/http/index.server";
import { db } from "~/utils/db.server";

const sessionUserColumns = { id: users.id, fullName: users.fullName, phone: users.phone, role: users.role };

/** Where someone lands after signing in when no page asked for them. */
export function homePathFor(role: Role): string {
  // Officers land on their workspace. Farmers land on /setup: it resumes an
  // unfinished wizard, or sends them to their dashboard. Admins land on the
  // payouts screen (what the platform owes farmers, payment alerts).
  if (role === "farmer") return "/setup";
  if (role === "officer") return "/officer";
  if (role === "admin") return "/admin/payouts";
  return role === "buyer" ? "/" : "/account";
}

export async function findUserByPhone(phone: string): Promise<SessionUser | null> {
  const [user] = await db.select(sessionUserColumns).from(users).where(eq(users.phone, phone)).limit(1);
  return user ?? null;
}

/**
 * The user when phone and password match, else null. Unknown phones and
 * accounts without a password cost the same scrypt work as a wrong password.
 * `deactivated`: the account an admin stopped (ADR 026), told only to whoever
 * knows its password.
 */
export async function authenticate(
  phone: string,
  password: string,
): Promise<(SessionUser & { deactivated: boolean }) | null> {
  const [row] = await db
    .select({
      ...sessionUserColumns,
      passwordHash: users.passwordHash,
      deactivated: sql<boolean>`${users.deactivatedAt} IS NOT NULL`,
    })
    .from(users)
    .where(eq(users.phone, phone))
    .limit(1);
  if (!row?.passwordHash) return dummyVerify(password).then(() => null);
  if (!(await verifyPassword(password, row.passwordHash))) return null;
  if (needsRehash(row.passwordHash)) {
    await db
      .update(users)
      .set({ passwordHash: await hashPassword(password) })
      .where(eq(users.id, row.id));
  }
  const { passwordHash: _hash, ...user } = row;
  return user;
}

export type PasswordLoginResult =
  | { ok: true; user: SessionUser }
  /** Wrong password, unknown number or no password yet: one answer for all three. */
  | { ok: false; reason: "wrong" }
  /** The right password of an account an admin deactivated (ADR 026): no session. */
  | { ok: false; reason: "deactivated" }
  /** Too many wrong passwords for this number from anywhere: the SMS code is asked for instead. */
  | { ok: false; reason: "code_required" }
  /** Too many attempts for this number from this IP. */
  | { ok: false; refusal: Refusal };

/**
 * Logs in with a password, within the limits of ADR 016:
 * - attempts for the number from this IP (`login.phoneIp`): past it, this IP
 *   is refused (429) and nobody else is;
 * - wrong passwords for the number from anywhere (`login.phone`): past it, a
 *   password alone is not enough for a while, whoever types it: the person
 *   is sent to log in with the SMS code instead (the password is not even
 *   checked, so it cannot be confirmed by guessing on). Never a refusal, so
 *   a stranger's guesses cannot lock the owner out;
 * - a success forgives the number's wrong passwords.
 */
export async function logInWithPassword({
  phone,
  password,
  ip,
}: {
  phone: string;
  password: string;
  ip: string;
}): Promise<PasswordLoginResult> {
  const fromHere = await countHit("login.phoneIp", `${phone}|${ip}`);
  if (!fromHere.allowed) return { ok: false, refusal: new Refusal("tooMany", fromHere.retryAfterSeconds) };
  if (await codeRequired(phone)) return { ok: false, reason: "code_required" };

  const user = await authenticate(phone, password);
  if (!user) {
    await countHit("login.phone", phone);
    return { ok: false, reason: "wrong" };
  }
  await forgiveLoginFailures(phone, ip);
  if (user.deactivated) return { ok: false, reason: "deactivated" };
  const { deactivated: _, ...signedIn } = user;
  return { ok: true, user: signedIn };
}

/**
 * Past the number's wrong-password threshold, the SMS code is asked for —
 * while the number can still be sent one today. Once its daily SMS allowance
 * is spent (someone asked for codes all day), asking for a code would lock
 * the owner out for the rest of the day: the password, still limited per
 * (phone, IP), is accepted again (ADR 016).
 */
async function codeRequired(phone: string): Promise<boolean> {
  if ((await peekHits("login.phone", phone)) < RATE_LIMITS["login.phone"].limit) return false;
  return (await peekHits("code.send.phone", phone)) < RATE_LIMITS["code.send.phone"].limit;
}

/** The holder of the number got in (right password or right code): its wrong passwords are forgotten. */
export async function forgiveLoginFailures(phone: string, ip: string): Promise<void> {
  await resetHits("login.phone", phone);
  await resetHits("login.phoneIp", `${phone}|${ip}`);
}
