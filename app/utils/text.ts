/**
 * Vietnamese text helpers shared by server and browser code.
 */

/**
 * One line of typed text as we keep it: composed (NFC, so "Vải" typed with a
 * decomposing keyboard is the same word), runs of whitespace (newlines, tabs,
 * no-break spaces) made one space, trimmed. Names, titles, reasons, queries.
 * A missing value is "".
 */
export function oneLine(value: string | null | undefined): string {
  return (value ?? "").normalize("NFC").replace(/\s+/g, " ").trim();
}

/**
 * Several lines of typed text (descriptions, notes): composed (NFC), line
 * breaks made "\n" whatever the browser sent, trimmed; spaces within kept.
 * A missing value is "".
 */
export function multiLine(value: string | null | undefined): string {
  return (value ?? "").normalize("NFC").replace(/\r\n?/g, "\n").trim();
}

/**
 * The diacritic-free, lowercase form used to compare Vietnamese text the way
 * people type it without a Vietnamese keyboard ("vai thieu" ≈ "Vải thiều").
 * NFD splits tones and vowel marks off their letters, but đ/Đ are letters of
 * their own and need mapping by hand.
 */
export function foldVietnamese(s: string): string {
  return s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .toLowerCase();
}
