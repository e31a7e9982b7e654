ALTER TABLE "checkouts" ADD COLUMN "site_url" text;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "buyer_phone_confirmed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "payment_attempts" ADD COLUMN "redirect_url" text;--> statement-breakpoint
CREATE INDEX "orders_waiting_phone_idx" ON "orders" USING btree ("buyer_phone","created_at") WHERE "orders"."status" = 'placed';