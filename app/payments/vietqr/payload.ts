/**
 * VietQR: the NAPAS 247 transfer QR code that every Vietnamese banking app
 * scans. The payload is EMVCo merchant-presented TLV text (a 2-digit tag, a
 * 2-digit length, the value) closed by a CRC, as NAPAS "Technical
 * Specifications on NAPAS QR Switching" v1.5.2 lays down. payload.test.ts holds
 * a worked example byte for byte and cross-checks with the vietnam-qr-pay package.
 *
 *   00 "01"                 payload format
 *   01 "12" | "11"          dynamic (an amount is set) | static
 *   38 …                    00 NAPAS GUID A000000727
 *                           01 [00 bank BIN, 01 account or card number]
 *                           02 QRIBFTTA (to an account) | QRIBFTTC (to a card)
 *   53 "704"                currency: VND
 *   54 "150000"             amount in whole đồng (optional)
 *   58 "VN"                 country
 *   62 [08 memo]            purpose of the transfer: our order code (optional)
 *   63 CRC                  CRC-16/CCITT-FALSE of everything before it, "6304" included
 *
 * Shared by the server and the browser: no Node APIs.
 */

export const NAPAS_GUID = "A000000727";

const SERVICE = { account: "QRIBFTTA", card: "QRIBFTTC" } as const;

export type VietQrKind = keyof typeof SERVICE;

/** EMVCo caps every sub-field of tag 62 at 25 characters. */
export const MEMO_MAX = 25;
/** EMVCo tag 54 holds at most 13 characters. */
const AMOUNT_MAX_DIGITS = 13;

export type VietQrErrorCode = "bin" | "account" | "card" | "amount" | "memo" | "memoTooLong" | "payload" | "checksum";

/** Why a payload can't be built or read. `key` is its message in the "payments" namespace. */
export class VietQrError extends Error {
  readonly code: VietQrErrorCode;
  readonly key: `errors.vietqr.${VietQrErrorCode}`;

  constructor(code: VietQrErrorCode, detail?: string) {
    super(detail ? `VietQR ${code}: ${detail}` : `VietQR ${code}`);
    this.name = "VietQrError";
    this.code = code;
    this.key = `errors.vietqr.${code}`;
  }
}

export type VietQrInput = {
  /** The receiving bank's 6-digit NAPAS BIN (see BANKS). */
  bin: string;
  /** Account number (6–19 letters or digits) or, for kind "card", card number (16–19 digits). */
  accountNumber: string;
  /** Whole đồng. Set: a dynamic QR for exactly this amount. Unset: a static QR, the payer types the amount. */
  amountDong?: number | null;
  /** Transfer memo, e.g. the order code; diacritics are removed, then only A–Z, a–z, 0–9 and spaces may remain. */
  memo?: string | null;
  kind?: VietQrKind;
};

export type ParsedVietQr = {
  bin: string;
  accountNumber: string;
  kind: VietQrKind;
  /** True for a one-off ("12") code, false for a reusable ("11") one. */
  dynamic: boolean;
  amountDong: number | null;
  memo: string | null;
};

/**
 * Vietnamese (and other Latin) letters without their marks, case kept. NFKD
 * splits tones and vowel marks off their letters and turns full-width forms
 * into ASCII; đ/Đ are letters of their own and need mapping by hand.
 */
function stripDiacritics(s: string): string {
  return s
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D");
}

/**
 * The memo as it will travel: diacritics removed and whitespace collapsed, as
 * bank apps do with transfer text. "Đơn  hàng 12" → "Don hang 12". Does not
 * check what is left; buildVietQr does.
 */
export function vietQrMemo(raw: string): string {
  return stripDiacritics(raw).replace(/\s+/g, " ").trim();
}

/**
 * An account holder's name as banks print it and as NAPAS returns it on a name
 * lookup: "Nguyễn Thị Đào " → "NGUYEN THI DAO". Anything but A–Z and 0–9
 * separates words.
 */
export function accountHolderName(raw: string): string {
  return stripDiacritics(raw)
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, " ")
    .trim();
}

/** CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final XOR) of the UTF-8 bytes, as 4 uppercase hex digits. */
export function crc16ccitt(s: string): string {
  let crc = 0xffff;
  for (const byte of new TextEncoder().encode(s)) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    }
  }
  return crc.toString(16).toUpperCase().padStart(4, "0");
}

function tlv(tag: string, value: string): string {
  // Only reachable through a bug here: every input is length-checked first.
  if (value.length > 99) throw new VietQrError("payload", `tag ${tag} is longer than 99`);
  return tag + String(value.length).padStart(2, "0") + value;
}

