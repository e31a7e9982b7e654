/**
 * Payment history and a little pending work in a few set-based statements,
 * for the payment jobs' EXPLAIN test (app/payments/core/job-plans.db.test.ts)
 * and scripts/bench/payment-jobs.ts. Never used by the app itself.
 *
 * Rows are consistent with what the app writes (ADR 012): an order paid by an
 * attempt has its share credited and payment_status "paid"; a refund moves the
 * share's refunded_dong, the attempt's status and the order's payment_status
 * together; a refund asked of the provider and not answered holds its amount
 * in refunding_dong. Ledger lines and timelines are left out: the jobs'
 * queries do not read them.
 */
import { sql, type SQL } from "drizzle-orm";
import type { Database } from "~/utils/db.server";

/**
 * What a payment jobs' tick walks past and must not read: settled history.
 * paid_*: an attempt that paid its order; refunded: an order cancelled after it
 * was paid, its money back; part_refunded: some of it back; expired: an online
 * payment abandoned, its order cancelled unpaid; double_refunded: an order paid
 * twice, the second payment refunded; cod_cancelled: a cash order cancelled
 * before delivery (no attempt); vietqr_cancelled: a VietQR order cancelled
 * before the transfer came, its attempt left pending for ever (a VietQR
 * attempt has no deadline and nothing closes it).
 */
export const HISTORY_KINDS = [
  "paid_online",
  "paid_cod",
  "paid_vietqr",
  "refunded",
  "part_refunded",
  "expired",
  "double_refunded",
  "cod_cancelled",
  "vietqr_cancelled",
] as const;

/**
 * What a tick acts on. asking: an online payment open for 20 minutes, its
 * deadline two hours ahead (a Stripe Checkout Session may stay open up to a
 * day; payments.reconcile asks the provider); due: one whose
 * deadline has passed (payments.expire-attempts asks, then expires it and
 * cancels its order); abandoned: an unpaid online order whose last attempt
 * expired; held_uncredited: a second payment for an order already paid, not
 * refunded yet; held_cancelled: an order cancelled after it was paid, its money
 * not refunded yet; held_cancelled_rest: the same after a third went back;
 * refund_stuck: a refund asked of the provider 30 minutes ago
 * and never booked; refund_refused: a cancelled order whose refund the provider
 * refused (left to a person: the jobs skip it); unconfirmed_paid: an order paid
 * online two days ago and never confirmed by its farmer
 * (orders.expire-unconfirmed cancels it and refunds it by its code).
 */
export const WORK_KINDS = [
  "asking",
  "due",
  "abandoned",
  "held_uncredited",
  "held_cancelled",
  "held_cancelled_rest",
  "refund_stuck",
  "refund_refused",
  "unconfirmed_paid",
] as const;

export type PaymentRowKind = (typeof HISTORY_KINDS)[number] | (typeof WORK_KINDS)[number];

/** Out of every 100 history rows (sums to 100): mostly paid, a tenth cancelled, a few refunds. */
const HISTORY_MIX: [kind: (typeof HISTORY_KINDS)[number], per100: number][] = [
  ["paid_online", 60],
  ["paid_cod", 12],
  ["paid_vietqr", 6],
  ["refunded", 6],
  ["part_refunded", 3],
  ["expired", 7],
  ["double_refunded", 2],
  ["cod_cancelled", 2],
  ["vietqr_cancelled", 2],
];

const STALLS = 10;

/**
 * `count` rows of settled history (about one attempt each; cod_cancelled has
 * none, double_refunded two), over the last year, in `STALLS` stalls of their
 * own. `batch` keeps codes and ids of several calls apart.
 */
export async function insertPaymentHistory(db: Database, { count, batch }: { count: number; batch: string }) {
  // Row g is of the kind whose slice of 0–99 holds g % 100.
  const bounds: string[] = [];
  let from = 0;
  for (const [kind, per100] of HISTORY_MIX) {
    bounds.push(`WHEN g % 100 < ${from + per100} THEN '${kind}'`);
    from += per100;
  }
  await insertPayments(db, {
    batch,
    plan: sql`SELECT g, CASE ${sql.raw(bounds.join(" "))} END AS kind,
                     now() - interval '2 days' - (g % 360) * interval '1 day' AS created
              FROM generate_series(1, ${count}::int) g`,
  });
}

