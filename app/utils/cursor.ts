/**
 * Pieces of keyset cursors (opaque base64url JSON the pages hand back): the
 * checks that keep a tampered cursor from reaching a SQL cast and turning into
 * a 500.
 */

/**
 * Whether this is a timestamptz as the database writes it as text ("2026-06-01
 * 09:00:00.000001+07"), checked field by field: a tampered cursor must never
 * reach `::timestamptz` with a 13th month and turn into a 500.
 */
export function isTimestampText(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?[+-](\d{2})(?::(\d{2}))?(?::(\d{2}))?$/.exec(
    text,
  );
  if (!m) return false;
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes = 0, offsetSeconds = 0] = m
    .slice(1)
    .map((part) => (part === undefined ? undefined : Number(part)));
  const date = new Date(Date.UTC(year!, month! - 1, day!));
  return (
    year! >= 1970 &&
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month! - 1 &&
    date.getUTCDate() === day &&
    hour! < 24 &&
    minute! < 60 &&
    second! < 60 &&
    offsetHours! < 16 &&
    offsetMinutes < 60 &&
    offsetSeconds < 60
  );
}

/** Fits PostgreSQL's int4, so `::int` cannot overflow. */
export const isInt4Text = (text: string) => /^-?\d{1,10}$/.test(text) && Math.abs(Number(text)) <= 2_147_483_647;
