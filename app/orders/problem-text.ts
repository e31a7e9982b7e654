/**
 * One sentence for an item problem (errors.ts), the same on the cart and
 * checkout pages, server- or browser-side. Money goes through formatVnd in
 * the reader's language.
 */
import type { TFunction } from "i18next";
import type { ItemProblem } from "./errors";
import { formatVnd } from "~/utils/format";

export function problemText(t: TFunction, p: ItemProblem, lng: string): string {
  return t(`orders:${p.messageKey}`, {
    title: p.title,
    left: p.left,
    min: p.min,
    price: p.priceDong === undefined ? "" : formatVnd(p.priceDong, lng),
  });
}
