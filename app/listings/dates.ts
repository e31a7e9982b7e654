/**
 * Calendar dates of listings (harvest window, certificate validity) are plain
 * "yyyy-mm-dd" strings in Vietnam's calendar: a certificate valid until
 * 2026-06-30 is valid through 23:59 of that day in Hà Nội, whatever the
 * server's time zone. Browser-safe.
 */
import { todayInVietnam } from "~/utils/format";

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date written yyyy-mm-dd (as <input type="date"> sends it), years 2000–2100. */
export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 2000 || year > 2100) return false;
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

export { todayInVietnam };

/**
 * Whether a certificate counts on `today` (yyyy-mm-dd, Vietnam): from its first
 * day (when known) through its last day, both included. ISO dates compare as strings.
 */
export function isCertificationValid(
  cert: { validUntil: string; validFrom?: string | null },
  today: string = todayInVietnam(),
): boolean {
  if (cert.validUntil < today) return false;
  return !cert.validFrom || cert.validFrom <= today;
}
