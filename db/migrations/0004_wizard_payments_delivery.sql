CREATE TYPE "public"."onboarding_step" AS ENUM('household', 'stall', 'product', 'payment', 'delivery', 'review', 'done');--> statement-breakpoint
CREATE TYPE "public"."shipping_fee_mode" AS ENUM('flat', 'per_kg');--> statement-breakpoint
ALTER TABLE "households" ADD COLUMN "onboarding_step" "onboarding_step" DEFAULT 'stall' NOT NULL;--> statement-breakpoint
ALTER TABLE "stalls" ADD COLUMN "banner_media_id" uuid;--> statement-breakpoint
ALTER TABLE "stalls" ADD COLUMN "cod_enabled" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "stalls" ADD COLUMN "vietqr_enabled" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "stalls" ADD COLUMN "bank_bin" text;--> statement-breakpoint
ALTER TABLE "stalls" ADD COLUMN "bank_account_number" text;--> statement-breakpoint
ALTER TABLE "stalls" ADD COLUMN "bank_account_name" text;--> statement-breakpoint
ALTER TABLE "stalls" ADD COLUMN "pickup_enabled" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "stalls" ADD COLUMN "pickup_address" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "stalls" ADD COLUMN "pickup_hours" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "stalls" ADD COLUMN "local_delivery_enabled" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "stalls" ADD COLUMN "local_delivery_communes" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "stalls" ADD COLUMN "local_delivery_fee_vnd" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "stalls" ADD COLUMN "shipping_enabled" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "stalls" ADD COLUMN "shipping_fee_mode" "shipping_fee_mode" DEFAULT 'flat' NOT NULL;--> statement-breakpoint
ALTER TABLE "stalls" ADD COLUMN "shipping_fee_vnd" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "stalls" ADD CONSTRAINT "stalls_banner_media_id_media_assets_id_fk" FOREIGN KEY ("banner_media_id") REFERENCES "public"."media_assets"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stalls" ADD CONSTRAINT "stalls_fees_nonnegative" CHECK ("stalls"."local_delivery_fee_vnd" >= 0 AND "stalls"."shipping_fee_vnd" >= 0);--> statement-breakpoint
ALTER TABLE "stalls" ADD CONSTRAINT "stalls_vietqr_complete" CHECK (NOT "stalls"."vietqr_enabled" OR ("stalls"."bank_bin" IS NOT NULL AND "stalls"."bank_account_number" IS NOT NULL AND "stalls"."bank_account_name" IS NOT NULL));--> statement-breakpoint
--> statement-breakpoint
-- Households that already have a stall: published ones are done with the wizard,
-- draft ones resume at their first product.
UPDATE "households" SET "onboarding_step" = CASE WHEN EXISTS (
  SELECT 1 FROM "stalls" WHERE "stalls"."household_id" = "households"."id" AND "stalls"."status" <> 'draft'
) THEN 'done'::"onboarding_step" ELSE 'product'::"onboarding_step" END
WHERE EXISTS (SELECT 1 FROM "stalls" WHERE "stalls"."household_id" = "households"."id");
