-- Money is named in đồng (…_dong) like every other amount, and a payment
-- attempt is "cancelled" like an order. Renames in place: an instance of the
-- previous version cannot run against this schema, so all instances restart
-- together with this release (migrations run at start-up).
ALTER TABLE "stalls" RENAME COLUMN "local_delivery_fee_vnd" TO "local_delivery_fee_dong";--> statement-breakpoint
ALTER TABLE "stalls" RENAME COLUMN "shipping_fee_vnd" TO "shipping_fee_dong";--> statement-breakpoint
ALTER TYPE "public"."payment_attempt_status" RENAME VALUE 'canceled' TO 'cancelled';
