/**
 * The first admin of a real deployment (`npm run admin:create`, ADR 018):
 * an admin account for a phone, with a strong random password that the
 * script prints once. A phone that already has an account is refused, unless
 * `promote` is given: then that account becomes an admin and keeps its own
 * password (an account without one, made by an officer before hand-over, gets
 * a generated one).
 */
import { randomInt } from "node:crypto";
import { eq } from "drizzle-orm";
import { hashPassword } from "../../app/auth/password.server";
import { formatPhone } from "../../app/utils/phone";
import type { Database } from "#db/client";
import { users, type Role } from "#db/schema";
import { CliError } from "./cli";

export const DEFAULT_ADMIN_NAME = "Quản trị viên";

// Lower-case letters and digits (easy on a phone keyboard), without l, o, 0, 1 (easy to misread).
const ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";

/** 20 characters of 32 (100 bits) in groups of four: "k7vm-3qxp-…". */
export function generatePassword(): string {
  const groups = Array.from({ length: 5 }, () =>
    Array.from({ length: 4 }, () => ALPHABET[randomInt(ALPHABET.length)]).join(""),
  );
  return groups.join("-");
}

export type AdminOutcome =
  | { outcome: "created"; userId: string; password: string }
  | { outcome: "promoted"; userId: string; previousRole: Role; password: string | null }
  | { outcome: "already-admin"; userId: string };

export interface AdminRequest {
  /** E.164, from parseVietnameseMobile. */
  phone: string;
  fullName?: string;
  promote?: boolean;
}

export async function createAdmin(
  db: Database,
  { phone, fullName, promote = false }: AdminRequest,
): Promise<AdminOutcome> {
  const now = new Date();
  const [existing] = await db
    .select({ id: users.id, role: users.role, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.phone, phone));
  if (existing) {
    if (existing.role === "admin") return { outcome: "already-admin", userId: existing.id };
    if (!promote)
      throw new CliError(
        `${formatPhone(phone)} already has an account (${existing.role}), so nothing was changed: ` +
          `add --promote to make that account an admin (it keeps its own password).`,
      );
    const password = existing.passwordHash ? null : generatePassword();
    await db
      .update(users)
      .set({
        role: "admin",
        ...(password ? { passwordHash: await hashPassword(password) } : {}),
        // The person running the script vouches for the number.
        phoneConfirmedAt: now,
      })
      .where(eq(users.id, existing.id));
    return { outcome: "promoted", userId: existing.id, previousRole: existing.role, password };
  }
  const password = generatePassword();
  const [created] = await db
    .insert(users)
    .values({
      phone,
      fullName: fullName ?? DEFAULT_ADMIN_NAME,
      role: "admin",
      passwordHash: await hashPassword(password),
      phoneConfirmedAt: now,
    })
    .onConflictDoNothing()
    .returning({ id: users.id });
  if (!created)
    throw new CliError(`${formatPhone(phone)} got an account just now from elsewhere: run the command again.`);
  return { outcome: "created", userId: created.id, password };
}