/** The VietQR payload for a transfer to `accountNumber` at bank `bin`. Throws VietQrError on invalid input. */
export function buildVietQr(input: VietQrInput): string {
  const kind = input.kind ?? "account";
  // The BIN's format is all the payload needs; which banks a seller may pick
  // is the settings form's rule (BANKS), and a bank leaving that list must not
  // break the codes of sellers who already chose it.
  if (!/^\d{6}$/.test(input.bin)) throw new VietQrError("bin", input.bin);
  if (kind === "card") {
    if (!/^\d{16,19}$/.test(input.accountNumber)) throw new VietQrError("card");
  } else if (!/^[A-Za-z0-9]{6,19}$/.test(input.accountNumber)) {
    throw new VietQrError("account");
  }

  const amount = input.amountDong ?? null;
  if (amount !== null) {
    if (!Number.isSafeInteger(amount) || amount <= 0 || String(amount).length > AMOUNT_MAX_DIGITS) {
      throw new VietQrError("amount", String(amount));
    }
  }

  const memo = input.memo == null ? "" : vietQrMemo(input.memo);
  if (!/^[A-Za-z0-9 ]*$/.test(memo)) throw new VietQrError("memo");
  if (memo.length > MEMO_MAX) throw new VietQrError("memoTooLong");

  const beneficiary = tlv("00", input.bin) + tlv("01", input.accountNumber);
  const merchant = tlv("00", NAPAS_GUID) + tlv("01", beneficiary) + tlv("02", SERVICE[kind]);
  const body =
    tlv("00", "01") +
    tlv("01", amount === null ? "11" : "12") +
    tlv("38", merchant) +
    tlv("53", "704") +
    (amount === null ? "" : tlv("54", String(amount))) +
    tlv("58", "VN") +
    (memo ? tlv("62", tlv("08", memo)) : "") +
    "6304";
  return body + crc16ccitt(body);
}

/** Tag → value of one TLV level; throws on a broken structure or a repeated tag. */
function readTlv(s: string): Map<string, string> {
  const fields = new Map<string, string>();
  let i = 0;
  while (i < s.length) {
    const head = s.slice(i, i + 4);
    if (!/^\d{4}$/.test(head)) throw new VietQrError("payload", `bad field header at ${i}`);
    const tag = head.slice(0, 2);
    const length = Number(head.slice(2));
    const value = s.slice(i + 4, i + 4 + length);
    if (value.length !== length) throw new VietQrError("payload", `tag ${tag} runs past the end`);
    if (fields.has(tag)) throw new VietQrError("payload", `tag ${tag} repeated`);
    fields.set(tag, value);
    i += 4 + length;
  }
  return fields;
}

/**
 * Reads a VietQR payload back: checks the CRC (either case: some bank apps
 * print it lower-case) and the structure, and returns the transfer it asks for.
 * Throws VietQrError "checksum" or "payload".
 */
export function parseVietQr(payload: string): ParsedVietQr {
  const crcAt = payload.length - 8;
  if (crcAt < 0 || !/^6304[0-9A-Fa-f]{4}$/.test(payload.slice(crcAt))) {
    throw new VietQrError("payload", "no CRC field at the end");
  }
  if (crc16ccitt(payload.slice(0, crcAt + 4)) !== payload.slice(crcAt + 4).toUpperCase()) {
    throw new VietQrError("checksum");
  }

  const top = readTlv(payload.slice(0, crcAt));
  if (top.get("00") !== "01") throw new VietQrError("payload", "unknown payload format");
  const method = top.get("01");
  if (method !== undefined && method !== "11" && method !== "12") {
    throw new VietQrError("payload", "unknown initiation method");
  }
  const currency = top.get("53");
  if (currency !== undefined && currency !== "704") throw new VietQrError("payload", "not in VND");

  const merchant = readTlv(top.get("38") ?? "");
  if (merchant.get("00") !== NAPAS_GUID) throw new VietQrError("payload", "not a NAPAS (VietQR) code");
  const service = merchant.get("02");
  const kind = service === SERVICE.card ? "card" : service === SERVICE.account ? "account" : null;
  if (!kind) throw new VietQrError("payload", "unknown service");
  const beneficiary = readTlv(merchant.get("01") ?? "");
  const bin = beneficiary.get("00") ?? "";
  const accountNumber = beneficiary.get("01") ?? "";
  if (!/^\d{6}$/.test(bin)) throw new VietQrError("payload", "bad BIN");
  if (!accountNumber) throw new VietQrError("payload", "no account number");

  const amountText = top.get("54");
  let amountDong: number | null = null;
  if (amountText !== undefined) {
    amountDong = /^\d{1,13}$/.test(amountText) ? Number(amountText) : NaN;
    if (!(amountDong > 0)) throw new VietQrError("payload", "bad amount");
  }

  const extra = top.has("62") ? readTlv(top.get("62")!) : new Map<string, string>();

  return {
    bin,
    accountNumber,
    kind,
    dynamic: method === "12",
    amountDong,
    memo: extra.get("08") || null,
  };
}
