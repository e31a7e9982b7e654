/**
 * Vietnamese text helpers shared by server and browser code.
 */

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
