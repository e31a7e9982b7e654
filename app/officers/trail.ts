/**
 * The audit trail in plain words (issue 16 item 5): one entry of audit_log
 * (app/officers/audit.server.ts) becomes sentences a farmer reads on the
 * dashboard and an admin at /admin/audit, e.g.
 * "Cán bộ Phạm Thị Ngọc đã sửa giá «Vải thiều»: 50.000 ₫ → 60.000 ₫".
 *
 * Browser-safe. The caller's `t` must reach the namespaces "acting",
 * "listings", "orders" and "seller" (keys here name their namespace).
 * Money goes through formatVnd; status values through the listing, order and
 * stall status translations. A bank account is never shown, only that it
 * changed (the trail keeps its last three digits; the farmer needs no more).
 */
import type { TFunction } from "i18next";
import { formatVnd, TIME_ZONE } from "~/utils/format";

/** What the formatter needs of an audit_log row (dates may arrive as strings from a loader). */
export interface TrailEntry {
  entity: string;
  action: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  label: string;
  actorName: string;
  actorRole: string;
}

/** Fields with a name of their own, per entity (the rest: the generic "đã sửa {{field}}"). */
export const NAMED_FIELDS = {
  listings: [
    "title",
    "price_dong",
    "status",
    "stock_qty",
    "description",
    "unit",
    "category",
    "min_order_qty",
    "available_from",
    "available_until",
    "preorder",
    "made_to_order",
  ],
  stalls: [
    "name",
    "description",
    "status",
    "pickup_address",
    "pickup_hours",
    "local_delivery_fee_dong",
    "shipping_fee_dong",
    "local_delivery_communes",
  ],
  households: ["name", "address_line", "commune_code", "kind", "phone"],
  orders: ["status", "payment_status", "cancel_reason"],
} as const;

/** The stall's on/off settings: "đã bật / đã tắt …". */
const TOGGLES = [
  "cod_enabled",
  "vietqr_enabled",
  "vnpay_enabled",
  "stripe_enabled",
  "pickup_enabled",
  "local_delivery_enabled",
  "shipping_enabled",
  "feeds_private",
] as const;

/** Where the money goes: one sentence, never the number. */
const BANK = new Set(["bank_bin", "bank_account_number", "bank_account_name"]);

/** Said with the field's name only: long texts, codes, the masked phone. */
const WITHOUT_VALUES = new Set(["description", "commune_code", "phone", "local_delivery_communes", "cancel_reason"]);

/** Bookkeeping a farmer has nothing to read in (implied by another field, or internal). */
const SILENT = new Set([
  "id",
  "slug",
  "position",
  "stall_id",
  "household_id",
  "owner_user_id",
  "created_by_user_id",
  "province_code",
  "published_at",
  "paid_at",
  "handed_over_at",
  "onboarding_step",
  "banner_media_id",
  "stripe_account_id",
  "stripe_charges_enabled",
  "shipping_fee_mode",
]);

const MAX_VALUE = 60;

