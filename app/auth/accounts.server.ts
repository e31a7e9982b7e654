/**
 * Accounts: create one, check a phone + password. Routes call these; they
 * know nothing about HTTP.
 */
import { eq } from "drizzle-orm";
import { users } from "../../db/schema";
import { dummyVerify, hashPassword, needsRehash, verifyPassword } from "./password.server";
import type { Role, SessionUser } from "./session.server";
import { db } from "~/utils/db.server";

const sessionUserColumns = { id: users.id, fullName: users.fullName, phone: users.phone, role: users.role };

/** Where someone lands after signing in when no page asked for them. */
export function homePathFor(role: Role): string {
  // Officers get their dashboard here once it exists. Farmers land on /setup: it
  // resumes an unfinished wizard, or sends them to their dashboard. Admins land
  // on the payouts screen (what the platform owes farmers, payment alerts).
  if (role === "farmer") return "/setup";
  if (role === "admin") return "/admin/payouts";
  return role === "buyer" ? "/" : "/account";
}

export async function findUserByPhone(phone: string): Promise<SessionUser | null> {
  const [user] = await db.select(sessionUserColumns).from(users).where(eq(users.phone, phone)).limit(1);
  return user ?? null;
}

export type CreateUserResult = { ok: true; user: SessionUser } | { ok: false; reason: "phone_taken" };

export async function createUser(input: {
  fullName: string;
  phone: string;
  password: string;
  role: Role;
  locale?: string;
}): Promise<CreateUserResult> {
  const passwordHash = await hashPassword(input.password);
  // The unique index decides, so two signups racing for one number cannot both win.
  const [user] = await db
    .insert(users)
    .values({
      fullName: input.fullName,
      phone: input.phone,
      passwordHash,
      role: input.role,
      locale: input.locale ?? "vi",
    })
    .onConflictDoNothing({ target: users.phone })
    .returning(sessionUserColumns);
  return user ? { ok: true, user } : { ok: false, reason: "phone_taken" };
}

/**
 * The user when phone and password match, else null. Unknown phones and
 * accounts without a password cost the same scrypt work as a wrong password.
 */
export async function authenticate(phone: string, password: string): Promise<SessionUser | null> {
  const [row] = await db
    .select({ ...sessionUserColumns, passwordHash: users.passwordHash })
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
