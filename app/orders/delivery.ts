/**
 * A stall's delivery options and their fees, from its settings (the wizard's
 * delivery step: stalls.pickup_* / local_delivery_* / shipping_*). Pure, so the
 * checkout page and placeCheckout compute the same fee.
 *
 * Fees (integer đồng), decided here:
 * - pickup: free.
 * - local delivery: the stall's flat fee per order, only to the communes it lists.
 * - shipping, flat: the stall's fee per order.
 * - shipping, per_kg: fee × the order's weight rounded up to whole kilograms,
 *   at least one. Only weight units (kg, lạng, yến, tạ, tấn) have a known
 *   weight; counted or packed items (quả, bó, thùng …) add nothing, so an order
 *   of only such items pays one kilogram's fee. A farmer who ships heavy
 *   cartons per kg should sell them by weight.
 */
import { UNITS } from "~/listings";
import type { DeliveryMethodCode } from "./state-machine";

export interface StallDeliverySettings {
  pickupEnabled: boolean;
  pickupAddress: string;
  pickupHours: string;
  localDeliveryEnabled: boolean;
  localDeliveryCommunes: readonly string[];
  localDeliveryFeeDong: number;
  shippingEnabled: boolean;
  shippingFeeMode: "flat" | "per_kg";
  shippingFeeDong: number;
}

export interface DeliveryOption {
  method: DeliveryMethodCode;
  feeDong: number;
  /** False for local delivery outside the stall's communes (or with no address yet). */
  available: boolean;
}

const KG_PER_UNIT = new Map<string, number | null>(UNITS.map((u) => [u.code, u.kgPerUnit]));

/** Kilograms of the items whose unit is a weight; the rest count 0. */
export function knownWeightKg(items: readonly { unit: string; qty: number }[]): number {
  return items.reduce((kg, i) => kg + (KG_PER_UNIT.get(i.unit) ?? 0) * i.qty, 0);
}

export function shippingFee(stall: StallDeliverySettings, items: readonly { unit: string; qty: number }[]): number {
  if (stall.shippingFeeMode === "flat") return stall.shippingFeeDong;
  // Rounded to the gram first, so 10 × 0.1 kg is 1 kg, not 1.0000000000000002.
  const kg = Math.ceil(Math.round(knownWeightKg(items) * 1000) / 1000);
  return stall.shippingFeeDong * Math.max(1, kg);
}

/** The options the stall offers, in display order, for these items and (when known) this commune. */
export function deliveryOptions(
  stall: StallDeliverySettings,
  items: readonly { unit: string; qty: number }[],
  communeCode?: string | null,
): DeliveryOption[] {
  const options: DeliveryOption[] = [];
  if (stall.pickupEnabled) options.push({ method: "pickup", feeDong: 0, available: true });
  if (stall.localDeliveryEnabled) {
    options.push({
      method: "local",
      feeDong: stall.localDeliveryFeeDong,
      available: !!communeCode && stall.localDeliveryCommunes.includes(communeCode),
    });
  }
  if (stall.shippingEnabled) options.push({ method: "shipping", feeDong: shippingFee(stall, items), available: true });
  return options;
}