/** `perKind` rows of each kind of work (WORK_KINDS), with times relative to now. */
export async function insertPaymentWork(db: Database, { perKind, batch }: { perKind: number; batch: string }) {
  const kinds = sql.raw(`ARRAY[${WORK_KINDS.map((k) => `'${k}'`).join(",")}]`);
  await insertPayments(db, {
    batch,
    plan: sql`SELECT g, (${kinds})[1 + (g - 1) / ${perKind}::int] AS kind,
                     CASE (${kinds})[1 + (g - 1) / ${perKind}::int]
                          WHEN 'asking' THEN now() - interval '20 minutes'
                          WHEN 'due' THEN now() - interval '20 minutes'
                          WHEN 'unconfirmed_paid' THEN now() - interval '2 days'
                          ELSE now() - interval '40 minutes' END AS created
              FROM generate_series(1, ${perKind * WORK_KINDS.length}::int) g`,
  });
}

async function insertPayments(db: Database, { batch, plan }: { batch: string; plan: ReturnType<typeof sql> }) {
  await db.execute(sql`
    INSERT INTO households (id, name, province_code, commune_code, onboarding_step)
    SELECT md5('h:' || ${batch} || ':' || s)::uuid, 'Hộ bán hàng ' || s, c.province_code, c.code, 'done'
    FROM generate_series(1, ${STALLS}::int) s, (SELECT code, province_code FROM communes ORDER BY code LIMIT 1) c`);
  await db.execute(sql`
    INSERT INTO stalls (id, household_id, slug, name, status, published_at)
    SELECT md5('s:' || ${batch} || ':' || s)::uuid, md5('h:' || ${batch} || ':' || s)::uuid,
           'bulk-pay-' || lower(${batch}) || '-' || s, 'Gian hàng ' || s, 'published', now()
    FROM generate_series(1, ${STALLS}::int) s`);

  // One row per order: its kind, amount, times and ids (ids from md5, so every statement below finds them).
  const table = sql.raw(`bulk_payment_plan_${batch.toLowerCase().replace(/[^a-z0-9]/g, "")}`);
  await db.execute(sql`DROP TABLE IF EXISTS ${table}`);
  await db.execute(sql`
    CREATE TABLE ${table} AS
    SELECT p.g, p.kind,
           CASE WHEN p.kind IN ('paid_cod', 'cod_cancelled') THEN 'cod'
                WHEN p.kind IN ('paid_vietqr', 'vietqr_cancelled') THEN 'vietqr'
                WHEN p.g % 2 = 0 THEN 'vnpay' ELSE 'stripe' END::payment_method AS method,
           45000 * (1 + p.g % 9)::bigint AS amount,
           15000 * (1 + p.g % 9)::bigint AS third,
           p.created,
           CASE WHEN p.kind IN ('asking', 'due', 'abandoned') THEN p.created
                WHEN p.kind IN ('held_uncredited', 'held_cancelled', 'held_cancelled_rest', 'refund_stuck', 'refund_refused')
                  THEN now() - interval '30 minutes'
                ELSE p.created + interval '1 day' END AS updated,
           md5('o:' || ${batch} || ':' || p.g)::uuid AS order_id,
           md5('a:' || ${batch} || ':' || p.g)::uuid AS attempt_id,
           md5('b:' || ${batch} || ':' || p.g)::uuid AS second_id,
           md5('c:' || ${batch} || ':' || (p.g / 10))::uuid AS checkout_id,
           md5('s:' || ${batch} || ':' || (1 + p.g % ${STALLS}::int))::uuid AS stall_id
    FROM (${plan}) p`);

  await db.execute(sql`
    INSERT INTO checkouts (id, code, created_at)
    SELECT checkout_id, 'BULK' || ${batch} || '-' || (min(g) / 10), min(created) FROM ${table} GROUP BY checkout_id`);

  await db.execute(sql`
    INSERT INTO orders (id, code, checkout_id, stall_id, buyer_name, buyer_phone, delivery_method, subtotal_dong,
                        delivery_fee_dong, total_dong, payment_method, payment_status, paid_at, status, cancel_reason,
                        created_at, updated_at)
    SELECT order_id, 'B' || ${batch} || '-' || g, checkout_id, stall_id, 'Khách', '+84912345678', 'pickup', amount, 0,
           amount, method,
           CASE WHEN kind IN ('expired', 'cod_cancelled', 'vietqr_cancelled', 'abandoned') THEN 'unpaid'
                WHEN kind IN ('asking', 'due') THEN 'pending'
                WHEN kind = 'refunded' THEN 'refunded'
                WHEN kind IN ('part_refunded', 'held_cancelled_rest') THEN 'partially_refunded'
                ELSE 'paid' END::order_payment_status,
           CASE WHEN kind NOT IN ('expired', 'cod_cancelled', 'vietqr_cancelled', 'abandoned', 'asking', 'due')
                THEN created END,
           CASE WHEN kind IN ('refunded', 'expired', 'cod_cancelled', 'vietqr_cancelled', 'held_cancelled',
                              'held_cancelled_rest', 'refund_refused')
                THEN 'cancelled'
                WHEN kind IN ('asking', 'due', 'abandoned', 'unconfirmed_paid') THEN 'placed'
                ELSE 'completed' END::order_status,
           CASE WHEN kind = 'expired' THEN 'system:payment_expired'
                WHEN kind = 'vietqr_cancelled' THEN 'system:not_confirmed'
                WHEN kind IN ('refunded', 'cod_cancelled', 'held_cancelled', 'held_cancelled_rest', 'refund_refused')
                  THEN 'Hết hàng' END,
           created, updated
    FROM ${table}`);

  // The attempt that paid (or tried to pay) each order; cash orders cancelled before delivery have none.
  await db.execute(sql`
    INSERT INTO payment_attempts (id, provider, checkout_id, status, amount_dong, refunded_dong, collected_by,
                                  provider_ref, transaction_ref, expires_at, succeeded_at, created_at, updated_at)
    SELECT attempt_id, method, checkout_id,
           CASE WHEN kind = 'refunded' THEN 'refunded'
                WHEN kind IN ('part_refunded', 'held_cancelled_rest') THEN 'partially_refunded'
                WHEN kind IN ('expired', 'abandoned') THEN 'expired'
                WHEN kind IN ('asking', 'due', 'vietqr_cancelled') THEN 'pending'
                ELSE 'succeeded' END::payment_attempt_status,
           amount,
           CASE WHEN kind = 'refunded' THEN amount WHEN kind IN ('part_refunded', 'held_cancelled_rest') THEN third ELSE 0 END,
           CASE WHEN method IN ('cod', 'vietqr') THEN 'farmer' ELSE 'platform' END::money_holder,
           CASE WHEN method IN ('vnpay', 'stripe') THEN 'bulk-' || ${batch} || '-' || g END,
           CASE WHEN method IN ('vnpay', 'stripe') AND kind NOT IN ('expired', 'abandoned', 'asking', 'due')
                THEN 'txn-' || ${batch} || '-' || g END,
           CASE WHEN method NOT IN ('vnpay', 'stripe') THEN NULL
                WHEN kind = 'asking' THEN now() + interval '2 hours'
                WHEN kind = 'due' THEN now() - interval '1 minute'
                ELSE created + interval '15 minutes' END,
           CASE WHEN kind NOT IN ('expired', 'abandoned', 'asking', 'due', 'vietqr_cancelled')
                THEN created + interval '2 minutes' END,
           created, updated
    FROM ${table} WHERE kind <> 'cod_cancelled'`);
  await db.execute(sql`
    INSERT INTO payment_attempt_orders (attempt_id, order_id, amount_dong, fee_dong, credited, refunded_dong, refunding_dong)
    SELECT attempt_id, order_id, amount, 0,
           CASE WHEN kind IN ('expired', 'abandoned', 'asking', 'due', 'vietqr_cancelled') THEN NULL ELSE true END,
           CASE WHEN kind = 'refunded' THEN amount WHEN kind IN ('part_refunded', 'held_cancelled_rest') THEN third ELSE 0 END,
           CASE WHEN kind = 'refund_stuck' THEN third ELSE 0 END
    FROM ${table} WHERE kind <> 'cod_cancelled'`);

  // A second payment for an order already paid: refunded (history) or still held (work).
  await db.execute(sql`
    INSERT INTO payment_attempts (id, provider, checkout_id, status, amount_dong, refunded_dong, collected_by,
                                  provider_ref, transaction_ref, expires_at, succeeded_at, created_at, updated_at)
    SELECT second_id, method, checkout_id,
           CASE WHEN kind = 'double_refunded' THEN 'refunded' ELSE 'succeeded' END::payment_attempt_status,
           amount, CASE WHEN kind = 'double_refunded' THEN amount ELSE 0 END, 'platform',
           'bulk-' || ${batch} || '-' || g || '-2', 'txn-' || ${batch} || '-' || g || '-2',
           created + interval '15 minutes', created + interval '5 minutes', created, updated
    FROM ${table} WHERE kind IN ('double_refunded', 'held_uncredited')`);
  await db.execute(sql`
    INSERT INTO payment_attempt_orders (attempt_id, order_id, amount_dong, fee_dong, credited, refunded_dong)
    SELECT second_id, order_id, amount, 0, false, CASE WHEN kind = 'double_refunded' THEN amount ELSE 0 END
    FROM ${table} WHERE kind IN ('double_refunded', 'held_uncredited')`);

  // Refunds: booked (history), asked and never answered (refund_stuck), refused (refund_refused).
  await db.execute(sql`
    INSERT INTO payment_refunds (attempt_id, n, idempotency_key, amount_dong, allocations, status, source, reason,
                                 refund_ref, created_at, completed_at)
    SELECT r.attempt, 1, 'refund:' || r.attempt || ':1', r.amount,
           jsonb_build_array(jsonb_build_object('orderId', order_id, 'amountDong', r.amount)),
           r.status::payment_refund_status, 'ours', 'Hết hàng',
           CASE WHEN r.status = 'succeeded' THEN 're-' || ${batch} || '-' || g END,
           CASE WHEN kind IN ('refund_stuck', 'refund_refused') THEN now() - interval '30 minutes' ELSE updated END,
           CASE WHEN r.status <> 'requested' THEN updated END
    FROM ${table},
         LATERAL (SELECT CASE WHEN kind = 'double_refunded' THEN second_id ELSE attempt_id END AS attempt,
                         CASE WHEN kind IN ('refunded', 'double_refunded') THEN amount ELSE third END AS amount,
                         CASE WHEN kind = 'refund_stuck' THEN 'requested'
                              WHEN kind = 'refund_refused' THEN 'failed' ELSE 'succeeded' END AS status) r
    WHERE kind IN ('refunded', 'part_refunded', 'held_cancelled_rest', 'double_refunded', 'refund_stuck', 'refund_refused')`);
  await db.execute(sql`DROP TABLE ${table}`);
}