function plain(value: unknown): string | null {
  if (value === null || value === undefined || value === "") return null;
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

/** One value as a farmer reads it. */
function valueText(t: TFunction, entity: string, field: string, value: unknown, lng: string): string {
  if (value === null || value === undefined || value === "") return t("acting:trail.emptyValue");
  if (field.endsWith("_dong") && typeof value === "number" && Number.isSafeInteger(value)) return formatVnd(value, lng);
  if (typeof value === "boolean") return t(value ? "acting:trail.yes" : "acting:trail.no");
  const text = String(value);
  if (field === "status") {
    if (entity === "listings") return t(`listings:statuses.${text}`, { defaultValue: text });
    if (entity === "orders") return t(`orders:statuses.${text}`, { defaultValue: text });
    if (entity === "stalls") return t(`seller:dashboard.status.${text}`, { defaultValue: text });
  }
  if (field === "payment_status") return t(`acting:trail.paymentStatus.${text}`, { defaultValue: text });
  if (field === "unit") return t(`listings:units.${text}`, { defaultValue: text });
  if (field === "category") return t(`listings:categories.${text}`, { defaultValue: text });
  if (field === "access") return t(`acting:access.levels.${text}`, { defaultValue: text });
  if (field === "kind") return t(`acting:trail.kinds.${text}`, { defaultValue: text });
  return plain(value) ?? t("acting:trail.emptyValue");
}

function fieldName(t: TFunction, entity: string, field: string): string {
  const named = (NAMED_FIELDS as Record<string, readonly string[]>)[entity];
  if (named?.includes(field)) return t(`acting:trail.fields.${entity}.${field}`);
  return field.replace(/_/g, " ");
}

/** "Cán bộ Phạm Thị Ngọc", or the farmer's own name for their own changes. */
export function actorText(t: TFunction, entry: Pick<TrailEntry, "actorName" | "actorRole">): string {
  return entry.actorRole === "officer"
    ? t("acting:trail.actor.officer", { name: entry.actorName })
    : t("acting:trail.actor.other", { name: entry.actorName });
}

const ENTITIES_WITH_SENTENCES = new Set([
  "households",
  "stalls",
  "listings",
  "listing_photos",
  "listing_certifications",
  "orders",
  "household_delegations",
]);

/** The entry in plain words: one sentence per change it records (at least one). */
export function describeAuditEntry(t: TFunction, entry: TrailEntry, lng = "vi"): string[] {
  const actor = actorText(t, entry);
  const label = entry.label || t("acting:trail.unnamed");
  const entity = ENTITIES_WITH_SENTENCES.has(entry.entity) ? entry.entity : "other";
  const base = { actor, label, interpolation: { escapeValue: false } };

  if (entry.action === "insert") return [t(`acting:trail.insert.${entity}`, base)];
  if (entry.action === "delete") return [t(`acting:trail.delete.${entity}`, base)];
  // Photos and certificates: what changed in them is of no use to a farmer, that they changed is.
  if (entity === "listing_photos" || entity === "listing_certifications" || entity === "other") {
    return [t(`acting:trail.update.${entity}`, base)];
  }

  const before = entry.before ?? {};
  const after = entry.after ?? {};
  if (entity === "household_delegations") {
    const to = valueText(t, entity, "access", after.access, lng);
    if (before.lapsed === true) return [t("acting:trail.regranted", { ...base, to })];
    return [t("acting:trail.access", { ...base, from: valueText(t, entity, "access", before.access, lng), to })];
  }
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  const sentences: string[] = [];
  let bankSaid = false;
  for (const field of fields) {
    if (SILENT.has(field)) continue;
    if (entity === "stalls" && BANK.has(field)) {
      if (!bankSaid) sentences.push(t("acting:trail.bank", base));
      bankSaid = true;
      continue;
    }
    if (entity === "stalls" && (TOGGLES as readonly string[]).includes(field)) {
      const on = after[field] === true;
      sentences.push(
        t(on ? "acting:trail.toggleOn" : "acting:trail.toggleOff", {
          ...base,
          what: t(`acting:trail.toggles.${field as (typeof TOGGLES)[number]}`),
        }),
      );
      continue;
    }
    const name = fieldName(t, entity, field);
    if (WITHOUT_VALUES.has(field)) {
      sentences.push(t("acting:trail.changed", { ...base, field: name }));
      continue;
    }
    sentences.push(
      t("acting:trail.changedFromTo", {
        ...base,
        field: name,
        from: valueText(t, entity, field, before[field], lng),
        to: valueText(t, entity, field, after[field], lng),
      }),
    );
  }
  return sentences.length ? sentences : [t("acting:trail.update.other", base)];
}

const timeParts = new Intl.DateTimeFormat("en-GB", {
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
  timeZone: TIME_ZONE,
});

/** "07/12 10:30" in Vietnam's time ("07/12/2025 10:30" when not this year). */
export function trailTime(at: Date | string, now: Date = new Date()): string {
  const parts = (d: Date) => Object.fromEntries(timeParts.formatToParts(d).map((p) => [p.type, p.value]));
  const p = parts(new Date(at));
  const sameYear = parts(now).year === p.year;
  return `${p.day}/${p.month}${sameYear ? "" : `/${p.year}`} ${p.hour}:${p.minute}`;
}
