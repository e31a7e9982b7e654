CREATE TYPE "public"."ledger_entry_kind" AS ENUM('buyer_paid', 'platform_fee', 'owed_to_farmer', 'refund', 'paid_out');--> statement-breakpoint
CREATE TYPE "public"."money_holder" AS ENUM('platform', 'farmer');--> statement-breakpoint
CREATE TYPE "public"."order_payment_status" AS ENUM('unpaid', 'pending', 'paid', 'partially_refunded', 'refunded');--> statement-breakpoint
CREATE TYPE "public"."payment_alert_kind" AS ENUM('late_payment', 'double_payment', 'amount_mismatch', 'refund_failed');--> statement-breakpoint
CREATE TYPE "public"."payment_attempt_status" AS ENUM('created', 'pending', 'succeeded', 'failed', 'expired', 'canceled', 'partially_refunded', 'refunded');--> statement-breakpoint
CREATE TYPE "public"."payment_refund_status" AS ENUM('requested', 'succeeded', 'failed');--> statement-breakpoint
CREATE TYPE "public"."payout_status" AS ENUM('pending', 'paid');--> statement-breakpoint
CREATE TABLE "ledger_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"stall_id" uuid NOT NULL,
	"order_id" uuid,
	"attempt_id" uuid,
	"refund_id" uuid,
	"payout_id" uuid,
	"kind" "ledger_entry_kind" NOT NULL,
	"amount_dong" bigint NOT NULL,
	"collected_by" "money_holder" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_entries_signs" CHECK (("ledger_entries"."kind" <> 'buyer_paid' OR "ledger_entries"."amount_dong" > 0) AND ("ledger_entries"."kind" NOT IN ('refund', 'paid_out') OR "ledger_entries"."amount_dong" < 0) AND "ledger_entries"."amount_dong" <> 0),
	CONSTRAINT "ledger_entries_payout" CHECK (("ledger_entries"."kind" = 'paid_out') = ("ledger_entries"."payout_id" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "payment_alerts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "payment_alert_kind" NOT NULL,
	"attempt_id" uuid,
	"amount_dong" bigint DEFAULT 0 NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "payment_attempt_orders" (
	"attempt_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"amount_dong" bigint NOT NULL,
	"fee_dong" bigint DEFAULT 0 NOT NULL,
	"credited" boolean,
	"refunded_dong" bigint DEFAULT 0 NOT NULL,
	"refunding_dong" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "payment_attempt_orders_attempt_id_order_id_pk" PRIMARY KEY("attempt_id","order_id"),
	CONSTRAINT "payment_attempt_orders_amounts" CHECK ("payment_attempt_orders"."amount_dong" >= 0 AND "payment_attempt_orders"."fee_dong" BETWEEN 0 AND "payment_attempt_orders"."amount_dong" AND "payment_attempt_orders"."refunded_dong" >= 0 AND "payment_attempt_orders"."refunding_dong" >= 0 AND "payment_attempt_orders"."refunded_dong" + "payment_attempt_orders"."refunding_dong" <= "payment_attempt_orders"."amount_dong")
);
--> statement-breakpoint
CREATE TABLE "payment_attempts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"provider" "payment_method" NOT NULL,
	"checkout_id" uuid NOT NULL,
	"status" "payment_attempt_status" DEFAULT 'created' NOT NULL,
	"amount_dong" bigint NOT NULL,
	"refunded_dong" bigint DEFAULT 0 NOT NULL,
	"currency" text DEFAULT 'VND' NOT NULL,
	"collected_by" "money_holder" NOT NULL,
	"connect_account_id" text,
	"provider_ref" text,
	"transaction_ref" text,
	"expires_at" timestamp with time zone,
	"succeeded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payment_attempts_amounts" CHECK ("payment_attempts"."amount_dong" >= 0 AND "payment_attempts"."refunded_dong" BETWEEN 0 AND "payment_attempts"."amount_dong"),
	CONSTRAINT "payment_attempts_holder" CHECK (("payment_attempts"."connect_account_id" IS NULL OR "payment_attempts"."provider" = 'stripe') AND "payment_attempts"."collected_by" = CASE WHEN "payment_attempts"."provider" IN ('cod', 'vietqr') OR "payment_attempts"."connect_account_id" IS NOT NULL THEN 'farmer'::money_holder ELSE 'platform'::money_holder END)
);
--> statement-breakpoint
CREATE TABLE "payment_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"provider" "payment_method" NOT NULL,
	"event_id" text NOT NULL,
	"attempt_id" uuid,
	"outcome" text NOT NULL,
	"amount_dong" bigint NOT NULL,
	"currency" text NOT NULL,
	"result" text NOT NULL,
	"payload" jsonb,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payment_refunds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"attempt_id" uuid NOT NULL,
	"n" integer NOT NULL,
	"idempotency_key" text NOT NULL,
	"amount_dong" bigint NOT NULL,
	"allocations" jsonb NOT NULL,
	"status" "payment_refund_status" DEFAULT 'requested' NOT NULL,
	"source" text DEFAULT 'ours' NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"actor_user_id" uuid,
	"refund_ref" text,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "payment_refunds_amount_positive" CHECK ("payment_refunds"."amount_dong" > 0)
);
--> statement-breakpoint
CREATE TABLE "payouts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"stall_id" uuid NOT NULL,
	"amount_dong" bigint NOT NULL,
	"status" "payout_status" DEFAULT 'pending' NOT NULL,
	"reference" text DEFAULT '' NOT NULL,
	"created_by_user_id" uuid,
	"paid_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"paid_at" timestamp with time zone,
	CONSTRAINT "payouts_amount_positive" CHECK ("payouts"."amount_dong" > 0)
);
--> statement-breakpoint
ALTER TABLE "order_events" ADD COLUMN "payment_status" "order_payment_status";--> statement-breakpoint
ALTER TABLE "order_events" ADD COLUMN "amount_dong" bigint;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "payment_status" "order_payment_status" DEFAULT 'unpaid' NOT NULL;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "paid_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "stalls" ADD COLUMN "stripe_account_id" text;--> statement-breakpoint
ALTER TABLE "stalls" ADD COLUMN "stripe_charges_enabled" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_stall_id_stalls_id_fk" FOREIGN KEY ("stall_id") REFERENCES "public"."stalls"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_attempt_id_payment_attempts_id_fk" FOREIGN KEY ("attempt_id") REFERENCES "public"."payment_attempts"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_refund_id_payment_refunds_id_fk" FOREIGN KEY ("refund_id") REFERENCES "public"."payment_refunds"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_payout_id_payouts_id_fk" FOREIGN KEY ("payout_id") REFERENCES "public"."payouts"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_alerts" ADD CONSTRAINT "payment_alerts_attempt_id_payment_attempts_id_fk" FOREIGN KEY ("attempt_id") REFERENCES "public"."payment_attempts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_attempt_orders" ADD CONSTRAINT "payment_attempt_orders_attempt_id_payment_attempts_id_fk" FOREIGN KEY ("attempt_id") REFERENCES "public"."payment_attempts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_attempt_orders" ADD CONSTRAINT "payment_attempt_orders_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_attempts" ADD CONSTRAINT "payment_attempts_checkout_id_checkouts_id_fk" FOREIGN KEY ("checkout_id") REFERENCES "public"."checkouts"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_events" ADD CONSTRAINT "payment_events_attempt_id_payment_attempts_id_fk" FOREIGN KEY ("attempt_id") REFERENCES "public"."payment_attempts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_refunds" ADD CONSTRAINT "payment_refunds_attempt_id_payment_attempts_id_fk" FOREIGN KEY ("attempt_id") REFERENCES "public"."payment_attempts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_refunds" ADD CONSTRAINT "payment_refunds_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payouts" ADD CONSTRAINT "payouts_stall_id_stalls_id_fk" FOREIGN KEY ("stall_id") REFERENCES "public"."stalls"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payouts" ADD CONSTRAINT "payouts_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payouts" ADD CONSTRAINT "payouts_paid_by_user_id_users_id_fk" FOREIGN KEY ("paid_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ledger_entries_stall_kind_idx" ON "ledger_entries" USING btree ("stall_id","kind");--> statement-breakpoint
CREATE INDEX "ledger_entries_order_idx" ON "ledger_entries" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "ledger_entries_attempt_idx" ON "ledger_entries" USING btree ("attempt_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_entries_payment_once_idx" ON "ledger_entries" USING btree ("attempt_id","order_id","kind") WHERE "ledger_entries"."refund_id" IS NULL AND "ledger_entries"."attempt_id" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_entries_refund_once_idx" ON "ledger_entries" USING btree ("refund_id","order_id","kind") WHERE "ledger_entries"."refund_id" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_entries_payout_once_idx" ON "ledger_entries" USING btree ("payout_id") WHERE "ledger_entries"."payout_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "payment_alerts_open_idx" ON "payment_alerts" USING btree ("created_at") WHERE "payment_alerts"."resolved_at" IS NULL;--> statement-breakpoint
CREATE INDEX "payment_attempt_orders_order_idx" ON "payment_attempt_orders" USING btree ("order_id");--> statement-breakpoint
CREATE UNIQUE INDEX "payment_attempts_provider_ref_idx" ON "payment_attempts" USING btree ("provider","provider_ref") WHERE "payment_attempts"."provider_ref" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "payment_attempts_transaction_ref_idx" ON "payment_attempts" USING btree ("provider","transaction_ref") WHERE "payment_attempts"."transaction_ref" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "payment_attempts_checkout_idx" ON "payment_attempts" USING btree ("checkout_id");--> statement-breakpoint
CREATE INDEX "payment_attempts_open_idx" ON "payment_attempts" USING btree ("expires_at") WHERE "payment_attempts"."status" IN ('created', 'pending');--> statement-breakpoint
CREATE UNIQUE INDEX "payment_events_provider_event_idx" ON "payment_events" USING btree ("provider","event_id");--> statement-breakpoint
CREATE INDEX "payment_events_attempt_idx" ON "payment_events" USING btree ("attempt_id");--> statement-breakpoint
CREATE UNIQUE INDEX "payment_refunds_attempt_n_idx" ON "payment_refunds" USING btree ("attempt_id","n");--> statement-breakpoint
CREATE UNIQUE INDEX "payment_refunds_key_idx" ON "payment_refunds" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "payouts_stall_status_idx" ON "payouts" USING btree ("stall_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "stalls_stripe_account_idx" ON "stalls" USING btree ("stripe_account_id") WHERE "stalls"."stripe_account_id" IS NOT NULL;