/**
 * Order and checkout codes: what a buyer reads out on the phone, types into
 * /orders/:orderCode and sees on a printed slip. Browser-safe (no server imports).
 *
 * 8 characters from 32 (digits and capitals without 0/O and 1/I): 32⁸ ≈ 1.1 × 10¹²
 * codes, drawn with crypto randomness, so a code is also hard to guess (the
 * order page can be opened by its code). 32 divides 256, so taking the low
 * 5 bits of each random byte has no bias. Uniqueness is the database's job
 * (unique index; the writer retries on a collision).
 */

export const CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
export const CODE_LENGTH = 8;

export function newCode(): string {
  const bytes = new Uint8Array(CODE_LENGTH);
  globalThis.crypto.getRandomValues(bytes);
  let code = "";
  for (const b of bytes) code += CODE_ALPHABET[b & 31];
  return code;
}

const VALID = new RegExp(`^[${CODE_ALPHABET}]{${CODE_LENGTH}}$`);

/**
 * What a person typed ("abcd-efgh", " ABCD EFGH ") → the stored form, or null
 * when it cannot be a code. O and I are read as 0/1 would be: they are never in
 * a code, so such input is simply not found (null), never another order.
 */
export function normalizeCode(input: string | null | undefined): string | null {
  const code = (input ?? "")
    .normalize("NFKC")
    .replace(/[\s\-.]/g, "")
    .toUpperCase();
  return VALID.test(code) ? code : null;
}

/** "ABCD2345" → "ABCD-2345", easier to read out. */
export function formatCode(code: string): string {
  return code.length === CODE_LENGTH ? `${code.slice(0, 4)}-${code.slice(4)}` : code;
}
