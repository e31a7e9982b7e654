/**
 * The arithmetic of the ledger (ADR 012), pure and in integer đồng.
 *
 * Who holds a payment decides what the platform owes the farmer for it:
 * - "platform" (VNPay, Stripe without Connect): it holds the whole amount and
 *   owes the farmer all but its fee;
 * - "farmer" (cash, VietQR to their own account): the farmer holds it all and
 *   owes the platform its fee, so what the platform owes goes down by the fee;
 * - "split" (Stripe Connect): Stripe pays the farmer and the platform their
 *   shares at source, so nobody owes anybody.
 * A refund moves the same way with the opposite sign, giving back the fee in
 * proportion to the amount refunded.
 */

export type Holder = "platform" | "farmer" | "split";

export const MAX_FEE_BPS = 10_000;

/** The platform's fee on an amount: basis points, rounded half up to the đồng. */
export function platformFee(amountDong: number, bps: number): number {
  if (!Number.isSafeInteger(amountDong) || amountDong < 0) throw new RangeError(`bad amount ${amountDong}`);
  if (!Number.isInteger(bps) || bps < 0 || bps > MAX_FEE_BPS) throw new RangeError(`bad fee ${bps} bps`);
  return Math.floor((amountDong * bps + MAX_FEE_BPS / 2) / MAX_FEE_BPS);
}

/** How much more the platform owes the farmer after a payment of `amountDong` carrying `feeDong`. */
export function owedChangeForPayment(holder: Holder, amountDong: number, feeDong: number): number {
  if (holder === "platform") return amountDong - feeDong;
  if (holder === "farmer") return -feeDong;
  return 0;
}

/**
 * The part of the fee a refund gives back: so that after any series of partial
 * refunds the fee given back is round(fee × refunded / amount), and a full
 * refund gives back the whole fee, whatever the rounding on the way.
 */
export function feeGivenBack(
  { amountDong, feeDong }: { amountDong: number; feeDong: number },
  refundedBefore: number,
  refundNow: number,
): number {
  if (amountDong === 0) return 0;
  const share = (refunded: number) => Math.floor((feeDong * refunded * 2 + amountDong) / (2 * amountDong));
  return share(refundedBefore + refundNow) - share(refundedBefore);
}
