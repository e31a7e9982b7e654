CREATE INDEX "orders_cancelled_paid_idx" ON "orders" USING btree ("id") WHERE ("orders"."status" = 'cancelled' AND "orders"."payment_status" IN ('paid', 'partially_refunded')) IS TRUE;--> statement-breakpoint
CREATE INDEX "orders_unpaid_online_idx" ON "orders" USING btree ("created_at") WHERE "orders"."payment_status" = 'unpaid' AND "orders"."status" IN ('placed', 'confirmed') AND "orders"."payment_method" IN ('vnpay', 'stripe');--> statement-breakpoint
CREATE INDEX "payment_attempt_orders_uncredited_held_idx" ON "payment_attempt_orders" USING btree ("attempt_id") WHERE ("payment_attempt_orders"."credited" = false AND "payment_attempt_orders"."amount_dong" > "payment_attempt_orders"."refunded_dong") IS TRUE;--> statement-breakpoint
CREATE INDEX "payment_attempts_online_open_idx" ON "payment_attempts" USING btree ("created_at") WHERE "payment_attempts"."status" IN ('created', 'pending') AND "payment_attempts"."provider" IN ('vnpay', 'stripe') AND "payment_attempts"."provider_ref" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "payment_refunds_requested_idx" ON "payment_refunds" USING btree ("created_at") WHERE "payment_refunds"."status" = 'requested' AND "payment_refunds"."source" = 'ours';--> statement-breakpoint
-- Appended by hand (drizzle-kit does not know statistics objects), ADR 033. The planner estimates
-- "cancelled AND paid" or "not credited AND not all refunded" by multiplying the guesses for each
-- half, and finds a tenth of the table where there are a handful of rows; it would then join them by
-- reading whole tables. Each index's condition is one expression, `(…) IS TRUE`, in the index and in
-- heldMoneyQuery alike; the planner estimates IS TRUE from statistics on the expression inside, which
-- these let ANALYZE gather.
CREATE STATISTICS "orders_cancelled_paid_stats" ON (("status" = 'cancelled' AND "payment_status" IN ('paid', 'partially_refunded'))) FROM "orders";--> statement-breakpoint
CREATE STATISTICS "payment_attempt_orders_uncredited_held_stats" ON (("credited" = false AND "amount_dong" > "refunded_dong")) FROM "payment_attempt_orders";