/**
 * The held-money statement before ADR 033, one OR over two tables that no
 * index can serve: what refundHeldMoney's two branches (heldMoneyQuery) must
 * reproduce, and what the benchmark compares them with. `only`: the same
 * extra condition heldMoneyQuery adds (by code or by age), or nothing.
 */
export function heldMoneyBefore033(only: SQL = sql``): SQL {
  return sql`
    SELECT a.id AS "attemptId", o.id AS "orderId", o.code AS "orderCode", o.cancel_reason AS "cancelReason",
           a.provider AS "provider", pao.amount_dong - pao.refunded_dong AS "heldDong"
    FROM payment_attempt_orders pao
    JOIN payment_attempts a ON a.id = pao.attempt_id
    JOIN orders o ON o.id = pao.order_id
    WHERE a.provider IN ('vnpay', 'stripe')
      AND a.status IN ('succeeded', 'partially_refunded')
      AND pao.refunding_dong = 0
      AND pao.amount_dong > pao.refunded_dong
      AND (pao.credited = false OR o.status = 'cancelled')
      AND NOT EXISTS (SELECT 1 FROM payment_refunds r WHERE r.attempt_id = a.id AND r.status = 'failed')
      ${only}
    ORDER BY a.id, o.id
    LIMIT 100`;
}

/** heldMoneyBefore033's condition by age, as refundHeldMoney words it. */
export const olderThan = (cutoff: Date): SQL =>
  sql`AND a.updated_at <= ${cutoff.toISOString()}::timestamptz AND o.updated_at <= ${cutoff.toISOString()}::timestamptz`;
