/**
 * Text files people upload (a bank statement, a commune's roster): bytes →
 * NFC text, whatever Vietnamese Windows or Excel wrote, and RFC 4180 rows.
 *
 * - UTF-8 with or without BOM; UTF-16 with BOM (Excel's "Unicode text");
 *   otherwise Windows-1258 (Vietnamese Windows exports; it reads Windows-1252
 *   English exports the same way). Windows-1258 writes tones as combining
 *   marks: NFC makes them the letters typed elsewhere.
 * - Spreadsheets (ZIP: .xlsx/.ods; OLE2: .xls) and binary files (photos,
 *   PDFs) are told apart from text, so the caller can say what to do.
 * - The old Vietnamese font encodings TCVN3 (ABC, the ".Vn" fonts) and VNI
 *   put Vietnamese letters on the bytes Windows uses for Latin-1 letters and
 *   symbols: such a file is valid Windows-1258 (and, once Excel re-saved it,
 *   valid UTF-8 too) but reads as "NguyÔn V¨n" or "Nguyeãn Vaên".
 *   `legacyVietnameseScore` recognises what those look like, and the file is
 *   refused with "save it as Unicode" rather than imported as gibberish.
 *   (ADR 028 says why we refuse rather than convert.)
 */

export type TextEncoding = "utf-8" | "utf-16le" | "utf-16be" | "windows-1258";

export type TextFileProblem =
  /** An empty file. */
  | "empty"
  /** Over the caller's byte limit. */
  | "too_large"
  /** A ZIP container: .xlsx, .ods (or a .docx). */
  | "zip"
  /** An OLE2 container: the old Excel .xls (or .doc). */
  | "ole2"
  /** Not text (a photo, a PDF, …). */
  | "not_text"
  /** Text in TCVN3 (ABC) or VNI: Vietnamese written with the old font encodings. */
  | "legacy_encoding";

export type DecodedText = { ok: true; text: string; encoding: TextEncoding } | { ok: false; problem: TextFileProblem };

/** The container a file's first bytes announce, if any. */
export function containerOf(bytes: Uint8Array): "zip" | "ole2" | null {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0x50, 0x4b, 0x03, 0x04)) return "zip";
  if (starts(0xd0, 0xcf, 0x11, 0xe0)) return "ole2";
  return null;
}

/** Bytes → NFC text, or why they are not text we can read. */
export function decodeTextFile(bytes: Uint8Array, { maxBytes }: { maxBytes: number }): DecodedText {
  if (bytes.length === 0) return { ok: false, problem: "empty" };
  if (bytes.length > maxBytes) return { ok: false, problem: "too_large" };
  const container = containerOf(bytes);
  if (container) return { ok: false, problem: container };
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);

  let text: string;
  let encoding: TextEncoding;
  if (starts(0xff, 0xfe)) {
    [text, encoding] = [new TextDecoder("utf-16le").decode(bytes.subarray(2)), "utf-16le"];
  } else if (starts(0xfe, 0xff)) {
    [text, encoding] = [new TextDecoder("utf-16be").decode(bytes.subarray(2)), "utf-16be"];
  } else {
    const body = starts(0xef, 0xbb, 0xbf) ? bytes.subarray(3) : bytes;
    try {
      [text, encoding] = [new TextDecoder("utf-8", { fatal: true }).decode(body), "utf-8"];
    } catch {
      [text, encoding] = [new TextDecoder("windows-1258").decode(body), "windows-1258"];
    }
  }
  // Text files have no NUL and few control characters; a photo or a PDF has plenty.
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this counts
  const controls = text.match(/[\u0000-\u0008\u000e-\u001f\u007f]/g)?.length ?? 0;
  if (text.includes("\u0000") || controls > text.length / 100) return { ok: false, problem: "not_text" };
  text = text.normalize("NFC");
  if (looksLikeLegacyVietnamese(text)) return { ok: false, problem: "legacy_encoding" };
  return { ok: true, text, encoding };
}

// ---------------------------------------------------------------- TCVN3 / VNI

