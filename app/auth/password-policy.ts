/**
 * What counts as an acceptable password. Plain .ts so the signup schema can
 * share it with the browser. Deliberately short: length, and refusing the
 * handful of passwords that guessers try first (NIST SP 800-63B style), not
 * composition rules that farmers on a phone keyboard would fight with.
 */
import { phoneDigitVariants } from "~/utils/phone";

export const PASSWORD_MIN_LENGTH = 8;
/** scrypt does not care, but a cap keeps silly multi-megabyte bodies out. */
export const PASSWORD_MAX_LENGTH = 128;

export type PasswordProblem = "too_short" | "too_long" | "common" | "phone";

// Lower-case; compared after lower-casing the candidate. Includes the Vietnamese
// favourites (matkhau = "password", anhyeuem/emyeuanh = "I love you").
// prettier-ignore
const COMMON = new Set([
  "12345678", "123456789", "1234567890", "0123456789", "87654321", "987654321",
  "11111111", "00000000", "88888888", "66666666", "99999999", "12341234", "12344321",
  "123123123", "11223344", "66668888", "68686868", "password", "password1", "password123",
  "passw0rd", "matkhau", "matkhau1", "matkhau123", "matkhau@123", "qwertyui", "qwerty123",
  "qwertyuiop", "1qaz2wsx", "abc12345", "abcd1234", "a1234567", "abc123456", "iloveyou",
  "anhyeuem", "emyeuanh", "asdfghjk", "zxcvbnm1", "admin123", "12345678a", "aa123456",
  "changeme", "welcome1", "vietnam1", "vietnam123",
]);

export function passwordProblem(password: string, phoneE164?: string | null): PasswordProblem | null {
  if ([...password].length < PASSWORD_MIN_LENGTH) return "too_short";
  if (password.length > PASSWORD_MAX_LENGTH) return "too_long";
  const lower = password.toLowerCase();
  if (COMMON.has(lower) || /^(.)\1*$/u.test(password)) return "common";
  if (phoneE164) {
    const compact = password.replace(/[\s.\-+()]/g, "");
    if (phoneDigitVariants(phoneE164).includes(compact)) return "phone";
  }
  return null;
}
