/**
 * Money, numbers and dates through Intl. Money is integer đồng everywhere;
 * Vietnamese output uses the no-break space Intl puts before ₫ ("125.000 ₫").
 */
export const TIME_ZONE = "Asia/Ho_Chi_Minh";

const intlLocale = (lng: string) => (lng === "en" ? "en-GB" : "vi-VN");

export function formatVnd(dong: number, lng = "vi"): string {
  if (!Number.isSafeInteger(dong)) throw new TypeError(`money must be integer đồng, got ${dong}`);
  return new Intl.NumberFormat(lng === "en" ? "en-US" : "vi-VN", { style: "currency", currency: "VND" }).format(dong);
}

export function formatNumber(value: number, lng = "vi"): string {
  return new Intl.NumberFormat(intlLocale(lng)).format(value);
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