const TONES = new Set(["\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]);
/** Circumflex, breve, horn: on which base letters Vietnamese puts them. */
const HATS: Record<string, string> = { "\u0302": "aeo", "\u0306": "a", "\u031b": "ou" };

/** The Vietnamese letter a character is, as [base with its hat, has a tone]; null if it is no Vietnamese letter. */
function vietnameseLetter(ch: string): { hatted: string; toned: boolean } | null {
  if (ch === "đ" || ch === "Đ") return { hatted: "đ", toned: false };
  const [base, ...marks] = ch.normalize("NFD");
  const lower = base.toLowerCase();
  if (!/^[a-z]$/.test(lower)) return null;
  let hat = "";
  let toned = false;
  for (const mark of marks) {
    if (TONES.has(mark) && !toned && "aeiouy".includes(lower)) toned = true;
    else if (HATS[mark]?.includes(lower) && hat === "") hat = mark;
    else return null;
  }
  return { hatted: (lower + hat).normalize("NFC"), toned };
}

/** Vowel pairs where the second letter wears a hat: the ones Vietnamese writes (tuân, muôn, thuở, tiên, yên, xoăn, thuê). */
const HATTED_AFTER: Record<string, string> = { u: "âôơêư", i: "ê", y: "ê", o: "ă" };

/**
 * How many characters of `text` only make sense as TCVN3 or VNI bytes read
 * as Windows-1258 (or Latin-1): letters no Vietnamese word has (ø, ï, ö, ñ,
 * ß, ü…), Latin-1 symbols inside a word ("V¨n", "Hµ", "Th«n": TCVN3's
 * letters), a toned capital inside a lower-case word ("NguyÔn"), and VNI's
 * vowel-then-mark pairs that Vietnamese never writes ("Vaên", "Nguyeãn",
 * "Haø", "coâng"). Ordinary Vietnamese and English text scores 0 or close.
 */
export function legacyVietnameseScore(text: string): { suspicious: number; nonAscii: number } {
  let suspicious = 0;
  let nonAscii = 0;
  const chars = [...text];
  const isLetter = (c: string | undefined) => c !== undefined && /\p{L}/u.test(c);
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (ch.charCodeAt(0) < 0x80) continue;
    nonAscii++;
    const prev = chars[i - 1];
    const code = ch.codePointAt(0)!;
    // Latin-1 symbols (¡ … ¿, and the diaeresis/acute/cedilla spacing marks) glued to a letter.
    if (code >= 0xa1 && code <= 0xbf && !/\p{L}/u.test(ch)) {
      if (isLetter(prev) || isLetter(chars[i + 1])) suspicious++;
      continue;
    }
    if (/\p{M}/u.test(ch)) {
      suspicious++; // a mark NFC could not put on its letter
      continue;
    }
    if (!/\p{L}/u.test(ch)) continue;
    const letter = vietnameseLetter(ch);
    if (!letter) {
      if (code < 0x250) suspicious++; // Latin-1/Extended letters: ø ï ö ñ ß ü ë å µ ª º …
      continue;
    }
    if (prev && ch !== ch.toLowerCase() && prev !== prev.toUpperCase() && isLetter(prev)) {
      suspicious++; // "NguyÔn": TCVN3's ễ read as Ô
      continue;
    }
    const p = prev?.toLowerCase();
    if (p && "aeiouy".includes(p)) {
      const hatted = letter.hatted;
      const hatWorn = hatted.length === 1 && hatted !== "đ" && !/^[a-z]$/.test(hatted);
      // VNI writes a base vowel and then its marks as a second "letter".
      if ((p === "a" || p === "e") && (letter.toned || hatWorn)) suspicious++;
      else if (hatWorn && !(HATTED_AFTER[p] ?? "").includes(hatted)) suspicious++;
    }
  }
  return { suspicious, nonAscii };
}

/** A few odd characters happen (a "°C", a German name); TCVN3/VNI text is odd all over. */
export function looksLikeLegacyVietnamese(text: string): boolean {
  const { suspicious, nonAscii } = legacyVietnameseScore(text);
  return suspicious >= 3 && suspicious >= nonAscii * 0.15;
}

// ---------------------------------------------------------------- text → rows

/** RFC 4180 rows: quoted fields may hold the separator, quotes ("") and line breaks; CRLF, LF or CR end a row. */
export function parseCsv(text: string, separator: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let i = 0;
  const endField = () => {
    row.push(field);
    field = "";
  };
  const endRow = () => {
    endField();
    rows.push(row);
    row = [];
  };
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        field += c;
      }
      i += 1;
      continue;
    }
    if (c === '"' && field.trim() === "") {
      field = "";
      quoted = true;
    } else if (c === separator) {
      endField();
    } else if (c === "\r" || c === "\n") {
      endRow();
      if (c === "\r" && text[i + 1] === "\n") i += 1;
    } else {
      field += c;
    }
    i += 1;
  }
  if (field !== "" || row.length > 0) endRow();
  return rows;
}

/** The separators people's CSV files use, in the order they are tried. */
export const CSV_SEPARATORS = [",", ";", "\t"] as const;
