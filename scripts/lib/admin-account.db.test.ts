import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { passwordProblem } from "~/auth/password-policy";
import { hashPassword, verifyPassword } from "~/auth/password.server";
import { db } from "~/utils/db.server";
import { users } from "#db/schema";
import { createUser } from "#tests/fixtures/factories";
import { createAdmin, DEFAULT_ADMIN_NAME, generatePassword } from "./admin-account";
import { CliError } from "./cli";

const account = async (phone: string) => (await db.select().from(users).where(eq(users.phone, phone)))[0];

describe("the first admin (npm run admin:create)", () => {
  it("generates long, unambiguous passwords the password policy accepts", () => {
    const passwords = Array.from({ length: 50 }, generatePassword);
    expect(new Set(passwords).size).toBe(50);
    for (const password of passwords) {
      expect(password).toMatch(/^[a-km-np-z2-9]{4}(-[a-km-np-z2-9]{4}){4}$/);
      expect(passwordProblem(password, "+84912000401")).toBeNull();
    }
  });

  it("creates an admin whose password is the one returned, with the phone counted as proven", async () => {
    const result = await createAdmin(db, { phone: "+84912000401" });
    expect(result.outcome).toBe("created");
    const row = await account("+84912000401");
    expect(row).toMatchObject({ role: "admin", fullName: DEFAULT_ADMIN_NAME });
    expect(row.phoneConfirmedAt).toBeInstanceOf(Date);
    expect(await verifyPassword((result as { password: string }).password, row.passwordHash)).toBe(true);
  });

  it("refuses a phone that has an account, changing nothing, unless asked to promote it", async () => {
    const farmer = await createUser(db, { role: "farmer", passwordHash: await hashPassword("ruong-lua-2026") });
    const refused = await createAdmin(db, { phone: farmer.phone }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CliError);
    expect((refused as Error).message).toMatch(/already has an account \(farmer\).*--promote/);
    expect(await account(farmer.phone)).toEqual(farmer);

    const promoted = await createAdmin(db, { phone: farmer.phone, promote: true, fullName: "Ignored" });
    expect(promoted).toEqual({ outcome: "promoted", userId: farmer.id, previousRole: "farmer", password: null });
    const row = await account(farmer.phone);
    expect(row).toMatchObject({ role: "admin", fullName: farmer.fullName, passwordHash: farmer.passwordHash });

    expect(await createAdmin(db, { phone: farmer.phone })).toEqual({ outcome: "already-admin", userId: farmer.id });
  });

  it("gives a promoted account without a password (made by an officer) a generated one", async () => {
    const handedOver = await createUser(db, { role: "farmer", passwordHash: null });
    const result = await createAdmin(db, { phone: handedOver.phone, promote: true });
    expect(result.outcome).toBe("promoted");
    const password = (result as { password: string }).password;
    expect(await verifyPassword(password, (await account(handedOver.phone)).passwordHash)).toBe(true);
  });
});
