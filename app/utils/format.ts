/**
 * Money, numbers and dates through Intl. Money is integer đồng everywhere;
 * Vietnamese output uses the no-break space Intl puts before ₫ ("125.000 ₫").
 */
export const TIME_ZONE = "Asia/Ho_Chi_Minh";

const intlLocale = (lng: string) => (lng === "en" ? "en-GB" : "vi-VN");

/**
 * Intl formatters are costly to build (a stall page prints dozens of prices)
 * and immutable, so each one is made once per language and kept.
 */
function memo<F>(make: (lng: string) => F): (lng: string) => F {
  const made = new Map<string, F>();
  return (lng) => {
    let formatter = made.get(lng);
    if (!formatter) made.set(lng, (formatter = make(lng)));
    return formatter;
  };
}

const vndFormat = memo(
  (lng) => new Intl.NumberFormat(lng === "en" ? "en-US" : "vi-VN", { style: "currency", currency: "VND" }),
);
const numberFormat = memo((lng) => new Intl.NumberFormat(intlLocale(lng)));

export function formatVnd(dong: number, lng = "vi"): string {
  if (!Number.isSafeInteger(dong)) throw new TypeError(`money must be integer đồng, got ${dong}`);
  return vndFormat(lng === "en" ? "en" : "vi").format(dong);
}

export function formatNumber(value: number, lng = "vi"): string {
  return numberFormat(lng === "en" ? "en" : "vi").format(value);
}

/** dd/MM/yyyy in Vietnam's time zone, whatever the server's zone. */
export function formatDate(date: Date | string | number, lng = "vi"): string {
  return new Intl.DateTimeFormat(intlLocale(lng), {
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
    timeZone: TIME_ZONE,
  }).format(new Date(date));
}

/** HH:mm dd/MM/yyyy (24-hour) in Vietnam's time zone. */
export function formatDateTime(date: Date | string | number, lng = "vi"): string {
  const d = new Date(date);
  const time = new Intl.DateTimeFormat(intlLocale(lng), {
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone: TIME_ZONE,
  }).format(d);
  return `${time} ${formatDate(d, lng)}`;
}

const vietnamDate = new Intl.DateTimeFormat("en-CA", {
  timeZone: TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** Today's date in Vietnam, yyyy-mm-dd. */
export function todayInVietnam(now: Date = new Date()): string {
  const parts = Object.fromEntries(vietnamDate.formatToParts(now).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}
